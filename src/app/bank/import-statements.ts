/**
 * Imports the statements of a bank file (already read by a reader in src/integrations/bank) in one
 * transaction: the file is recorded, every line whose (account, natural key) is new is stored — a
 * re-import or an overlapping statement adds nothing — and the new incoming lines are matched
 * (core cash-matching). A line whose best proposal is unique and above the tenant's threshold is
 * auto-applied: it becomes a payment (received on its booking date, on the matched customer) applied
 * to the proposed invoices, with the rule and reasons kept on the line; the payer's account is learned
 * for the customer. Every other incoming line waits for review with its proposals; outgoing lines are
 * stored as such. A reader error, or anything failing here, rolls the whole import back.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_MATCH_POLICY, matchBatch, normaliseAccount, OpenItemIndex, type BankLineInput, type LineDecision, type MatchPolicy } from '../../core/receivables/cash-matching.js';
import { isKnownCurrency } from '../../core/money/currency.js';
import { money } from '../../core/money/money.js';
import { DomainError } from '../../core/shared/errors.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { CustomerId, Id, InvoiceId } from '../../core/shared/ids.js';
import type { BankImportRecord, BankTransactionRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { applyPayment } from '../payments/apply-payment.js';
import { receivePayment } from '../payments/receive-payment.js';

/** How the payer referred to what they paid. */
export interface BankReference {
  /**
   * - structured: a creditor reference the bank or clearing checked or marked as such (BgMax
   *   reference code 2 "OCR", camt Strd/CdtrRefInf): still validated by the matcher (Luhn / mod 97)
   *   before it is trusted;
   * - text: a reference or message written by the payer (BgMax 3/4, camt Ustrd, MT940 :86:).
   */
  kind: 'structured' | 'text';
  value: string;
  /** Part of the transaction's amount that this reference carries, where the file says (BgMax 22/23). */
  amountMinor?: bigint | undefined;
}

/** A bank line as every reader in src/integrations/bank produces it. */
export interface ImportedLine {
  /** Stable identity of the transaction at the bank (see each reader); unique within a bank account. */
  naturalKey: string;
  /** Where in the file it came from (line number or element path), for messages. */
  source: string;
  /** The account credited or debited: bankgiro number, IBAN or account number as the file gives it. */
  account: string;
  bookingDate: LocalDate;
  valueDate: LocalDate | null;
  currency: string;
  /** Signed: > 0 money in, < 0 money out (a deduction, a returned payment, a fee). */
  amountMinor: bigint;
  payerName: string | null;
  /** The payer's account (bankgiro, IBAN, account number) where the file has it. */
  payerAccount: string | null;
  payerOrgNumber: string | null;
  payerAddress: string | null;
  references: BankReference[];
  /** Free text (messages, information records), joined with newlines. */
  text: string | null;
  /** The bank's own reference for the transaction (BgMax serial number, AcctSvcrRef, …). */
  bankReference: string | null;
}

export interface ImportedStatement {
  id: string;
  account: string;
  transactions: readonly ImportedLine[];
  /** True on every part of a long statement but its last (the reader hands it over in parts). */
  continued?: boolean | undefined;
}

export interface BankImportReport {
  importId: string;
  format: BankImportRecord['format'];
  fileName: string | null;
  /** True when a file with the same content was imported before (nothing new is then expected). */
  seenBefore: boolean;
  statements: number;
  lines: number;
  new: number;
  duplicates: number;
  outgoing: number;
  autoApplied: number;
  review: number;
  unmatched: number;
  /** Σ auto-applied amounts per currency, minor units as strings. */
  appliedByCurrency: Record<string, string>;
}

export const sha256 = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');

export interface ImportStatementsInput {
  format: BankImportRecord['format'];
  fileName: string | null;
  fileSha256: string;
  /** The file's own identity (BgMax timestamp, camt MsgId), known once its statements are read. */
  fileId: () => string | null;
  statements: AsyncIterable<ImportedStatement> | Iterable<ImportedStatement>;
}

function toLineInput(t: BankTransactionRecord): BankLineInput {
  return {
    id: t.id,
    currency: t.currency,
    amountMinor: t.amountMinor,
    payerName: t.payerName,
    payerAccount: t.payerAccount,
    structuredReferences: t.references.filter((r) => r.kind === 'structured').map((r) => r.value),
    text: [...t.references.filter((r) => r.kind === 'text').map((r) => r.value), t.text ?? ''].filter((x) => x !== '').join('\n') || null,
  };
}

/** The decision as stored on the line (JSON-safe: amounts as strings). */
export function decisionJson(d: LineDecision): unknown {
  const p = (x: NonNullable<LineDecision['best']>) => ({
    rule: x.rule,
    score: x.score,
    customer_id: x.customerId,
    allocations: x.allocations.map((a) => ({ invoice_id: a.invoiceId, invoice_number: a.invoiceNumber, amount_minor: a.amountMinor.toString(), write_off_minor: a.writeOffMinor.toString() })),
    unallocated_minor: x.unallocatedMinor.toString(),
    reasons: x.reasons,
  });
  return { decision: d.decision, best: d.best ? p(d.best) : null, proposals: d.proposals.map(p), payer_customer_id: d.payerCustomerId };
}

export async function importBankStatements(s: Store, env: Env, input: ImportStatementsInput): Promise<BankImportReport> {
  const importId = env.ids.next('bankImport') as Id<'bankImport'>;
  const seenBefore = (await s.bank.findImportBySha(input.fileSha256)) !== undefined;
  const report: BankImportReport = {
    importId,
    format: input.format,
    fileName: input.fileName,
    seenBefore,
    statements: 0,
    lines: 0,
    new: 0,
    duplicates: 0,
    outgoing: 0,
    autoApplied: 0,
    review: 0,
    unmatched: 0,
    appliedByCurrency: {},
  };
  await s.bank.insertImport({ id: importId, format: input.format, fileName: input.fileName, fileSha256: input.fileSha256, fileId: null, report, actor: env.actor.actorId, createdAt: env.clock.now() });
  // The open items are loaded once, at the first statement with new incoming lines; each statement's
  // lines are matched and applied as it arrives, so only one statement's lines are held at a time.
  let matcher: { index: OpenItemIndex; policy: MatchPolicy } | null = null;
  const match = async (incoming: BankTransactionRecord[]): Promise<void> => {
    if (incoming.length === 0) return;
    if (matcher === null) {
      const settings = await s.bank.matchSettings();
      const data = await s.bank.matchingData();
      matcher = {
        index: new OpenItemIndex(data.items, data.customers, await s.bank.learnedAccounts()),
        policy: { ...DEFAULT_MATCH_POLICY, autoThreshold: settings.autoThreshold, toleranceMinor: settings.toleranceMinor, toleranceBasisPoints: settings.toleranceBasisPoints },
      };
    }
    const decisions = matchBatch(incoming.map(toLineInput), matcher.index, matcher.policy);
    for (const [k, d] of decisions.entries()) {
      const line = incoming[k]!;
      if (d.decision === 'auto' && d.best) {
        const paymentId = await applyDecision(s, env, line, d);
        report.autoApplied++;
        report.appliedByCurrency[line.currency] = (BigInt(report.appliedByCurrency[line.currency] ?? '0') + line.amountMinor).toString();
        await s.bank.settle(line.id, { status: 'applied', paymentId, match: decisionJson(d), ignoredReason: null });
      } else {
        if (d.decision === 'review') report.review++;
        else report.unmatched++;
        await s.bank.settle(line.id, { status: 'unmatched', paymentId: null, match: decisionJson(d), ignoredReason: null });
      }
    }
  };
  for await (const st of input.statements) {
    // a reader may hand over a long statement in parts (continued: more of it follows)
    if (st.continued !== true) report.statements++;
    for (const t of st.transactions) {
      if (!isKnownCurrency(t.currency)) {
        throw new DomainError('validation_failed', `${t.source}: ${t.currency} is not a current ISO 4217 currency; nothing was imported`, 'file');
      }
    }
    const records: BankTransactionRecord[] = st.transactions.map((t) => ({
      id: env.ids.next('bankTransaction') as Id<'bankTransaction'>,
      importId,
      naturalKey: t.naturalKey,
      account: t.account,
      bookingDate: t.bookingDate,
      valueDate: t.valueDate,
      currency: t.currency,
      amountMinor: t.amountMinor,
      payerName: t.payerName,
      payerAccount: t.payerAccount,
      payerOrgNumber: t.payerOrgNumber,
      payerAddress: t.payerAddress,
      references: t.references.map((r) => ({ kind: r.kind, value: r.value, ...(r.amountMinor !== undefined ? { amountMinor: r.amountMinor.toString() } : {}) })),
      text: t.text,
      bankReference: t.bankReference,
      source: t.source,
      status: t.amountMinor > 0n ? 'unmatched' : 'outgoing',
      paymentId: null,
      match: null,
      ignoredReason: null,
      createdAt: env.clock.now(),
    }));
    report.lines += records.length;
    const inserted = await s.bank.insertNew(records);
    report.new += inserted.length;
    report.duplicates += records.length - inserted.length;
    const incoming: BankTransactionRecord[] = [];
    for (const r of inserted) {
      if (r.amountMinor > 0n) incoming.push(r);
      else report.outgoing++;
    }
    await match(incoming);
  }

  await s.bank.setImportReport(importId, report, input.fileId());
  await recordChange(s, env, {
    action: 'bank.imported',
    entityType: 'bank_import',
    entityId: importId,
    data: { format: input.format, new: report.new, duplicates: report.duplicates, autoApplied: report.autoApplied },
  });
  return report;
}

/**
 * Turns a line into a payment on the proposal's customer and applies the proposal's allocations;
 * what is not allocated stays on the payment as customer credit. Learns the payer account.
 */
export async function applyDecision(s: Store, env: Env, line: BankTransactionRecord, d: LineDecision): Promise<BankTransactionRecord['paymentId'] & string> {
  const best = d.best!;
  const customerId = best.customerId as CustomerId;
  const payment = await receivePayment(s, env, {
    amount: money(line.amountMinor, line.currency),
    receivedOn: line.bookingDate,
    payerName: line.payerName,
    payerAccount: line.payerAccount,
    referenceText: toLineInput(line).text ?? line.references.map((r) => r.value).join(' '),
    customerId,
    autoApply: false,
    matched: {
      invoiceId: (best.allocations[0]?.invoiceId ?? null) as InvoiceId | null,
      method: best.rule === 'payment_reference' ? 'ocr_reference' : best.rule === 'invoice_number' ? 'invoice_number' : null,
    },
  });
  // a short rest the engine found within tolerance is written off on apply (3740, payment-rules)
  const allocations = best.allocations
    .filter((a) => a.amountMinor > 0n)
    .map((a) => ({ invoiceId: a.invoiceId as InvoiceId, amountMinor: a.amountMinor, writeOff: a.writeOffMinor > 0n }));
  if (allocations.length > 0) await applyPayment(s, env, payment.id, { allocations, appliedOn: line.bookingDate });
  if (line.payerAccount !== null && line.payerAccount.trim() !== '') {
    await s.bank.learnAccount(normaliseAccount(line.payerAccount), customerId, line.id);
  }
  return payment.id;
}
