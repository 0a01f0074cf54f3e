/**
 * SIE 4 writer (type 4E: the books of one fiscal year with balances and vouchers), PC8 (CP437) bytes.
 *
 * Input is a plain data structure (SieExport); the vouchers may be an async iterable so a caller can
 * stream them from the database page by page: each post is encoded and handed to `emit` as it is
 * written, and the #KSUMMA CRC-32 is kept running, so memory does not grow with the ledger.
 *
 * Layout (SIE 4B order): #FLAGGA 0, #KSUMMA, identification (#PROGRAM #FORMAT #GEN #SIETYP #ORGNR #FNAMN
 * #RAR 0 [#RAR -1] [#VALUTA]), the chart (#KONTO), balances (#IB #UB #RES per year index), the vouchers
 * (#VER with a {} block of #TRANS), and the closing #KSUMMA <crc>. Amounts are in the reporting currency
 * with its decimals, debit positive and credit negative. Every text field is quoted.
 */
import { formatSieAmount, quoteSie, SieChecksum, encodePc8, sieDate } from './sie-format.js';

export interface SieYear {
  /** 0 = the exported year, -1 = the one before. */
  index: number;
  /** 'YYYY-MM-DD' */
  start: string;
  end: string;
}

export interface SieBalance {
  yearIndex: number;
  account: string;
  amountMinor: bigint;
}

export interface SieTransaction {
  account: string;
  /** Debit positive, credit negative, in minor units of the reporting currency. */
  amountMinor: bigint;
}

export interface SieVoucher {
  series: string;
  number: number;
  /** 'YYYY-MM-DD' */
  date: string;
  text: string;
  transactions: readonly SieTransaction[];
}

export interface SieExport {
  program: { name: string; version: string };
  /** 'YYYY-MM-DD' */
  generatedOn: string;
  company: { name: string; orgNumber: string | null };
  /** The reporting currency (#VALUTA when not SEK) and its decimals. */
  currency: string;
  exponent: number;
  years: readonly SieYear[];
  accounts: readonly { account: string; name: string }[];
  openingBalances: readonly SieBalance[];
  closingBalances: readonly SieBalance[];
  results: readonly SieBalance[];
  vouchers: Iterable<SieVoucher> | AsyncIterable<SieVoucher>;
}

export interface SieWriteResult {
  vouchers: number;
  transactions: number;
  /** The #KSUMMA written (unsigned 32-bit). */
  checksum: number;
  bytes: number;
}

const EOL = '\r\n';

/** One field of a post: a bare token (numbers, dates, account numbers), a quoted text, or an object list. */
type Field = { bare: string } | { text: string } | { list: Field[] };

const bare = (v: string | number): Field => ({ bare: String(v) });
const text = (v: string): Field => ({ text: v });

function render(f: Field): string {
  if ('bare' in f) return f.bare;
  if ('text' in f) return quoteSie(f.text);
  return `{${f.list.map(render).join(' ')}}`;
}

/** What #KSUMMA sums of a field: its content without quotes, escapes or braces. */
function summed(f: Field): string {
  if ('bare' in f) return f.bare;
  if ('text' in f) return quoteSie(f.text).slice(1, -1).replace(/\\(["\\])/g, '$1');
  return f.list.map(summed).join('');
}

function checkAccount(account: string): void {
  if (!/^[0-9]{4}$/.test(account)) throw new Error(`SIE: account '${account}' is not a four-digit BAS account`);
}

/** Writes the file, handing each chunk of PC8 bytes to `emit` in order. */
export async function writeSie(doc: SieExport, emit: (chunk: Buffer) => void | Promise<void>): Promise<SieWriteResult> {
  const crc = new SieChecksum();
  let inSum = false;
  let pending: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = encodePc8(pending.join(''));
    pending = [];
    bytes += chunk.length;
    await emit(chunk);
  };
  const post = async (label: string, fields: Field[], indent = '') => {
    if (inSum) crc.update(label + fields.map(summed).join(''));
    pending.push(indent + [label, ...fields.map(render)].join(' ') + EOL);
    if (pending.length >= 512) await flush();
  };
  const raw = (line: string) => {
    pending.push(line + EOL);
  };

  await post('#FLAGGA', [bare(0)]);
  await post('#KSUMMA', []);
  inSum = true;
  await post('#PROGRAM', [text(doc.program.name), text(doc.program.version)]);
  await post('#FORMAT', [bare('PC8')]);
  await post('#GEN', [bare(sieDate(doc.generatedOn))]);
  await post('#SIETYP', [bare(4)]);
  if (doc.company.orgNumber !== null && doc.company.orgNumber !== '') await post('#ORGNR', [text(doc.company.orgNumber)]);
  await post('#FNAMN', [text(doc.company.name)]);
  for (const y of [...doc.years].sort((a, b) => b.index - a.index)) {
    await post('#RAR', [bare(y.index), bare(sieDate(y.start)), bare(sieDate(y.end))]);
  }
  if (doc.currency !== 'SEK') await post('#VALUTA', [bare(doc.currency)]);
  for (const a of doc.accounts) {
    checkAccount(a.account);
    await post('#KONTO', [bare(a.account), text(a.name)]);
  }
  const amount = (minor: bigint) => bare(formatSieAmount(minor, doc.exponent));
  for (const [label, rows] of [['#IB', doc.openingBalances], ['#UB', doc.closingBalances], ['#RES', doc.results]] as const) {
    for (const b of rows) {
      checkAccount(b.account);
      await post(label, [bare(b.yearIndex), bare(b.account), amount(b.amountMinor)]);
    }
  }

  let vouchers = 0;
  let transactions = 0;
  for await (const v of doc.vouchers) {
    let sum = 0n;
    for (const t of v.transactions) sum += t.amountMinor;
    if (sum !== 0n) throw new Error(`SIE: voucher ${v.series} ${v.number} does not balance (sum ${formatSieAmount(sum, doc.exponent)})`);
    if (v.transactions.length === 0) throw new Error(`SIE: voucher ${v.series} ${v.number} has no transactions`);
    await post('#VER', [text(v.series), bare(v.number), bare(sieDate(v.date)), text(v.text)]);
    raw('{');
    for (const t of v.transactions) {
      checkAccount(t.account);
      await post('#TRANS', [bare(t.account), { list: [] }, amount(t.amountMinor)], '   ');
      transactions++;
    }
    raw('}');
    vouchers++;
  }
  inSum = false;
  await post('#KSUMMA', [bare(crc.unsigned)]);
  await flush();
  return { vouchers, transactions, checksum: crc.unsigned, bytes };
}

/** The whole file as one buffer (small exports and tests). */
export async function sieBytes(doc: SieExport): Promise<{ bytes: Buffer; result: SieWriteResult }> {
  const chunks: Buffer[] = [];
  const result = await writeSie(doc, (c) => {
    chunks.push(c);
  });
  return { bytes: Buffer.concat(chunks), result };
}
