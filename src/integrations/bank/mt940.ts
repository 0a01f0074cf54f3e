/**
 * SWIFT MT940 customer statements, as banks deliver them in files: one or more messages, each
 * optionally preceded by header lines (e.g. "ABNANL2A", "940", "0000 01INGB…", "{1:…}") and ended by
 * a line "-" (or "-}"). Tags read: :20: reference, :25: account, :28:/:28C: statement number,
 * :60F:/:60M: opening balance, :61: statement line (+ its supplementary-details line), :86:
 * information (several lines, to the line for the next tag), :62F:/:62M: closing balance.
 *
 * :61: = value date YYMMDD, [entry date MMDD], mark C / D / RC / RD, [funds code: the third letter
 * of the currency], amount with a decimal comma, transaction type (N/F/S + 3), the account owner's
 * reference, [//the bank's reference], [newline supplementary details].
 *
 * :86: is free text with bank-specific structure. Two common ones are read: the German/ZKA form
 * (?00 posting text, ?20-?29 remittance, ?30 bank code, ?31 account, ?32/?33 name, ?38 IBAN; SEPA
 * keys EREF+ / SVWZ+ inside the remittance) and the Dutch slash form (/EREF/…/NAME/…/REMI/…/). The
 * remittance becomes a text reference; the whole field, cleaned, the transaction's text.
 *
 * Checked, as a BankFileError naming the line: tag order (a :61: outside a statement, a statement
 * without :25: / :60: / :62:), dates, amounts (comma decimals, at most the currency's decimals),
 * the D/C marks, a currency that differs between :60: and :62:. The balance carry-over
 * (opening + lines = closing) is computed and reported on the statement, not enforced: public bank
 * examples that do not reconcile exist (see the ABN AMRO sample), and the import decides.
 *
 * Natural key: account + value date + signed amount + the owner's and bank's reference + the
 * occurrence of that combination in the statement.
 */
import { currencyExponent, isKnownCurrency } from '../../core/money/currency.js';
import { isLocalDate, type LocalDate } from '../../core/shared/dates.js';
import { BankFileError, type BankFile, type BankReference, type BankStatement, type BankTransaction } from './bank-file.js';

export interface Mt940Statement extends BankStatement {
  openingMinor: bigint;
  closingMinor: bigint;
  /** opening + Σ lines = closing */
  reconciles: boolean;
}

interface Field {
  tag: string;
  value: string;
  line: number;
}

const TAG = /^:([0-9]{2}[A-Z]?):(.*)$/;

function fail(line: number, problem: string): never {
  throw new BankFileError('mt940', `line ${line}`, problem);
}

/** YYMMDD → date; years 00-79 are 20xx, 80-99 19xx (SWIFT's usual window). */
function yymmdd(s: string, line: number, what: string): LocalDate {
  const yy = Number(s.slice(0, 2));
  const d = `${yy < 80 ? 2000 + yy : 1900 + yy}-${s.slice(2, 4)}-${s.slice(4, 6)}`;
  if (!/^[0-9]{6}$/.test(s) || !isLocalDate(d)) fail(line, `${what} '${s}' is not a date YYMMDD`);
  return d;
}

/**
 * Currencies withdrawn by the euro that old statements (and public MT940 examples) still carry, with
 * their ISO 4217 minor units. Read so such a file parses; an import refuses money in them.
 */
const HISTORIC_EXPONENTS: ReadonlyMap<string, number> = new Map([
  ['DEM', 2],
  ['NLG', 2],
  ['FRF', 2],
  ['FIM', 2],
  ['ATS', 2],
  ['IEP', 2],
]);

const exponentOf = (currency: string): number => HISTORIC_EXPONENTS.get(currency) ?? currencyExponent(currency);

function amountOf(s: string, currency: string, line: number): bigint {
  const m = /^([0-9]+),([0-9]*)$/.exec(s);
  if (!m) fail(line, `amount '${s}' must be digits with a decimal comma, e.g. 1250,00`);
  const exp = exponentOf(currency);
  const frac = m[2] ?? '';
  if (frac.length > exp) fail(line, `amount '${s}' has more than ${exp} decimals for ${currency}`);
  return BigInt((m[1] ?? '0') + frac.padEnd(exp, '0'));
}

function balance(f: Field): { minor: bigint; currency: string; date: LocalDate } {
  const m = /^([CD])([0-9]{6})([A-Z]{3})([0-9]+,[0-9]*)$/.exec(f.value.trim());
  if (!m) fail(f.line, `:${f.tag}: must be C|D, YYMMDD, currency, amount — got '${f.value.trim()}'`);
  const currency = m[3]!;
  if (!isKnownCurrency(currency) && !HISTORIC_EXPONENTS.has(currency)) fail(f.line, `currency '${currency}' is not an ISO 4217 code`);
  const minor = amountOf(m[4]!, currency, f.line);
  return { minor: m[1] === 'D' ? -minor : minor, currency, date: yymmdd(m[2]!, f.line, 'balance date') };
}

/** Splits :86: German/ZKA subfields (?NN) — returns null when the text is not in that form. */
function zkaSubfields(text: string): Map<string, string> | null {
  if (!/^[0-9]{3}\?/.test(text) && !/^\s?[0-9]{3}\?/.test(text)) return null;
  const out = new Map<string, string>();
  for (const m of text.matchAll(/\?([0-9]{2})([^?]*)/g)) out.set(m[1]!, (out.get(m[1]!) ?? '') + m[2]!);
  return out;
}

function slashFields(text: string): Map<string, string> | null {
  if (!text.startsWith('/')) return null;
  const out = new Map<string, string>();
  const keys = ['EREF', 'BENM', 'ORDP', 'NAME', 'REMI', 'ISDT', 'CSID', 'MARF', 'IBAN', 'BIC', 'ADDR', 'TRCD', 'PREF', 'RTRN'];
  const re = new RegExp(`/(${keys.join('|')})/`, 'g');
  const hits = [...text.matchAll(re)];
  hits.forEach((h, i) => {
    const start = (h.index ?? 0) + h[0].length;
    const end = i + 1 < hits.length ? (hits[i + 1]!.index ?? text.length) : text.length;
    out.set(h[1]!, text.slice(start, end).replace(/^\/+|\/+$/g, '').trim());
  });
  return out.size > 0 ? out : null;
}

function details86(info: string): Pick<BankTransaction, 'payerName' | 'payerAccount' | 'references' | 'text'> {
  const flat = info.replace(/\n/g, '');
  const references: BankReference[] = [];
  const zka = zkaSubfields(flat.trimStart());
  if (zka) {
    const remittance = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63'].map((k) => zka.get(k) ?? '').join('');
    const svwz = /SVWZ\+(.*?)(?=(?:EREF|KREF|MREF|CRED|DEBT|ABWA|ABWE|IBAN|BIC)\+|$)/.exec(remittance)?.[1]?.trim();
    const text = (svwz ?? remittance).trim();
    if (text !== '') references.push({ kind: 'text', value: text });
    const name = [zka.get('32'), zka.get('33')].filter((s) => s !== undefined && s.trim() !== '').join('').replace(/\s+/g, ' ').trim();
    return {
      payerName: name === '' ? null : name,
      payerAccount: zka.get('38')?.trim() || (zka.get('31')?.trim() ? `${zka.get('30')?.trim() ?? ''}/${zka.get('31')!.trim()}` : null),
      references,
      text: [zka.get('00'), remittance].filter((s) => s !== undefined && s.trim() !== '').join(' ').trim() || null,
    };
  }
  const slash = slashFields(flat);
  if (slash) {
    const remi = slash.get('REMI');
    if (remi) references.push({ kind: 'text', value: remi.replace(/^USTD\/\/|^STRD\/CUR\//, '') });
    return {
      payerName: slash.get('NAME') ?? null,
      payerAccount: slash.get('IBAN') ?? null,
      references,
      text: flat.trim() || null,
    };
  }
  const text = info.split('\n').map((s) => s.trim()).filter((s) => s !== '').join('\n');
  if (text !== '') references.push({ kind: 'text', value: text.replace(/\n/g, ' ') });
  return { payerName: null, payerAccount: null, references, text: text === '' ? null : text };
}

/** Splits the file into fields (tag + value, continuation lines joined with \n), message by message. */
function messages(text: string): Field[][] {
  const out: Field[][] = [];
  let fields: Field[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    const no = i + 1;
    if (line === '-' || line === '-}' || line.startsWith('-XXX') || /^-\}?$/.test(line.trim())) {
      if (fields.length > 0) out.push(fields);
      fields = [];
      return;
    }
    const m = TAG.exec(line);
    if (m) {
      if (m[1] === '20' && fields.some((f) => f.tag === '20')) {
        // a new message without a "-" separator (seen in Rabobank files)
        out.push(fields);
        fields = [];
      }
      fields.push({ tag: m[1]!, value: m[2]!, line: no });
      return;
    }
    if (fields.length === 0) return; // header lines before the first tag
    if (line.trim() === '') return;
    const last = fields[fields.length - 1]!;
    last.value += `\n${line}`;
  });
  if (fields.some((f) => f.tag !== '940')) out.push(fields);
  return out;
}

function statementLine(f: Field, currency: string, account: string): Omit<BankTransaction, 'naturalKey' | 'payerName' | 'payerAccount' | 'references' | 'text'> & { ownerRef: string; bankRef: string | null; supplementary: string | null } {
  const [first, ...rest] = f.value.split('\n');
  const m = /^([0-9]{6})([0-9]{4})?(RC|RD|C|D)([A-Z])?([0-9]+,[0-9]*)([NFS][A-Z0-9]{3})(.*)$/.exec((first ?? '').trim());
  if (!m) fail(f.line, `:61: is not value date, [entry date], C/D/RC/RD, amount, type, reference — got '${(first ?? '').trim()}'`);
  const valueDate = yymmdd(m[1]!, f.line, 'value date');
  let bookingDate = valueDate;
  if (m[2]) {
    // the entry date has no year: the value date's, or the next/previous one across a year end
    const y = Number(valueDate.slice(0, 4));
    const candidates = [y - 1, y, y + 1].map((yy) => `${yy}-${m[2]!.slice(0, 2)}-${m[2]!.slice(2, 4)}`).filter(isLocalDate);
    if (candidates.length === 0) fail(f.line, `entry date '${m[2]}' is not a date MMDD`);
    const dist = (d: string) => Math.abs(Date.parse(d) - Date.parse(valueDate));
    bookingDate = candidates.sort((a, b) => dist(a) - dist(b))[0]!;
  }
  const mark = m[3]!;
  const minor = amountOf(m[5]!, currency, f.line);
  const negative = mark === 'D' || mark === 'RC';
  const refs = (m[7] ?? '').trim();
  const [ownerRef, bankRef] = refs.split('//');
  return {
    source: `line ${f.line}`,
    account,
    bookingDate,
    valueDate,
    currency,
    amountMinor: negative ? -minor : minor,
    payerOrgNumber: null,
    payerAddress: null,
    bankReference: bankRef?.trim() || null,
    ownerRef: (ownerRef ?? '').trim(),
    bankRef: bankRef?.trim() || null,
    supplementary: rest.join(' ').trim() || null,
  };
}

/** Parses an MT940 file (decoded text). */
export function parseMt940(text: string): Omit<BankFile, 'statements'> & { statements: Mt940Statement[] } {
  const statements: Mt940Statement[] = [];
  for (const fields of messages(text)) {
    const start = fields[0]?.line ?? 1;
    const get = (tag: RegExp) => fields.find((f) => tag.test(f.tag));
    const f25 = get(/^25$/);
    const f60 = get(/^60[FM]$/);
    const f62 = get(/^62[FM]$/);
    if (!f25) fail(start, 'the statement has no account (:25:)');
    if (!f60) fail(start, 'the statement has no opening balance (:60F: or :60M:)');
    if (!f62) fail(start, 'the statement has no closing balance (:62F: or :62M:)');
    const opening = balance(f60);
    const closing = balance(f62);
    if (opening.currency !== closing.currency) fail(f62.line, `closing balance in ${closing.currency}, the opening balance in ${opening.currency}`);
    const account = f25.value.trim();
    const currency = opening.currency;
    const seen = new Map<string, number>();
    const transactions: BankTransaction[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.tag !== '61') continue;
      if (f.line < f60.line || f.line > f62.line) fail(f.line, ':61: outside the statement (before :60: or after :62:)');
      const sl = statementLine(f, currency, account);
      const next = fields[i + 1];
      const info = next?.tag === '86' ? next.value : '';
      const d = details86(info);
      const triple = `${account}:${sl.valueDate}:${sl.amountMinor}:${sl.ownerRef}:${sl.bankRef ?? ''}`;
      const n = (seen.get(triple) ?? 0) + 1;
      seen.set(triple, n);
      const { ownerRef, bankRef, supplementary, ...t } = sl;
      void bankRef;
      const references = [...d.references];
      // the owner's reference, unless a placeholder ("see :86:")
      if (!['', 'NONREF', 'EREF', 'KREF+', 'MARF', 'PREF'].includes(ownerRef)) references.push({ kind: 'text', value: ownerRef });
      transactions.push({
        ...t,
        naturalKey: `mt940:${triple}:${n}`,
        payerName: d.payerName,
        payerAccount: d.payerAccount ?? (supplementary !== null && /^[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}$/.test(supplementary) ? supplementary : null),
        references,
        text: d.text,
      });
    }
    const sum = transactions.reduce((a, t) => a + t.amountMinor, 0n);
    statements.push({
      account,
      currency,
      id: `${account}:${get(/^28C?$/)?.value.trim() ?? ''}:${opening.date}`,
      date: closing.date,
      declaredTotalMinor: closing.minor - opening.minor,
      declaredCount: null,
      transactions,
      openingMinor: opening.minor,
      closingMinor: closing.minor,
      reconciles: opening.minor + sum === closing.minor,
    });
  }
  if (statements.length === 0) fail(1, 'no MT940 statement (:20: … :62F:) in the file');
  return { format: 'mt940', fileId: null, test: false, statements };
}
