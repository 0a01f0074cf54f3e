import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.js';

describe('embedded data directory lock', () => {
  it('lets one process in, refuses a second while the first lives, and frees the directory on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'q2c-lock-'));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    // another live process holds it: pid 1 always runs
    writeFileSync(join(dir, LOCK_FILE), '1');
    expect(() => lockDataDir(dir)).toThrow(/in use by another q2c process \(pid 1\)/);
    writeFileSync(join(dir, LOCK_FILE), String(process.pid));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'q2c-lock-'));
    writeFileSync(join(dir, LOCK_FILE), '999999999');
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
  });
});
