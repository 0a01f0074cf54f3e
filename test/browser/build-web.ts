/**
 * Builds the web app for the browser tests, once per content of web/: the build goes to a directory
 * named by a hash of web/'s files (never web/dist, which a running server may be reading), so the
 * suites running in parallel workers, and later runs with the web app unchanged, share one build. The
 * first worker takes a lock (an atomic mkdir) and builds; the others wait for its result. Vite's own
 * process lock is bypassed: each build writes only its own directory.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = join(ROOT, 'web');
/** A lock older than this is taken to be a crashed build's. */
const STALE_LOCK_MS = 5 * 60_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'dist' || e.name === 'node_modules') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : [path];
  });
}

/** A hash of every source file of the web app (names and contents) and the Vite version. */
function webHash(): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(WEB).sort()) hash.update(relative(WEB, file)).update('\0').update(readFileSync(file)).update('\0');
  hash.update(readFileSync(join(ROOT, 'node_modules/vite/package.json')));
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function buildWebApp(): Promise<string> {
  const outDir = join(tmpdir(), `q2c-web-${webHash()}`);
  const lock = `${outDir}.lock`;
  const deadline = Date.now() + 240_000;
  while (!existsSync(join(outDir, 'index.html'))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the web build in ${outDir}`);
    try {
      mkdirSync(lock);
    } catch {
      // another worker builds: wait for it, or take over a lock its crash left behind
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    try {
      const building = `${outDir}.${process.pid}`;
      await promisify(execFile)(
        process.execPath,
        [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(WEB, 'vite.config.ts'), '--outDir', building, '--emptyOutDir', '--logLevel', 'warn', '--bypass-lock'],
        { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, timeout: 180_000 },
      );
      rmSync(outDir, { recursive: true, force: true });
      renameSync(building, outDir);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return outDir;
}
