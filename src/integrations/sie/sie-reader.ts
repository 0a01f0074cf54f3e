/**
 * SIE 4 reader: decodes the bytes (PC8/CP437 as the format says; files that are really UTF-8 or
 * Latin-1 are recognised), splits posts into fields (quoted strings with \" escapes, {} object lists),
 * gathers the identification, the chart, the balances (#IB #UB #RES) and the vouchers (#VER with its
 * {} block of #TRANS), and checks the file:
 *
 * - every voucher balances (its #TRANS amounts sum to zero), else SieReadError naming the voucher
 *   (series and number) and its line;
 * - #KSUMMA, when present, matches the CRC-32 of the posts between the two #KSUMMA (sie-format.ts),
 *   written in the signed or the unsigned 32-bit form.
 *
 * #RTRANS (a transaction added afterwards) is followed by the same #TRANS for older readers, and
 * #BTRANS (a removed one) is history: only #TRANS count towards a voucher. Posts the reader does not
 * use (#DIM, #OBJEKT, #SRU, #PSALDO, #PBUDGET …) are counted by label and otherwise skipped.
 */
import iconv from 'iconv-lite';
import { isoFromSieDate, parseSieAmount, SieChecksum } from './sie-format.js';

export type SieEncoding = 'cp437' | 'utf-8' | 'latin1';

export class SieReadError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'SieReadError';
  }
}

export interface SieReadBalance {
  yearIndex: number;
  account: string;
  amountMinor: bigint;
  line: number;
}

export interface SieReadTransaction {
  account: string;
  /** [dimension, object] pairs of the object list. */
  objects: [string, string][];
  amountMinor: bigint;
  date: string | null;
  text: string | null;
  line: number;
}

export interface SieReadVoucher {
  series: string;
  number: string;
  /** 'YYYY-MM-DD' */
  date: string;
  text: string;
  line: number;
  transactions: SieReadTransaction[];
}

export interface SieFile {
  encoding: SieEncoding;
  flagga: string | null;
  format: string | null;
  sieType: string | null;
  program: { name: string; version: string } | null;
  generatedOn: string | null;
  companyName: string | null;
  orgNumber: string | null;
  currency: string;
  years: { index: number; start: string | null; end: string | null }[];
  /** Account number → name, in file order. */
  accounts: Map<string, string>;
  openingBalances: SieReadBalance[];
  closingBalances: SieReadBalance[];
  results: SieReadBalance[];
  vouchers: SieReadVoucher[];
  /** The #KSUMMA check: null when the file has none. */
  checksum: { written: bigint; computed: number } | null;
  /** How many posts of each label the file has. */
  labels: Map<string, number>;
}

// ------------------------------------------------------------------------------------------ decoding

/**
 * The file's text. Valid UTF-8 with multi-byte sequences is UTF-8; otherwise bytes 0x80-0x9F (where
 * CP437 has å ä ö Å Ä Ö é ü and Latin-1 only control characters) mean CP437, and high bytes only in
 * 0xC0-0xFF (Latin-1's letters, CP437's box drawing) mean Latin-1. Plain ASCII reads the same either way.
 */
export function decodeSie(bytes: Uint8Array): { text: string; encoding: SieEncoding } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let high = false;
  let c1 = 0;
  let upper = 0;
  for (const b of buf) {
    if (b >= 0x80) {
      high = true;
      if (b <= 0x9f) c1++;
      else if (b >= 0xc0) upper++;
    }
  }
  if (high) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
      return { text: text.startsWith('\uFEFF') ? text.slice(1) : text, encoding: 'utf-8' };
    } catch {
      // not UTF-8
    }
    if (c1 === 0 && upper > 0) return { text: iconv.decode(buf, 'latin1'), encoding: 'latin1' };
  }
  return { text: iconv.decode(buf, 'cp437'), encoding: 'cp437' };
}

// ------------------------------------------------------------------------------------------ tokens

type Token = { kind: 'word' | 'text'; value: string } | { kind: 'list'; items: Token[] };

/** The fields of one post (after its label). */
function tokenize(line: string, lineNo: number): Token[] {
  const out: Token[] = [];
  const stack: Token[][] = [out];
  let i = 0;
  const top = () => stack[stack.length - 1] as Token[];
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      let closed = false;
      while (i < line.length) {
        const d = line[i] as string;
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          value += line[i + 1];
          i += 2;
        } else if (d === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      if (!closed) throw new SieReadError(lineNo, 'a quoted text is not closed');
      top().push({ kind: 'text', value });
    } else if (c === '{') {
      const list: Token = { kind: 'list', items: [] };
      top().push(list);
      stack.push(list.items);
      i++;
    } else if (c === '}') {
      if (stack.length === 1) throw new SieReadError(lineNo, "a '}' closes no object list");
      stack.pop();
      i++;
    } else {
      let value = '';
      while (i < line.length && !' \t"{}'.includes(line[i] as string)) value += line[i++];
      top().push({ kind: 'word', value });
    }
  }
  if (stack.length !== 1) throw new SieReadError(lineNo, "an object list '{' is not closed");
  return out;
}

function contentOf(t: Token): string {
  return t.kind === 'list' ? t.items.map(contentOf).join('') : t.value;
}

const str = (t: Token | undefined): string | null => (t === undefined || t.kind === 'list' ? null : t.value);

// ------------------------------------------------------------------------------------------ reading

export interface ReadSieOptions {
  /** Check that every voucher balances (default true). */
  checkBalance?: boolean;
}

export function readSie(bytes: Uint8Array, options: ReadSieOptions = {}): SieFile {
  const { text, encoding } = decodeSie(bytes);
  const file: SieFile = {
    encoding,
    flagga: null,
    format: null,
    sieType: null,
    program: null,
    generatedOn: null,
    companyName: null,
    orgNumber: null,
    currency: 'SEK',
    years: [],
    accounts: new Map(),
    openingBalances: [],
    closingBalances: [],
    results: [],
    vouchers: [],
    checksum: null,
    labels: new Map(),
  };
  let crc: SieChecksum | null = null;
  let voucher: SieReadVoucher | null = null;
  let inBlock = false;
  const lines = text.split(/\r\n|\n|\r/);

  const amountOf = (t: Token | undefined, lineNo: number, what: string): bigint => {
    const s = str(t);
    const v = s === null ? null : parseSieAmount(s);
    if (v === null) throw new SieReadError(lineNo, `${what}: '${s ?? ''}' is not an amount`);
    return v;
  };
  const accountOf = (t: Token | undefined, lineNo: number, label: string): string => {
    const s = str(t);
    if (s === null || s === '') throw new SieReadError(lineNo, `${label} without an account number`);
    return s;
  };
  const yearOf = (t: Token | undefined, lineNo: number, label: string): number => {
    const s = str(t);
    if (s === null || !/^-?\d+$/.test(s)) throw new SieReadError(lineNo, `${label}: '${s ?? ''}' is not a year index`);
    return Number(s);
  };
  const closeVoucher = (lineNo: number) => {
    if (voucher === null) return;
    if (options.checkBalance !== false) {
      let sum = 0n;
      for (const t of voucher.transactions) sum += t.amountMinor;
      if (sum !== 0n) {
        const name = `${voucher.series === '' ? '""' : voucher.series} ${voucher.number === '' ? '""' : voucher.number}`;
        const abs = sum < 0n ? -sum : sum;
        const shown = `${sum < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
        throw new SieReadError(voucher.line, `voucher ${name} (${voucher.date}, "${voucher.text}") does not balance: its #TRANS sum to ${shown}, not 0 (block ends on line ${lineNo})`);
      }
    }
    file.vouchers.push(voucher);
    voucher = null;
  };

  for (let idx = 0; idx < lines.length; idx++) {
    const lineNo = idx + 1;
    const line = (lines[idx] as string).trim();
    if (line === '') continue;
    if (line === '{') {
      if (voucher === null || inBlock) throw new SieReadError(lineNo, "'{' without a #VER before it");
      inBlock = true;
      continue;
    }
    if (line === '}') {
      if (!inBlock) throw new SieReadError(lineNo, "'}' closes no #VER block");
      inBlock = false;
      closeVoucher(lineNo);
      continue;
    }
    if (!line.startsWith('#')) throw new SieReadError(lineNo, `a post must start with a #LABEL, got '${line.slice(0, 20)}'`);
    const space = line.search(/[ \t]/);
    const label = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const fields = tokenize(space === -1 ? '' : line.slice(space), lineNo);
    file.labels.set(label, (file.labels.get(label) ?? 0) + 1);

    if (label === '#KSUMMA') {
      if (crc === null && fields.length === 0) {
        crc = new SieChecksum();
      } else {
        const written = str(fields[0]);
        if (crc === null || written === null || !/^-?\d+$/.test(written)) throw new SieReadError(lineNo, '#KSUMMA: a closing checksum without an opening #KSUMMA, or not a number');
        file.checksum = { written: BigInt(written), computed: crc.unsigned };
        if (!crc.matches(BigInt(written))) {
          throw new SieReadError(lineNo, `#KSUMMA ${written} does not match the file's CRC-32 ${crc.unsigned}: the file was changed after it was written`);
        }
        crc = null;
      }
      continue;
    }
    crc?.update(label + fields.map(contentOf).join(''));

    if (inBlock) {
      if (label === '#TRANS') {
        const v = voucher as SieReadVoucher | null;
        if (v === null) throw new SieReadError(lineNo, '#TRANS outside a voucher');
        const list = fields[1];
        if (list === undefined || list.kind !== 'list') throw new SieReadError(lineNo, '#TRANS: the object list {} is missing');
        const objects: [string, string][] = [];
        for (let k = 0; k + 1 < list.items.length; k += 2) objects.push([contentOf(list.items[k] as Token), contentOf(list.items[k + 1] as Token)]);
        const dateRaw = str(fields[3]);
        v.transactions.push({
          account: accountOf(fields[0], lineNo, '#TRANS'),
          objects,
          amountMinor: amountOf(fields[2], lineNo, '#TRANS amount'),
          date: dateRaw === null || dateRaw === '' ? null : isoFromSieDate(dateRaw),
          text: str(fields[4]),
          line: lineNo,
        });
      } else if (label !== '#RTRANS' && label !== '#BTRANS') {
        throw new SieReadError(lineNo, `${label} inside a #VER block (only #TRANS, #RTRANS, #BTRANS belong there)`);
      }
      continue;
    }
    if (voucher !== null) closeVoucher(lineNo); // a #VER without a block

    switch (label) {
      case '#FLAGGA':
        file.flagga = str(fields[0]);
        break;
      case '#FORMAT':
        file.format = str(fields[0]);
        break;
      case '#SIETYP':
        file.sieType = str(fields[0]);
        break;
      case '#PROGRAM':
        file.program = { name: str(fields[0]) ?? '', version: str(fields[1]) ?? '' };
        break;
      case '#GEN': {
        const d = str(fields[0]);
        file.generatedOn = d === null ? null : isoFromSieDate(d);
        break;
      }
      case '#FNAMN':
        file.companyName = str(fields[0]);
        break;
      case '#ORGNR':
        file.orgNumber = str(fields[0]) || null;
        break;
      case '#VALUTA':
        file.currency = str(fields[0]) ?? 'SEK';
        break;
      case '#RAR': {
        const s = str(fields[1]);
        const e = str(fields[2]);
        file.years.push({ index: yearOf(fields[0], lineNo, '#RAR'), start: s === null ? null : isoFromSieDate(s), end: e === null ? null : isoFromSieDate(e) });
        break;
      }
      case '#KONTO':
        file.accounts.set(accountOf(fields[0], lineNo, '#KONTO'), str(fields[1]) ?? '');
        break;
      case '#IB':
      case '#UB':
      case '#RES': {
        const b: SieReadBalance = {
          yearIndex: yearOf(fields[0], lineNo, label),
          account: accountOf(fields[1], lineNo, label),
          amountMinor: amountOf(fields[2], lineNo, `${label} amount`),
          line: lineNo,
        };
        (label === '#IB' ? file.openingBalances : label === '#UB' ? file.closingBalances : file.results).push(b);
        break;
      }
      case '#VER': {
        const d = str(fields[2]);
        const date = d === null ? null : isoFromSieDate(d);
        if (date === null) throw new SieReadError(lineNo, `#VER: '${d ?? ''}' is not a date (YYYYMMDD)`);
        voucher = { series: str(fields[0]) ?? '', number: str(fields[1]) ?? '', date, text: str(fields[3]) ?? '', line: lineNo, transactions: [] };
        break;
      }
      case '#TRANS':
      case '#RTRANS':
      case '#BTRANS':
        throw new SieReadError(lineNo, `${label} outside a #VER block`);
      default:
        break;
    }
  }
  if (inBlock) throw new SieReadError(lines.length, `the #VER block of voucher ${(voucher as SieReadVoucher | null)?.series ?? ''} ${(voucher as SieReadVoucher | null)?.number ?? ''} is not closed`);
  if (voucher !== null) closeVoucher(lines.length);
  if (crc !== null) throw new SieReadError(lines.length, '#KSUMMA opened but never closed with a checksum');
  return file;
}

// ------------------------------------------------------------------------------------------ figures

/** Σ of one year's balances per account (a file may repeat an account, e.g. one #IB per object). */
export function balancesByAccount(rows: readonly SieReadBalance[], yearIndex = 0): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const r of rows) if (r.yearIndex === yearIndex) out.set(r.account, (out.get(r.account) ?? 0n) + r.amountMinor);
  return out;
}

/** Σ of the vouchers' #TRANS per account. */
export function voucherSumsByAccount(vouchers: readonly SieReadVoucher[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const v of vouchers) for (const t of v.transactions) out.set(t.account, (out.get(t.account) ?? 0n) + t.amountMinor);
  return out;
}
