/**
 * Issues a draft credit note: it gets the next number of its own series (KF-<year>-<seq>, from a
 * locked counter row, never max+1), reduces the invoice's open item, and posts the reverse of the
 * invoice lines it corrects (D 30xx / D 26xx / C 1510, ACCOUNTING.md). When the invoice is already
 * (partly) paid and the credit exceeds what is open, the excess goes back to the payments that paid
 * the invoice as unapplied cash: customer credit on 2420, owed to the customer, never netted silently.
 * Line credits raise the order lines' credited quantity and lower their net invoiced; a claim's credit request is marked
 * credited. From here on the credit note is immutable (a database trigger enforces it).
 *
 * In the base currency (decision 0008) the credit note is converted at the credited invoice's stored
 * rate, so a full credit note reverses the invoice exactly. The open item's base value goes down in
 * proportion to its foreign amount (all of it when the item closes); what goes back to a payment goes
 * back at that payment's rate (all its base when the payment becomes wholly unapplied again). Where
 * the two rates differ, the difference is posted to 3960 / 7960 (core creditNoteToFunctional).
 *
 * The credit note that completes the credit of an invoice with an öre rounding (BT-114, decision 0009)
 * also reverses that rounding on 3740 (roundingReversedBy), so a full credit closes the open item.
 *
 * Lock order: credit note row → payments that paid the invoice (id order) → the invoice's open item →
 * credit note series → journal series. Payments before the open item, as applyPayment does, so the
 * two cannot deadlock each other.
 */
import { addD, formatDecimal4, ZERO_D, type Quantity } from '../../../core/money/quantity.js';
import { postCreditNoteIssued } from '../../../core/ledger/rules.js';
import { baseTotalsOf, baseValue, creditNoteToFunctional, prorateBase } from '../../../core/ledger/functional.js';
import { identityRate, type ExchangeRate } from '../../../core/money/fx.js';
import { baseCurrencyOf, rateFor } from '../../fx/rate-for.js';
import { compareDates, yearOf, type LocalDate } from '../../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../../core/shared/errors.js';
import type { Id, PaymentId } from '../../../core/shared/ids.js';
import type { CreditNoteRecord, DocumentBaseAmounts, PaymentRecord, Store } from '../../ports.js';
import { sellerSnapshotOf } from '../seller-snapshot.js';
import { postEntry } from '../../ledger/post-entry.js';
import type { Env } from '../../shared/env.js';
import { recordChange } from '../../shared/record.js';
import { accountsFor, assertOpenForIssue } from '../../ledger/chart.js';
import { revenueLinesFor } from '../../ledger/revenue-lines.js';

export const CREDIT_NOTE_NUMBER_DIGITS = 4;

export const formatCreditNoteNumber = (series: string, fiscalYear: number, seq: bigint): string =>
  `${series}-${fiscalYear}-${seq.toString().padStart(CREDIT_NOTE_NUMBER_DIGITS, '0')}`;

export async function issueCreditNote(
  s: Store,
  env: Env,
  id: Id<'creditNote'>,
  input: { issueDate?: LocalDate | undefined } = {},
): Promise<CreditNoteRecord> {
  const accounts = await accountsFor(s, env);
  const note = await s.creditNotes.getForUpdate(id);
  if (!note) throw notFound('credit note', id);
  if (note.status !== 'draft') {
    throw new DomainError('invoice_not_draft', `Cannot issue credit note: it is '${note.status}'; only a draft credit note can be issued`);
  }
  const invoice = await s.invoices.get(note.invoiceId);
  if (!invoice || invoice.status !== 'issued' || invoice.issueDate === null) {
    throw new Error(`credit note ${id}: its invoice ${note.invoiceId} is missing or not issued`);
  }
  const issueDate = input.issueDate ?? env.clock.today();
  await assertOpenForIssue(s, issueDate, 'issue_date');
  if (compareDates(issueDate, invoice.issueDate) < 0) {
    throw invalid('issue_date', `A credit note cannot be dated before the invoice it corrects (${invoice.issueDate})`);
  }
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const seller = sellerSnapshotOf(tenant);

  // what is still open on the invoice, and what the payments that paid it can take back
  const allocations = await s.allocations.listByInvoice(note.invoiceId);
  const paymentIds = [...new Set(allocations.map((a) => a.paymentId as string))].sort();
  const payments = new Map<string, PaymentRecord>();
  for (const pid of paymentIds) {
    const p = await s.payments.getForUpdate(pid as PaymentId);
    if (p) payments.set(pid, p);
  }
  const [item] = await s.openItems.getByInvoicesForUpdate([note.invoiceId]);
  const openMinor = item?.openMinor ?? 0n;
  const receivableNoteMinor = openMinor < note.grossTotalMinor ? openMinor : note.grossTotalMinor;
  const excessMinor = note.grossTotalMinor - receivableNoteMinor;
  // Decision 0009: the credit note that completes the credit of an invoice with an öre rounding reverses
  // that rounding too, as far as it is open (a positive one) or as far as it would otherwise be owed
  // back (a negative one); receivableMinor / customerCreditMinor stored on the note still sum to its gross.
  const roundingBack = await roundingReversedBy(s, note, invoice, openMinor - receivableNoteMinor, excessMinor);
  const receivableMinor = receivableNoteMinor + (roundingBack > 0n ? roundingBack : 0n);
  const customerCreditMinor = excessMinor + (roundingBack < 0n ? roundingBack : 0n);

  // the excess goes back to the payments, latest application first
  const released = await s.creditNotes.releasedByPayment(note.invoiceId);
  const room = new Map<string, bigint>();
  for (const a of allocations) room.set(a.paymentId, (room.get(a.paymentId) ?? 0n) + a.amountMinor);
  for (const [pid, r] of released) room.set(pid, (room.get(pid) ?? 0n) - r);
  const releases: { paymentId: PaymentId; amountMinor: bigint }[] = [];
  let toRelease = customerCreditMinor;
  for (const a of [...allocations].reverse()) {
    if (toRelease === 0n) break;
    const left = room.get(a.paymentId) ?? 0n;
    const take = left < toRelease ? left : toRelease;
    if (take <= 0n) continue;
    room.set(a.paymentId, left - take);
    const existing = releases.find((r) => r.paymentId === a.paymentId);
    if (existing) existing.amountMinor += take;
    else releases.push({ paymentId: a.paymentId, amountMinor: take });
    toRelease -= take;
  }
  if (toRelease !== 0n) {
    // credits never exceed the invoice, so what is not open was paid: a bug upstream if this fails
    throw new Error(`credit note ${id}: ${toRelease} of the excess is not covered by payments applied to invoice ${note.invoiceId}`);
  }

  // the base currency: the invoice's rate; the open item's base in proportion; releases at the payments' rates
  const baseCurrency = await baseCurrencyOf(s);
  const rate: ExchangeRate =
    invoice.exchangeRate != null
      ? { base: note.currency, quote: baseCurrency, scaled: invoice.exchangeRate }
      : note.currency === baseCurrency
        ? identityRate(baseCurrency)
        : (await rateFor(s, note.currency, invoice.issueDate, 'issue_date')).rate; // an invoice issued before decision 0008
  const receivableBaseMinor = item && receivableMinor > 0n ? prorateBase(item.baseOpenMinor, receivableMinor, item.openMinor) : 0n;
  const releaseBase = releases.map((r) => {
    const p = payments.get(r.paymentId);
    if (!p) throw new Error(`credit note ${id}: payment ${r.paymentId} is missing`);
    const room = p.baseAmountMinor - p.baseUnappliedMinor;
    if (p.unappliedMinor + r.amountMinor === p.amountMinor) return room;
    const v = baseValue(r.amountMinor, { base: p.currency, quote: baseCurrency, scaled: p.exchangeRate });
    return v < room ? v : room;
  });
  const customerCreditBaseMinor = releaseBase.reduce((a, b) => a + b, 0n);

  const docPostings = postCreditNoteIssued(
    {
      currency: note.currency,
      customerId: note.customerId,
      grossMinor: note.grossTotalMinor,
      advance: (invoice.kind ?? 'standard') !== 'standard', // decision 0010: debit 2429, not revenue
      receivableMinor,
      customerCreditMinor,
      roundingMinor: roundingBack,
      breakdown: note.vatBreakdown.map((b) => ({
        vatRatePercent: formatDecimal4(b.vatRate),
        vatCategory: b.vatCategory,
        taxableMinor: b.taxableMinor,
        vatMinor: b.vatMinor,
      })),
      revenueLines: await revenueLinesFor(
        s,
        accounts,
        note.lines.map((l) => ({ ...l, productId: invoice.lines.find((il) => il.lineNo === l.invoiceLineNo)?.productId ?? null })),
      ),
    },
    accounts,
  );
  const postings =
    docPostings.length === 0
      ? []
      : creditNoteToFunctional(docPostings, rate, { receivableBaseMinor, customerCreditBaseMinor }, accounts);
  const base: DocumentBaseAmounts = {
    exchangeRate: rate.scaled,
    exchangeRateDate: invoice.exchangeRateDate ?? invoice.issueDate,
    baseCurrency,
    vatTotalBaseMinor: -baseTotalsOf(postings, accounts).vatBaseMinor,
    grossTotalBaseMinor: baseValue(note.grossTotalMinor, rate),
  };

  const fiscalYear = yearOf(issueDate);
  const seq = await s.series.next(`${note.series}-${fiscalYear}`);
  const number = formatCreditNoteNumber(note.series, fiscalYear, seq);
  const issuedAt = env.clock.now();
  const stored = { receivableMinor: note.grossTotalMinor - customerCreditMinor, customerCreditMinor };
  if (!(await s.creditNotes.issue(id, { number, issueDate, ...stored, seller, issuedAt, base }))) {
    throw new DomainError('invoice_not_draft', 'The credit note changed while it was being issued; reload it');
  }
  if (receivableMinor > 0n) {
    if (!item || !(await s.openItems.reduce(item.id, receivableMinor, receivableBaseMinor))) {
      throw new DomainError('conflict', 'The invoice changed while crediting; retry');
    }
  }
  for (const [i, r] of releases.entries()) {
    await s.creditNotes.insertRelease({ creditNoteId: id, paymentId: r.paymentId, invoiceId: note.invoiceId, amountMinor: r.amountMinor });
    if (!(await s.payments.increaseUnapplied(r.paymentId, r.amountMinor, releaseBase[i]!))) {
      throw new DomainError('conflict', 'A payment changed while crediting; retry');
    }
  }

  // line credits: the order lines' credited quantity
  const perOrderLine = new Map<number, { quantity: Quantity }>();
  for (const l of note.lines) {
    if (l.orderLineNo === null || l.quantity === null) continue; // a credit of an amount credits no quantity
    const t = perOrderLine.get(l.orderLineNo) ?? { quantity: ZERO_D };
    perOrderLine.set(l.orderLineNo, { quantity: addD(t.quantity, l.quantity) });
  }
  if (perOrderLine.size > 0) {
    // Only the credited quantity: net_invoiced stays what invoices billed, the running total a later
    // invoice of the line's remaining quantity starts from. A credited quantity is not invoiced again
    // (create-invoice: invoiceNow).
    await s.orders.applyLineDeltas(
      note.orderId,
      [...perOrderLine].map(([lineNo, t]) => ({ lineNo, credited: t.quantity })),
    );
  }

  const entry = postings.length === 0 ? null : await postEntry(s, env, {
    date: issueDate,
    description: `Credit note ${number} (invoice ${invoice.number ?? invoice.id})`,
    sourceType: 'credit_note',
    sourceId: id,
    postings,
  });

  if (note.creditRequestId !== null && !(await s.creditNotes.markCreditRequestCredited(note.creditRequestId))) {
    throw new DomainError('conflict', `The credit request ${note.creditRequestId} is no longer open`);
  }
  await recordChange(s, env, {
    action: 'credit_note.issued',
    entityType: 'credit_note',
    entityId: id,
    data: {
      number,
      invoiceId: note.invoiceId,
      journalEntryId: entry?.id ?? null,
      receivable: receivableMinor.toString(),
      customerCredit: customerCreditMinor.toString(),
      roundingReversed: roundingBack.toString(),
    },
    event: {
      type: 'credit_note.issued',
      payload: { id, number, invoice_id: note.invoiceId, customer_id: note.customerId, gross_minor: note.grossTotalMinor.toString() },
    },
  });
  return { ...note, status: 'issued', number, issueDate, ...stored, seller, issuedAt, ...base };
}

/**
 * The part of the invoice's öre rounding (decision 0009) this credit note reverses: none unless the
 * invoice has one and this note completes its credit (with the earlier issued notes it credits all
 * that was charged: gross − prepaid). A positive rounding is reversed as far as it is still open after
 * the note's gross (`openAfter`): if it was paid, the öre stays with the payment. A negative one is
 * reversed as far as the note's gross exceeds what was open (`excess`): that öre was never owed, so it is
 * not owed back as customer credit.
 */
async function roundingReversedBy(
  s: Store,
  note: CreditNoteRecord,
  invoice: { id: string; grossTotalMinor: bigint; prepaidMinor?: bigint; roundingMinor?: bigint },
  openAfter: bigint,
  excess: bigint,
): Promise<bigint> {
  const rounding = invoice.roundingMinor ?? 0n;
  if (rounding === 0n) return 0n;
  const earlier = (await s.creditNotes.listByInvoice(note.invoiceId)).filter((c) => c.status === 'issued' && c.id !== note.id);
  const credited = earlier.reduce((a, c) => a + c.grossTotalMinor, 0n) + note.grossTotalMinor;
  if (credited < invoice.grossTotalMinor - (invoice.prepaidMinor ?? 0n)) return 0n;
  if (rounding > 0n) return rounding < openAfter ? rounding : openAfter;
  return -rounding < excess ? rounding : -excess;
}
