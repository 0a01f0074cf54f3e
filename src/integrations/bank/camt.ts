/**
 * ISO 20022 camt.053 (BankToCustomerStatement) and camt.054 (BankToCustomerDebitCreditNotification),
 * message versions 001.02 to 001.08, read as a stream: the XML is fed in chunks to a SAX parser
 * (saxes) and only the entry being read is held as a tree, so a 50 MB statement never sits in
 * memory as text or as a document.
 *
 * Per entry (Ntry), booked ones only (Sts BOOK; v2-v5 write it as text, v6+ as Sts/Cd): amount and
 * currency (Amt/@Ccy), sign (CdtDbtInd; a reversal RvslInd=true keeps the bank's sign), booking and
 * value date (Dt or DtTm), AcctSvcrRef / NtryRef. An entry's transaction details (NtryDtls/TxDtls)
 * become one bank transaction each when their amounts (TxDtls/Amt, or AmtDtls/TxAmt/Amt) are in the
 * entry's currency and add up to the entry; otherwise the entry stays one transaction carrying every
 * detail's references (banks' batch bookings do not always itemise amounts). References: structured
 * RmtInf/Strd/CdtrRefInf/Ref (SCOR: OCR or RF) and unstructured RmtInf/Ustrd; the payer from
 * RltdPties/Dbtr (Nm, or Pty/Nm from v8) and DbtrAcct (IBAN or Othr/Id).
 *
 * Checked, as a BankFileError naming the element: the document is camt.053 or camt.054 of a
 * supported version; it has at least one statement/notification; each has an account and every
 * amount is a valid decimal in its currency; TxsSummry (TtlNtries NbOfNtries / Sum, when given)
 * matches the entries; opening booked balance + entries = closing booked balance when both are
 * given in the account's currency.
 *
 * Natural key: the entry's AcctSvcrRef (or NtryRef), plus the detail's AcctSvcrRef / EndToEndId /
 * TxId when split; with none of those, account + booking date + signed amount + the occurrence of
 * that triple in the statement, so an overlapping statement re-sent later gives the same keys.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { isKnownCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import { isLocalDate, type LocalDate } from '../../core/shared/dates.js';
import { BankFileError, type BankFile, type BankFileFormat, type BankReference, type BankStatement, type BankTransaction } from './bank-file.js';

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const child = (n: Node | undefined, name: string): Node | undefined => n?.children.find((c) => c.name === name);
const children = (n: Node | undefined, name: string): Node[] => n?.children.filter((c) => c.name === name) ?? [];
const path = (n: Node | undefined, ...names: string[]): Node | undefined => names.reduce<Node | undefined>((acc, k) => child(acc, k), n);
const textAt = (n: Node | undefined, ...names: string[]): string | null => {
  const t = path(n, ...names)?.text.trim();
  return t === undefined || t === '' ? null : t;
};

/** Transactions of one statement held before they are handed over as a part (streaming). */
export const CAMT_PART_SIZE = 1000;

const SUPPORTED = /^urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\.001\.0([2-8])$/;

export class CamtReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly stack: Node[] = [];
  private format: BankFileFormat | null = null;
  private msgId: string | null = null;
  private statementCount = 0;
  private current: { node: Node; transactions: BankTransaction[]; entries: number; sum: bigint; index: number; seen: Map<string, number> } | null = null;
  private readonly out: BankStatement[] = [];
  private error: BankFileError | null = null;

  constructor() {
    this.parser.on('opentag', (tag: SaxesTagPlain) => this.open(tag));
    this.parser.on('text', (t: string) => {
      const top = this.stack[this.stack.length - 1];
      if (top) top.text += t;
    });
    this.parser.on('cdata', (t: string) => {
      const top = this.stack[this.stack.length - 1];
      if (top) top.text += t;
    });
    this.parser.on('closetag', () => this.closeTag());
    this.parser.on('error', (e: Error) => {
      throw new BankFileError(this.format ?? 'camt053', `line ${this.parser.line}`, `not well-formed XML: ${e.message.replace(/^.*?:\d+:\d+: /, '')}`);
    });
  }

  private fail(where: string, problem: string): never {
    const at = where.startsWith('line ') ? where : `${where} (line ${this.parser.line})`;
    this.error = new BankFileError(this.format ?? 'camt053', at, problem);
    throw this.error;
  }

  private open(tag: SaxesTagPlain): void {
    const name = tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name;
    const node: Node = { name, attrs: tag.attributes as Record<string, string>, children: [], text: '' };
    if (this.stack.length === 0) {
      if (name !== 'Document') this.fail(`line ${this.parser.line}`, `the root element must be Document, got ${name}`);
      const ns = node.attrs.xmlns ?? '';
      const m = SUPPORTED.exec(ns);
      if (!m) this.fail('Document', `namespace '${ns}' is not camt.053 or camt.054 version 001.02 to 001.08`);
      this.format = m[1] === '053' ? 'camt053' : 'camt054';
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.children.push(node);
    this.stack.push(node);
    if (name === 'Stmt' || name === 'Ntfctn') {
      this.statementCount++;
      this.current = { node, transactions: [], entries: 0, sum: 0n, index: this.statementCount, seen: new Map() };
    }
  }

  private closeTag(): void {
    const node = this.stack.pop();
    if (!node) return;
    const parent = this.stack[this.stack.length - 1];
    if (node.name === 'MsgId' && parent?.name === 'GrpHdr') this.msgId = node.text.trim();
    if (node.name === 'Ntry' && this.current) {
      this.entry(node);
      // the entry is done: drop it so only one entry is ever held in memory
      if (parent) parent.children.pop();
    } else if ((node.name === 'Stmt' || node.name === 'Ntfctn') && this.current) {
      this.out.push(this.statement(node));
      if (parent) parent.children.pop();
      this.current = null;
    }
  }

  private where(kind: string): string {
    return `${this.current?.node.name ?? 'Stmt'}[${this.current?.index ?? 0}]/${kind}`;
  }

  private amount(n: Node | undefined, where: string): { currency: string; minor: bigint } {
    if (!n) this.fail(where, 'amount is missing');
    const currency = n.attrs.Ccy ?? '';
    if (!isKnownCurrency(currency)) this.fail(where, `currency '${currency}' is not an ISO 4217 code`);
    try {
      const m = parseMoney(n.text.trim(), currency, 'Amt');
      if (m.minor < 0n) this.fail(where, 'amount must not be negative (the sign is CdtDbtInd)');
      return { currency, minor: m.minor };
    } catch (e) {
      if (e instanceof BankFileError) throw e;
      return this.fail(where, `amount '${n.text.trim()}' ${(e as Error).message.replace(/^Amt:? ?/, '')}`);
    }
  }

  private sign(n: Node | undefined, where: string): 1n | -1n {
    const s = textAt(n, 'CdtDbtInd');
    if (s === 'CRDT') return 1n;
    if (s === 'DBIT') return -1n;
    return this.fail(where, `CdtDbtInd must be CRDT or DBIT, got '${s ?? ''}'`);
  }

  private date(n: Node | undefined, where: string): LocalDate | null {
    if (!n) return null;
    const d = textAt(n, 'Dt') ?? textAt(n, 'DtTm')?.slice(0, 10) ?? null;
    if (d === null || !isLocalDate(d)) this.fail(where, `date '${d ?? ''}' is not a date`);
    return d;
  }

  private accountOf(stmt: Node): { account: string; currency: string | null } {
    const acct = child(stmt, 'Acct');
    const account = textAt(acct, 'Id', 'IBAN') ?? textAt(acct, 'Id', 'Othr', 'Id');
    if (account === null) this.fail(this.where('Acct'), 'the account (Acct/Id/IBAN or Acct/Id/Othr/Id) is missing');
    return { account, currency: textAt(acct, 'Ccy') };
  }

  private entry(ntry: Node): void {
    const cur = this.current!;
    cur.entries++;
    const where = this.where(`Ntry[${cur.entries}]`);
    const amt = this.amount(child(ntry, 'Amt'), `${where}/Amt`);
    const sign = this.sign(ntry, where);
    cur.sum += sign * amt.minor;
    const status = textAt(ntry, 'Sts', 'Cd') ?? textAt(ntry, 'Sts');
    if (status !== 'BOOK') return; // pending / informational entries are not money on the account yet
    const { account } = this.accountOf(cur.node);
    const bookingDate = this.date(child(ntry, 'BookgDt'), `${where}/BookgDt`);
    if (bookingDate === null) this.fail(`${where}/BookgDt`, 'a booked entry must have a booking date');
    const valueDate = this.date(child(ntry, 'ValDt'), `${where}/ValDt`);
    const entryRef = textAt(ntry, 'AcctSvcrRef') ?? textAt(ntry, 'NtryRef');
    const details = children(child(ntry, 'NtryDtls'), 'TxDtls');
    const detailAmounts = details.map((d, i) => {
      const a = path(d, 'Amt') ?? path(d, 'AmtDtls', 'TxAmt', 'Amt');
      return a ? this.amount(a, `${where}/NtryDtls/TxDtls[${i + 1}]/Amt`) : null;
    });
    const split =
      details.length > 1 &&
      detailAmounts.every((a) => a !== null && a.currency === amt.currency) &&
      detailAmounts.reduce((s, a) => s + (a?.minor ?? 0n), 0n) === amt.minor;
    const base = (key: string, src: string, minor: bigint, ds: Node[]): BankTransaction => {
      const first = ds[0];
      const references: BankReference[] = [];
      const texts: string[] = [];
      for (const d of ds) {
        for (const strd of children(child(d, 'RmtInf'), 'Strd')) {
          const ref = textAt(strd, 'CdtrRefInf', 'Ref');
          if (ref !== null) references.push({ kind: 'structured', value: ref });
        }
        for (const u of children(child(d, 'RmtInf'), 'Ustrd')) {
          const t = u.text.trim();
          if (t !== '') {
            references.push({ kind: 'text', value: t });
            texts.push(t);
          }
        }
      }
      const addl = textAt(ntry, 'AddtlNtryInf');
      if (addl !== null) texts.push(addl);
      const party = sign > 0n ? 'Dbtr' : 'Cdtr';
      const rp = child(first, 'RltdPties');
      const payer = child(rp, party);
      const payerName = textAt(payer, 'Nm') ?? textAt(payer, 'Pty', 'Nm');
      const adr = path(payer, 'PstlAdr') ?? path(payer, 'Pty', 'PstlAdr');
      const adrLines = adr ? [...children(adr, 'StrtNm'), ...children(adr, 'AdrLine'), ...children(adr, 'TwnNm'), ...children(adr, 'Ctry')].map((n) => n.text.trim()).filter((s) => s !== '') : [];
      const acct = child(rp, `${party}Acct`);
      return {
        naturalKey: key,
        source: src,
        account,
        bookingDate,
        valueDate,
        currency: amt.currency,
        amountMinor: sign * minor,
        payerName,
        payerAccount: textAt(acct, 'Id', 'IBAN') ?? textAt(acct, 'Id', 'Othr', 'Id'),
        payerOrgNumber: textAt(payer, 'Id', 'OrgId', 'Othr', 'Id') ?? textAt(payer, 'Pty', 'Id', 'OrgId', 'Othr', 'Id'),
        payerAddress: adrLines.length > 0 ? adrLines.join(', ') : null,
        references,
        text: texts.length > 0 ? texts.join('\n') : null,
        bankReference: entryRef,
      };
    };
    const fallbackKey = (): string => {
      const triple = `${account}:${bookingDate}:${sign * amt.minor}:${amt.currency}`;
      const n = (cur.seen.get(triple) ?? 0) + 1;
      cur.seen.set(triple, n);
      return `${this.format}:${triple}:${n}`;
    };
    if (!split) {
      cur.transactions.push(base(entryRef !== null ? `${this.format}:${account}:${entryRef}` : fallbackKey(), where, amt.minor, details));
      this.flushPart(cur.node);
      return;
    }
    const entryKey = entryRef !== null ? `${account}:${entryRef}` : fallbackKey();
    details.forEach((d, i) => {
      const ref = textAt(d, 'Refs', 'AcctSvcrRef') ?? nonPlaceholder(textAt(d, 'Refs', 'EndToEndId')) ?? textAt(d, 'Refs', 'TxId');
      const key = `${this.format}:${entryKey}:${i + 1}${ref !== null ? `:${ref}` : ''}`;
      const t = base(key, `${where}/NtryDtls/TxDtls[${i + 1}]`, detailAmounts[i]!.minor, [d]);
      const sub = textAt(d, 'Refs', 'AcctSvcrRef');
      cur.transactions.push(sub !== null ? { ...t, bankReference: sub } : t);
    });
    this.flushPart(cur.node);
  }

  /** Hands over the statement's transactions read so far as a part once there are CAMT_PART_SIZE of them. */
  private flushPart(stmt: Node): void {
    const cur = this.current!;
    if (cur.transactions.length < CAMT_PART_SIZE) return;
    const { account, currency } = this.accountOf(stmt);
    this.out.push({
      account,
      currency: currency ?? cur.transactions[0]?.currency ?? '',
      id: textAt(stmt, 'Id') ?? `${this.format}:${cur.index}`,
      date: null,
      declaredTotalMinor: null,
      declaredCount: null,
      transactions: cur.transactions.splice(0),
      continued: true,
    });
  }

  private statement(stmt: Node): BankStatement {
    const cur = this.current!;
    const { account, currency } = this.accountOf(stmt);
    const id = textAt(stmt, 'Id');
    if (id === null) this.fail(this.where('Id'), 'the statement/notification Id is missing');
    // declared entry count and net sum
    const summary = path(stmt, 'TxsSummry', 'TtlNtries');
    let declaredCount: number | null = null;
    let declaredTotal: bigint | null = null;
    if (summary) {
      const n = textAt(summary, 'NbOfNtries');
      if (n !== null) {
        declaredCount = Number(n);
        if (!/^[0-9]+$/.test(n) || declaredCount !== cur.entries) {
          this.fail(this.where('TxsSummry/TtlNtries/NbOfNtries'), `declares ${n} entries, the statement has ${cur.entries}`);
        }
      }
      const sum = textAt(summary, 'TtlNetNtry', 'Amt') ?? textAt(summary, 'TtlNetNtryAmt');
      if (sum !== null && currency !== null) {
        const m = parseMoney(sum, currency, 'Sum').minor;
        const ind = textAt(summary, 'TtlNetNtry', 'CdtDbtInd') ?? textAt(summary, 'CdtDbtInd');
        const net = ind === 'DBIT' ? -m : m;
        declaredTotal = net;
        if (net !== cur.sum) this.fail(this.where('TxsSummry/TtlNtries'), `declares a net of ${sum} ${ind ?? ''}, the entries net ${cur.sum} minor units`);
      }
    }
    // balance continuity
    const balances = children(stmt, 'Bal').map((b) => ({ code: textAt(b, 'Tp', 'CdOrPrtry', 'Cd'), node: b }));
    const opening = balances.find((b) => b.code === 'OPBD' || b.code === 'PRCD');
    const closing = balances.find((b) => b.code === 'CLBD');
    if (opening && closing && currency !== null) {
      const o = this.amount(child(opening.node, 'Amt'), this.where('Bal/Amt'));
      const c = this.amount(child(closing.node, 'Amt'), this.where('Bal/Amt'));
      if (o.currency === currency && c.currency === currency) {
        const ov = this.sign(opening.node, this.where('Bal')) * o.minor;
        const cv = this.sign(closing.node, this.where('Bal')) * c.minor;
        if (ov + cur.sum !== cv) {
          this.fail(this.where('Bal'), `opening balance ${ov} + entries ${cur.sum} ≠ closing balance ${cv} (minor units of ${currency})`);
        }
      }
    }
    const dateText = textAt(stmt, 'CreDtTm')?.slice(0, 10) ?? null;
    return {
      account,
      currency: currency ?? cur.transactions[0]?.currency ?? '',
      id,
      date: dateText !== null && isLocalDate(dateText) ? dateText : null,
      declaredTotalMinor: declaredTotal,
      declaredCount,
      transactions: cur.transactions,
    };
  }

  /** Feeds a chunk of the file; returns the statements it completed. */
  write(chunk: string): BankStatement[] {
    if (this.error) throw this.error;
    this.parser.write(chunk);
    return this.out.splice(0);
  }

  /** Ends the file; returns the last statements and the file's header. */
  close(): { statements: BankStatement[]; header: Omit<BankFile, 'statements'> } {
    this.parser.close();
    if (this.format === null) throw new BankFileError('camt053', 'line 1', 'empty file: no Document element');
    if (this.statementCount === 0) {
      throw new BankFileError(this.format, 'Document', `no ${this.format === 'camt053' ? 'Stmt' : 'Ntfctn'} element: the file holds no statement`);
    }
    return { statements: this.out.splice(0), header: { format: this.format, fileId: this.msgId, test: false } };
  }
}

const nonPlaceholder = (s: string | null): string | null => (s === null || s === 'NOTPROVIDED' ? null : s);

/** Parses a whole camt file held in memory; a statement read in parts is joined again. */
export function parseCamt(text: string): BankFile {
  const r = new CamtReader();
  const parts = r.write(text);
  const end = r.close();
  const statements: BankStatement[] = [];
  let pending: BankTransaction[] = [];
  for (const p of [...parts, ...end.statements]) {
    if (p.continued === true) {
      pending.push(...p.transactions);
      continue;
    }
    statements.push({ ...p, transactions: [...pending, ...p.transactions] });
    pending = [];
  }
  return { ...end.header, statements };
}

/** Streams a camt file from text chunks, yielding statements as they complete. */
export async function* streamCamt(chunks: AsyncIterable<string>): AsyncGenerator<BankStatement, Omit<BankFile, 'statements'>> {
  const r = new CamtReader();
  for await (const c of chunks) yield* r.write(c);
  const end = r.close();
  yield* end.statements;
  return end.header;
}
