/**
 * Reading large bank files (issue 6: "files up to at least 50 MB stream without loading everything at
 * once"): a 50 MB BgMax file and a 50 MB camt.053 statement are written to a temporary folder and
 * read from disk with readBankFileFromPath, the way `q2c import bank` reads them, consuming each
 * statement (or statement part) as it arrives. Printed: size, transactions, time, MB/s, the heap
 * still held after a forced garbage collection every 20 parts (what the reader keeps: if it held the
 * file, this would grow with it), and the peak heap and RSS including garbage (sampled every 20 ms).
 *
 * Run alone with `npx tsx bench/bank-files.bench.ts`, or with every benchmark via `npm run bench`.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { readBankFileFromPath } from '../src/integrations/bank/read.js';
import { forceGc, load, machine } from './support.js';

export const TARGET_BYTES = 50 * 1024 * 1024;

const pad = (s: string) => s.padEnd(80, ' ');
const num = (v: bigint | number, w: number) => String(v).padStart(w, '0');

async function write(path: string, chunks: Iterable<string>, encoding: BufferEncoding): Promise<void> {
  const out = createWriteStream(path, { encoding });
  for (const c of chunks) if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** BgMax: deposits of 1,000 payments (payment, name, address records) until the target size. */
function* bgmax(): Generator<string> {
  let bytes = 0;
  let payments = 0;
  let deposits = 0;
  yield pad('01BGMAX               0120261204101500000000P') + '\r\n';
  while (bytes < TARGET_BYTES) {
    let sum = 0n;
    let chunk = pad(`05${num(9912346, 10)}          SEK`) + '\r\n';
    for (let k = 0; k < 1000; k++) {
      const amount = BigInt(10_000 + ((payments * 7_919) % 9_989_900));
      sum += amount;
      payments++;
      chunk += pad(`20${num(10_000_000 + k, 10)}${String(100_000 + payments).padStart(25, ' ')}${num(amount, 18)}21${num(payments, 12)}0`) + '\r\n';
      chunk += pad(`26Betalare ${payments} AB`) + '\r\n' + pad('27Storgatan 1                        12345') + '\r\n';
    }
    deposits++;
    chunk += pad(`15${'58410000100'.padStart(35, '0')}20261204${num(deposits % 100_000, 5)}${num(sum, 18)}SEK${num(1000, 8)}`) + '\r\n';
    bytes += chunk.length;
    yield chunk;
  }
  yield pad(`70${num(payments, 8)}${num(0, 8)}${num(0, 8)}${num(deposits, 8)}`) + '\r\n';
}

/** camt.053.001.08: one statement of entries with a structured reference and a debtor, until the target size. */
function* camt(): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2026-12-04T10:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S-BENCH</Id><CreDtTm>2026-12-04T10:00:00</CreDtTm><Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id><Ccy>SEK</Ccy></Acct>
`;
  let bytes = 0;
  let n = 0;
  while (bytes < TARGET_BYTES) {
    let chunk = '';
    for (let k = 0; k < 500; k++) {
      n++;
      chunk += `<Ntry><NtryRef>${n}</NtryRef><Amt Ccy="SEK">${(1000 + (n % 90000)).toFixed(2)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-12-04</Dt></BookgDt><ValDt><Dt>2026-12-04</Dt></ValDt><AcctSvcrRef>ASR${n}</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E${n}</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>Betalare ${n} AB</Nm></Pty></Dbtr>
<DbtrAcct><Id><IBAN>SE35500000000540001${String(n % 100000).padStart(5, '0')}</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
`;
    }
    bytes += chunk.length;
    yield chunk;
  }
  yield '</Stmt></BkToCstmrStmt></Document>\n';
}

async function measure(path: string): Promise<void> {
  const gc = forceGc();
  gc?.();
  const before = process.memoryUsage();
  let retained = 0;
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const t0 = performance.now();
  const handle = await readBankFileFromPath(path);
  let transactions = 0;
  let parts = 0;
  for await (const st of handle.statements) {
    transactions += st.transactions.length;
    parts++;
    // what is really held (garbage collected away) every 20 parts
    if (gc && parts % 20 === 0) {
      gc();
      retained = Math.max(retained, process.memoryUsage().heapUsed - before.heapUsed);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const mb = statSync(path).size / 2 ** 20;
  console.log(
    `  ${handle.format.padEnd(8)} ${mb.toFixed(1)} MB, ${transactions.toLocaleString('en')} transactions in ${parts.toLocaleString('en')} statement parts: ` +
      `${seconds.toFixed(1)} s = ${(mb / seconds).toFixed(1)} MB/s; heap held after GC at most +${(retained / 2 ** 20).toFixed(1)} MB (peak with garbage +${((peakHeap - before.heapUsed) / 2 ** 20).toFixed(0)} MB), peak RSS +${((peakRss - before.rss) / 2 ** 20).toFixed(0)} MB`,
  );
}

export default async function run(): Promise<void> {
  const started = performance.now();
  console.log('bank files: reading 50 MB files from disk as `q2c import bank` does (no database)');
  console.log(`  machine        ${machine()}`);
  const dir = mkdtempSync(join(tmpdir(), 'q2c-bank-bench-'));
  try {
    const bg = join(dir, 'big.bgmax');
    await write(bg, bgmax(), 'latin1');
    await measure(bg);
    const cx = join(dir, 'big.camt053.xml');
    await write(cx, camt(), 'utf8');
    await measure(cx);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  ${load()}`);
  console.log(`  took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
