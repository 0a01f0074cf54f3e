/** Reading PDFs back in tests: their text as `pdftotext -layout` (poppler-utils) sees it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fails with how to install it when pdftotext is missing (call it in a beforeAll). */
export function requirePdftotext(): void {
  const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    throw new Error(
      `The PDF tests need pdftotext from poppler-utils (apt-get install -y poppler-utils; brew install poppler): ${probe.error.message}`,
    );
  }
}

/** Text of the PDF as `pdftotext -layout` sees it, no-break spaces as spaces; pages end at form feeds. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'q2c-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`pdftotext failed (install poppler-utils): ${r.error?.message ?? r.stderr}`);
    return r.stdout.replace(/\u00a0/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pdfText, also with runs of spaces and tabs as one space (`flat`) and split into its non-empty pages. */
export function pdfPages(pdf: Buffer): { text: string; flat: string; pages: string[] } {
  const text = pdfText(pdf);
  const pages = text.split('\f').filter((p) => p.trim() !== '');
  return { text, flat: text.replace(/[ \t]+/g, ' '), pages };
}

/** How many times `needle` occurs in `haystack`. */
export function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
