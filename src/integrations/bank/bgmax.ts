/**
 * Bankgirot BgMax (Bankgiro Inbetalningar), layout version 01: fixed records of 80 characters in
 * ISO-8859-1, one per line.
 *
 *   01 start (layout name BGMAX, version, timestamp, test/production)
 *   05 opening of a deposit section (receiving bankgiro, plusgiro, currency)
 *   20 payment / 21 deduction (sender bankgiro, reference, amount in öre, reference code, channel,
 *      BGC serial number, image marker [, deduction code])
 *   22 / 23 extra reference (positive / negative amount) for the payment before it
 *   25 information text, 26 name, 27 address + postal code, 28 city + country, 29 org number
 *   15 deposit (bank account, payment date, deposit serial, amount, currency, number of payments)
 *   70 end (counts of payment, deduction, extra-reference and deposit records)
 *
 * Checked: record order, every numeric field, each deposit's amount = Σ payments − Σ deductions and
 * its payment count, the currency of 05 and 15, and the trailer counts. A violation is a
 * BankFileError naming the line and record; nothing of the file is returned.
 *
 * Quirks of real files handled: records not padded to 80 characters (padded here), and TAB
 * characters in a record (expanded to 8-column tab stops, which restores the fixed positions in the
 * public Bankgirot example that has them). Lines may end in CRLF or LF.
 *
 * Reference codes (position 56): 0 none, 1 none (not available), 2 OCR reference checked by
 * Bankgirot, 3 several references (in 22/23 records), 4 reference (not OCR-checked), 5 incorrect
 * reference. Code 2 becomes a structured reference, 3 and 4 text references, 5 is kept as text (the
 * matcher validates everything again). Channel codes: 1 e-bank, 2 supplier payment (LB), 3 payment
 * slip, 4 autogiro.
 *
 * Natural key of a payment: receiving bankgiro + payment date + deposit serial number + the record's
 * place in its deposit. Not the BGC serial number alone: Bankgirot's own example file repeats one
 * within a deposit. A BgMax file is delivered once per day and bankgiro, so a re-import of the same
 * file gives the same keys and imports nothing twice.
 */
import { isLocalDate, type LocalDate } from '../../core/shared/dates.js';
import { BankFileError, type BankFile, type BankReference, type BankStatement, type BankTransaction } from './bank-file.js';

const RECORD_LENGTH = 80;

export interface BgMaxPaymentDetail {
  recordType: '20' | '21';
  senderBankgiro: string | null;
  referenceCode: number;
  channelCode: number;
  serialNumber: string;
  imageMarker: boolean;
  deductionCode: string | null;
}

interface PendingPayment {
  line: number;
  detail: BgMaxPaymentDetail;
  reference: string;
  amountMinor: bigint;
  extra: BankReference[];
  info: string[];
  name: string | null;
  address: string | null;
  city: string | null;
  orgNumber: string | null;
}

interface Section {
  line: number;
  bankgiro: string;
  plusgiro: string | null;
  currency: string;
  payments: PendingPayment[];
}

/** Expands TABs to 8-column stops and pads to 80 characters. */
function normalise(raw: string): string {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.includes('\t')) {
    let out = '';
    for (const ch of line) {
      if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
      else out += ch;
    }
    line = out;
  }
  return line.length < RECORD_LENGTH ? line.padEnd(RECORD_LENGTH, ' ') : line;
}

/** Reads a BgMax file record by record; feed lines with push(), then finish(). */
export class BgMaxReader {
  private lineNo = 0;
  private started = false;
  private ended = false;
  private fileId: string | null = null;
  private test = false;
  private section: Section | null = null;
  private last: PendingPayment | null = null;
  private counts = { payments: 0, deductions: 0, extraRefs: 0, deposits: 0 };

  private fail(record: string, problem: string): never {
    throw new BankFileError('bgmax', `line ${this.lineNo} (record ${record})`, problem);
  }

  private num(line: string, from: number, to: number, field: string, type: string): bigint {
    const s = line.slice(from - 1, to);
    if (!/^[0-9]+$/.test(s)) this.fail(type, `${field} (positions ${from}-${to}) must be digits, got '${s.trim()}'`);
    return BigInt(s);
  }

  private text(line: string, from: number, to: number): string {
    return line.slice(from - 1, to).trim();
  }

  private date(line: string, from: number, type: string, field: string): LocalDate {
    const s = line.slice(from - 1, from + 7);
    const d = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
    if (!/^[0-9]{8}$/.test(s) || !isLocalDate(d)) this.fail(type, `${field} must be a date YYYYMMDD, got '${s}'`);
    return d;
  }

  /** Feeds one line; returns the deposit it completed (a 15 record), if any. */
  push(raw: string): BankStatement | null {
    this.lineNo++;
    if (raw.trim() === '') {
      // a trailing empty line after the end record is tolerated; anywhere else it is an error
      if (this.ended) return null;
      this.fail('-', 'empty line');
    }
    const line = normalise(raw);
    const type = line.slice(0, 2);
    if (this.ended) this.fail(type, 'a record after the end record (70)');
    if (!this.started && type !== '01') this.fail(type, 'the file must start with a start record (01)');
    switch (type) {
      case '01': {
        if (this.started) this.fail(type, 'a second start record');
        if (this.text(line, 3, 22) !== 'BGMAX') this.fail(type, `layout name must be BGMAX, got '${this.text(line, 3, 22)}'`);
        const version = this.text(line, 23, 24);
        if (version !== '01') this.fail(type, `layout version ${version} is not supported (01 is)`);
        this.num(line, 25, 44, 'timestamp', type);
        const marker = line.slice(44, 45);
        if (marker !== 'T' && marker !== 'P') this.fail(type, `test marker (position 45) must be T or P, got '${marker}'`);
        this.started = true;
        this.test = marker === 'T';
        this.fileId = line.slice(24, 44);
        return null;
      }
      case '05': {
        if (this.section) this.fail(type, 'an opening record (05) before the previous deposit (15)');
        const currency = this.text(line, 23, 25);
        if (!/^[A-Z]{3}$/.test(currency)) this.fail(type, `currency must be an ISO 4217 code, got '${currency}'`);
        const pg = this.text(line, 13, 22);
        this.section = {
          line: this.lineNo,
          bankgiro: this.num(line, 3, 12, 'receiving bankgiro number', type).toString(),
          plusgiro: pg === '' || /^0+$/.test(pg) ? null : pg,
          currency,
          payments: [],
        };
        this.last = null;
        return null;
      }
      case '20':
      case '21': {
        const section = this.requireSection(type);
        const sender = this.num(line, 3, 12, 'sender bankgiro number', type);
        const amount = this.num(line, 38, 55, 'amount', type);
        const referenceCode = Number(this.num(line, 56, 56, 'reference code', type));
        if (referenceCode > 5) this.fail(type, `reference code must be 0-5, got ${referenceCode}`);
        const channelCode = Number(this.num(line, 57, 57, 'payment channel code', type));
        const serial = line.slice(57, 69);
        if (!/^[0-9]{12}$/.test(serial)) this.fail(type, `BGC serial number (positions 58-69) must be 12 digits, got '${serial.trim()}'`);
        const image = line.slice(69, 70);
        if (image !== '0' && image !== '1' && image !== ' ') this.fail(type, `image marker (position 70) must be 0 or 1, got '${image}'`);
        const deduction = type === '21' ? line.slice(70, 71) : null;
        if (deduction !== null && !/^[0-9 ]$/.test(deduction)) this.fail(type, `deduction code (position 71) must be a digit, got '${deduction}'`);
        const p: PendingPayment = {
          line: this.lineNo,
          detail: {
            recordType: type,
            senderBankgiro: sender === 0n ? null : sender.toString(),
            referenceCode,
            channelCode,
            serialNumber: serial,
            imageMarker: image === '1',
            deductionCode: deduction === null || deduction === ' ' ? null : deduction,
          },
          reference: this.text(line, 13, 37),
          amountMinor: amount,
          extra: [],
          info: [],
          name: null,
          address: null,
          city: null,
          orgNumber: null,
        };
        section.payments.push(p);
        this.last = p;
        if (type === '20') this.counts.payments++;
        else this.counts.deductions++;
        return null;
      }
      case '22':
      case '23': {
        const p = this.requirePayment(type);
        const amount = this.num(line, 38, 55, 'amount', type);
        this.num(line, 56, 56, 'reference code', type);
        const ref = this.text(line, 13, 37);
        if (ref !== '') p.extra.push({ kind: 'text', value: ref, amountMinor: type === '23' ? -amount : amount });
        this.counts.extraRefs++;
        return null;
      }
      case '25':
        this.requirePayment(type).info.push(this.text(line, 3, 52));
        return null;
      case '26': {
        const p = this.requirePayment(type);
        p.name = [this.text(line, 3, 37), this.text(line, 38, 72)].filter((s) => s !== '').join(' ') || null;
        return null;
      }
      case '27': {
        const p = this.requirePayment(type);
        p.address = [this.text(line, 3, 37), this.text(line, 38, 46)].filter((s) => s !== '').join(', ') || null;
        return null;
      }
      case '28': {
        const p = this.requirePayment(type);
        p.city = [this.text(line, 3, 37), this.text(line, 38, 72), this.text(line, 73, 74)].filter((s) => s !== '').join(', ') || null;
        return null;
      }
      case '29': {
        const p = this.requirePayment(type);
        const org = this.text(line, 3, 14);
        if (!/^[0-9]+$/.test(org)) this.fail(type, `organisation number must be digits, got '${org}'`);
        p.orgNumber = org;
        return null;
      }
      case '15':
        return this.closeDeposit(line);
      case '70': {
        if (this.section) this.fail(type, 'the end record (70) inside an open deposit section (05 without 15)');
        const declared = {
          payments: Number(this.num(line, 3, 10, 'number of payment records', type)),
          deductions: Number(this.num(line, 11, 18, 'number of deduction records', type)),
          extraRefs: Number(this.num(line, 19, 26, 'number of extra reference records', type)),
          deposits: Number(this.num(line, 27, 34, 'number of deposit records', type)),
        };
        for (const k of ['payments', 'deductions', 'extraRefs', 'deposits'] as const) {
          if (declared[k] !== this.counts[k]) {
            this.fail(type, `the end record declares ${declared[k]} ${k} records, the file has ${this.counts[k]}`);
          }
        }
        this.ended = true;
        return null;
      }
      default:
        this.fail(type, `unknown record type '${type}'`);
    }
  }

  private requireSection(type: string): Section {
    if (!this.section) this.fail(type, 'a payment record outside a deposit section (no opening record 05)');
    return this.section;
  }

  private requirePayment(type: string): PendingPayment {
    this.requireSection(type);
    if (!this.last) this.fail(type, 'must follow a payment (20) or deduction (21) record');
    return this.last;
  }

  private closeDeposit(line: string): BankStatement {
    const type = '15';
    const section = this.requireSection(type);
    const date = this.date(line, 38, type, 'payment date (positions 38-45)');
    const serial = this.num(line, 46, 50, 'deposit serial number', type);
    const amount = this.num(line, 51, 68, 'deposit amount', type);
    const currency = this.text(line, 69, 71);
    if (currency !== section.currency) {
      this.fail(type, `deposit currency ${currency} differs from the opening record's ${section.currency} (line ${section.line})`);
    }
    const count = Number(this.num(line, 72, 79, 'number of payments', type));
    let sum = 0n;
    for (const p of section.payments) sum += p.detail.recordType === '20' ? p.amountMinor : -p.amountMinor;
    if (sum !== amount) {
      this.fail(type, `deposit amount ${amount} öre ≠ Σ payments − Σ deductions ${sum} öre of this section (from line ${section.line})`);
    }
    // the count includes deductions (21): Bankgirot's example declares 3 for two 20s and one 21
    if (count !== section.payments.length) {
      this.fail(type, `deposit declares ${count} payment records, the section has ${section.payments.length} (payments and deductions)`);
    }
    const depositSerial = serial.toString().padStart(5, '0');
    const transactions: BankTransaction[] = section.payments.map((p, i) => {
      const references: BankReference[] = [];
      if (p.reference !== '') references.push({ kind: p.detail.referenceCode === 2 ? 'structured' : 'text', value: p.reference });
      references.push(...p.extra);
      return {
        naturalKey: `bgmax:${section.bankgiro}:${date}:${depositSerial}:${i + 1}`,
        source: `line ${p.line}`,
        account: section.bankgiro,
        bookingDate: date,
        valueDate: date,
        currency: section.currency,
        amountMinor: p.detail.recordType === '21' ? -p.amountMinor : p.amountMinor,
        payerName: p.name,
        payerAccount: p.detail.senderBankgiro,
        payerOrgNumber: p.orgNumber,
        payerAddress: [p.address, p.city].filter((s) => s !== null).join(', ') || null,
        references,
        text: p.info.length > 0 ? p.info.join('\n') : null,
        bankReference: p.detail.serialNumber,
      };
    });
    const statement: BankStatement = {
      account: section.bankgiro,
      currency: section.currency,
      id: `${section.bankgiro}:${date}:${depositSerial}`,
      date,
      declaredTotalMinor: amount,
      declaredCount: count,
      transactions,
    };
    this.counts.deposits++;
    this.section = null;
    this.last = null;
    return statement;
  }

  /** Ends the file: the end record (70) must have been read. */
  finish(): Omit<BankFile, 'statements'> {
    if (!this.started) throw new BankFileError('bgmax', 'line 1', 'empty file: no start record (01)');
    if (!this.ended) throw new BankFileError('bgmax', `line ${this.lineNo}`, 'the file ends without an end record (70): it is cut off');
    return { format: 'bgmax', fileId: this.fileId, test: this.test };
  }
}

/** Parses a whole BgMax file held in memory (decoded from ISO-8859-1). */
export function parseBgMax(text: string): BankFile {
  const reader = new BgMaxReader();
  const statements: BankStatement[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) {
    const s = reader.push(l);
    if (s) statements.push(s);
  }
  return { ...reader.finish(), statements };
}

/** Streams a BgMax file: yields each deposit as its 15 record is read; throws at the end if the trailer is wrong. */
export async function* streamBgMax(lines: AsyncIterable<string>): AsyncGenerator<BankStatement, Omit<BankFile, 'statements'>> {
  const reader = new BgMaxReader();
  for await (const l of lines) {
    const s = reader.push(l);
    if (s) yield s;
  }
  return reader.finish();
}
