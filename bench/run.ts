/**
 * Runs every bench/*.bench.ts in sequence (`npm run bench`). Each benchmark module exports a default
 * async function that prints its own figures.
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: () => Promise<void> };
  if (typeof mod.default !== 'function') throw new Error(`${file} has no default export to run`);
  console.log(`\n== ${file} ==`);
  await mod.default();
}
