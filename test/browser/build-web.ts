/**
 * Builds the web app for a test into a directory of its own (never web/dist, which a running server
 * or another test may be reading), with the same Vite config `npm run build:web` uses.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function buildWebApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'q2c-web-'));
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(ROOT, 'web/vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, timeout: 120_000 },
  );
  return outDir;
}
