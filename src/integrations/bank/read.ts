/**
 * Reads a bank file of any supported format: the format is detected from the content (BgMax's start
 * record, camt's namespace, MT940's tags; CSV needs the account's saved mapping), the text decoded
 * as the format requires (BgMax ISO-8859-1; camt from its XML declaration, UTF-8 by default; MT940
 * and CSV UTF-8 when valid, else ISO-8859-1), and the statements yielded one by one. BgMax and camt
 * files given as a path are streamed from disk.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { BankFileError, type BankFileFormat, type BankStatement } from './bank-file.js';
import { streamBgMax } from './bgmax.js';
import { streamCamt } from './camt.js';
import { parseBankCsv, type BankCsvMapping } from './csv.js';
import { parseMt940 } from './mt940.js';

export interface BankFileHandle {
  format: BankFileFormat;
  statements: AsyncIterable<BankStatement>;
  /** Available once the statements have been read to the end. */
  header(): { fileId: string | null; test: boolean };
}

/** Detects the format from the first bytes of a file. */
export function detectFormat(head: Buffer, hasMapping: boolean): BankFileFormat {
  const text = head.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  if (text.startsWith('01BGMAX')) return 'bgmax';
  const ns = /urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\./.exec(text);
  if (ns) return ns[1] === '053' ? 'camt053' : 'camt054';
  if (/^:20:|\n:20:/.test(text) && /:(25|60F|61):/.test(text)) return 'mt940';
  if (/^\s*(\{1:|[A-Z]{6}[A-Z0-9]{2}|0000 )/.test(text) && text.includes(':20:')) return 'mt940';
  if (hasMapping) return 'csv';
  throw new BankFileError('csv', 'line 1', 'not a BgMax, camt.053/054 or MT940 file; for a CSV export give the account\'s column mapping');
}

function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return buf.toString('latin1');
  }
}

/**
 * The lines of a text stream, pulled chunk by chunk (readline's iterator buffers every line the file
 * stream pushes when the consumer is slower, which holds the whole file; pulling does not).
 */
export async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest !== '') yield rest;
}

async function* once<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

type Header = { fileId: string | null; test: boolean };

/** A handle over a reading generator whose return value is the file's header. */
function handleOf(format: BankFileFormat, read: () => AsyncGenerator<BankStatement, Header>): BankFileHandle {
  let header: Header | null = null;
  const statements = (async function* (): AsyncGenerator<BankStatement> {
    header = yield* read();
  })();
  return {
    format,
    statements,
    header: () => {
      if (header === null) throw new Error('read the statements to the end first');
      return header;
    },
  };
}

async function* whole(f: { statements: BankStatement[]; fileId: string | null; test: boolean }): AsyncGenerator<BankStatement, Header> {
  yield* f.statements;
  return f;
}

/** Reads a bank file held in memory. */
export function readBankFile(content: Buffer, mapping?: BankCsvMapping): BankFileHandle {
  const format = detectFormat(content.subarray(0, 4096), mapping !== undefined);
  return handleOf(format, () => {
    switch (format) {
      case 'bgmax': {
        const lines = content.toString('latin1').split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        return streamBgMax(once(lines));
      }
      case 'camt053':
      case 'camt054':
        return streamCamt(once([content.toString('utf8')]));
      case 'mt940':
        return whole(parseMt940(decodeText(content)));
      case 'csv':
        return whole(parseBankCsv(decodeText(content), mapping!));
    }
  });
}

/** Reads a bank file from disk; BgMax and camt are streamed, the others read whole. */
export async function readBankFileFromPath(path: string, mapping?: BankCsvMapping): Promise<BankFileHandle> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(4096);
  const { bytesRead } = await fh.read(head, 0, 4096, 0);
  await fh.close();
  const format = detectFormat(head.subarray(0, bytesRead), mapping !== undefined);
  if (format !== 'bgmax' && format !== 'camt053' && format !== 'camt054') return readBankFile(await readFile(path), mapping);
  const chunks = (encoding: BufferEncoding) => createReadStream(path, { encoding, highWaterMark: 256 * 1024 }) as AsyncIterable<string>;
  return handleOf(format, () => (format === 'bgmax' ? streamBgMax(linesOf(chunks('latin1'))) : streamCamt(chunks('utf8'))));
}
