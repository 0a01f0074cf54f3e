import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecrets } from './secrets.js';

describe('the password pepper', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'q2c-secret-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is generated once into <dataDir>/secret (0600) for the embedded database and kept across restarts', () => {
    const dataDir = tempDir();
    const first = loadSecrets({ databaseUrl: undefined, dataDir, passwordPepper: undefined });
    expect(first.pepper).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(statSync(join(dataDir, 'secret')).mode & 0o777).toBe(0o600);
    expect(loadSecrets({ databaseUrl: undefined, dataDir, passwordPepper: undefined })).toEqual(first);
    expect(readFileSync(join(dataDir, 'secret'), 'utf8').trim()).toBe(first.pepper);
  });

  it('comes from Q2C_PASSWORD_PEPPER when set, and must be long enough', () => {
    const dataDir = tempDir();
    const pepper = 'x'.repeat(40);
    expect(loadSecrets({ databaseUrl: 'postgres://db/q2c', dataDir, passwordPepper: pepper })).toEqual({ pepper });
    expect(() => loadSecrets({ databaseUrl: undefined, dataDir, passwordPepper: 'short' })).toThrow(/at least 32 characters/);
  });

  it('refuses to start with DATABASE_URL and no pepper, saying why', () => {
    expect(() => loadSecrets({ databaseUrl: 'postgres://db/q2c', dataDir: tempDir(), passwordPepper: undefined })).toThrow(/Q2C_PASSWORD_PEPPER is not set/);
  });

  it('refuses an unusable secret file instead of silently replacing it', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'secret'), 'tiny\n', { mode: 0o600 });
    expect(() => loadSecrets({ databaseUrl: undefined, dataDir, passwordPepper: undefined })).toThrow(/no usable pepper/);
  });
});
