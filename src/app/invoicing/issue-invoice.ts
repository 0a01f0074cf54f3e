/**
 * Issues a draft invoice: it gets the next number of its series (taken from a locked counter row in
 * this transaction, never max+1, so numbers are sequential without gaps or duplicates), its dates,
 * a payment reference (an OCR number at the tenant's control level or an RF creditor reference, per
 * the tenant's settings, stored compact), an open item in the receivables subledger and its journal entry
 * (1510 / 30xx / 26xx; an öre rounding to 3740, decision 0009; deducted advances at their own rate,
 * decision 0010 and functional.ts invoiceToFunctional). From here on the invoice is immutable (a database trigger enforces it).
 *
 * Lock order is fixed (invoice row → invoice series → journal series), so concurrent issues queue
 * instead of deadlocking, and the counters are taken last so their locks are held briefly.
 */
import { formatDecimal4 } from '../../core/money/quantity.js';
import { nextInvoiceStatus } from '../../core/documents/lifecycle.js';
import { advanceDeductionPostings, postInvoiceIssued, type InvoiceIssuedEvent } from '../../core/ledger/rules.js';
import { baseTotalsOf, baseValue, invoiceToFunctional, toFunctional, type PostingsAtRate } from '../../core/ledger/functional.js';
import type { ExchangeRate } from '../../core/money/fx.js';
import type { AccountMap } from '../../core/ledger/accounts.js';
import { rateFor } from '../fx/rate-for.js';
import { makeOcrReferenceFor, ocrBaseFromInvoiceNumber, ocrControl } from '../../core/receivables/ocr.js';
import { makeRfReference } from '../../core/receivables/rf.js';
import { addDays, yearOf, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { InvoiceId } from '../../core/shared/ids.js';
import type { InvoiceRecord, Store, TenantRecord } from '../ports.js';
import { sellerSnapshotOf } from './seller-snapshot.js';
import { postEntry } from '../ledger/post-entry.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { accountsFor, assertOpenForIssue } from '../ledger/chart.js';
import { revenueLinesFor } from '../ledger/revenue-lines.js';

export const INVOICE_NUMBER_DIGITS = 5;

export const formatInvoiceNumber = (fiscalYear: number, seq: bigint): string =>
  `${fiscalYear}-${seq.toString().padStart(INVOICE_NUMBER_DIGITS, '0')}`;

export async function issueInvoice(
  s: Store,
  env: Env,
  id: InvoiceId,
  input: { issueDate?: LocalDate | undefined } = {},
): Promise<InvoiceRecord> {
  const accounts = await accountsFor(s, env);
  const invoice = await s.invoices.getForUpdate(id);
  if (!invoice) throw notFound('invoice', id);
  const to = nextInvoiceStatus(invoice.status, 'issue');
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const seller = sellerSnapshotOf(tenant);
  const issueDate = input.issueDate ?? env.clock.today();
  await assertOpenForIssue(s, issueDate, 'issue_date');
  // Decision 0008: the tax point is the issue date, so the invoice is converted at the rate in force then.
  const fx = await rateFor(s, invoice.currency, issueDate, 'issue_date');
  const dueDate = addDays(issueDate, invoice.paymentTermsDays);
  const fiscalYear = yearOf(issueDate);
  const seq = await s.series.next(`${invoice.series}-${fiscalYear}`);
  const number = formatInvoiceNumber(fiscalYear, seq);
  const paymentReference = paymentReferenceFor(tenant, number);
  const issuedAt = env.clock.now();
  const postings = postInvoiceIssued(
    {
      currency: invoice.currency,
      customerId: invoice.customerId,
      grossMinor: invoice.grossTotalMinor,
      breakdown: invoice.vatBreakdown.map((b) => ({
        vatRatePercent: formatDecimal4(b.vatRate),
        vatCategory: b.vatCategory,
        taxableMinor: b.taxableMinor,
        vatMinor: b.vatMinor,
      })),
      ...advancePostingInput(invoice),
      roundingMinor: invoice.roundingMinor ?? 0n,
      revenueLines: await revenueLinesFor(s, accounts, invoice.lines),
    },
    accounts,
  );
  // the entry in the base currency; its VAT is the invoice's VAT in SEK (BT-111), its 1510 the open item's base value.
  // Deducted advances are converted at their own stored rates (so 2429 returns to zero in base), the
  // rest at this invoice's rate; the difference is an exchange difference (3960 / 7960).
  const deductionsAtRate = await deductionsAtTheirRates(s, invoice, fx.rate, accounts);
  const basePostings =
    postings.length === 0 ? [] : deductionsAtRate.length === 0 ? toFunctional(postings, fx.rate) : invoiceToFunctional(postings, fx.rate, deductionsAtRate, accounts);
  const baseTotals = baseTotalsOf(basePostings, accounts);
  const base = {
    exchangeRate: fx.rate.scaled,
    exchangeRateDate: fx.rateDate,
    baseCurrency: fx.rate.quote,
    // BT-111 is the document's VAT (BT-110, the whole supply's) in SEK. Without deductions that is the
    // VAT the entry posts; with deducted advances the entry also reverses their VAT (at their rates),
    // so the document figure is this invoice's VAT at its own rate.
    vatTotalBaseMinor: (invoice.advanceDeductions ?? []).length === 0 ? baseTotals.vatBaseMinor : baseValue(invoice.vatTotalMinor, fx.rate),
    grossTotalBaseMinor: baseValue(invoice.grossTotalMinor, fx.rate),
  };
  if (!(await s.invoices.issue(id, { series: invoice.series, number, issueDate, dueDate, paymentReference, seller, issuedAt, base }))) {
    throw new DomainError('invoice_not_draft', 'The invoice changed while it was being issued; reload it');
  }
  // A zero-total invoice (e.g. fully discounted) is issued and numbered, but leaves nothing to collect or post.
  // Decision 0010: what is due is the gross less the advances it deducts; decision 0009: plus the öre rounding
  const dueMinor = invoice.grossTotalMinor + (invoice.roundingMinor ?? 0n) - (invoice.prepaidMinor ?? 0n);
  const hasAmount = dueMinor > 0n;
  if (hasAmount) await s.openItems.insert({
    id: env.ids.next('openItem'),
    customerId: invoice.customerId,
    invoiceId: id,
    currency: invoice.currency,
    documentDate: issueDate,
    dueDate,
    originalMinor: dueMinor,
    openMinor: dueMinor,
    baseOriginalMinor: baseTotals.receivableBaseMinor,
    baseOpenMinor: baseTotals.receivableBaseMinor,
  });
  const entry =
    basePostings.length === 0
      ? null
      : await postEntry(s, env, { date: issueDate, description: `Invoice ${number}`, sourceType: 'invoice', sourceId: id, postings: basePostings });
  await recordChange(s, env, {
    action: 'invoice.issued',
    entityType: 'invoice',
    entityId: id,
    data: { number, journalEntryId: entry?.id ?? null },
    event: { type: 'invoice.issued', payload: { id, number, customer_id: invoice.customerId } },
  });
  return { ...invoice, status: to, number, issueDate, dueDate, paymentReference, seller, issuedAt, ...base };
}

/** Decision 0010: an advance posts its nets to 2429; an invoice that deducts advances debits 2429 and their VAT. */
function advancePostingInput(invoice: InvoiceRecord): Pick<InvoiceIssuedEvent, 'advance' | 'deductions'> {
  return {
    advance: (invoice.kind ?? 'standard') !== 'standard',
    deductions: (invoice.advanceDeductions ?? []).map((d) => ({
      vatRatePercent: formatDecimal4(d.vatRate), vatCategory: d.vatCategory, netMinor: d.netMinor, vatMinor: d.vatMinor,
    })),
  };
}

/**
 * The deduction postings of each advance an invoice in a foreign currency deducts, with the rate the
 * advance was converted at when it was issued (its stored exchange_rate). Empty for a base-currency
 * invoice and when every advance has this invoice's rate: then the whole entry converts at one rate.
 */
async function deductionsAtTheirRates(s: Store, invoice: InvoiceRecord, rate: ExchangeRate, accounts: AccountMap): Promise<PostingsAtRate[]> {
  const rows = invoice.advanceDeductions ?? [];
  if (rows.length === 0 || rate.base === rate.quote) return [];
  const byAdvance = new Map<string, typeof rows>();
  for (const d of rows) byAdvance.set(d.advanceInvoiceId, [...(byAdvance.get(d.advanceInvoiceId) ?? []), d]);
  const out: PostingsAtRate[] = [];
  for (const [advanceId, ds] of byAdvance) {
    const advance = await s.invoices.get(advanceId as InvoiceId);
    if (!advance) throw new Error(`invoice ${invoice.id}: the advance ${advanceId} it deducts is missing`);
    // an advance issued before decision 0008 has no stored rate: this invoice's rate, as before
    const advanceRate: ExchangeRate =
      advance.exchangeRate != null && advance.baseCurrency === rate.quote ? { base: rate.base, quote: rate.quote, scaled: advance.exchangeRate } : rate;
    const postings = advanceDeductionPostings(
      invoice.currency,
      ds.map((d) => ({ vatRatePercent: formatDecimal4(d.vatRate), vatCategory: d.vatCategory, netMinor: d.netMinor, vatMinor: d.vatMinor })),
      accounts,
    );
    if (postings.length > 0) out.push({ postings, rate: advanceRate });
  }
  return out.every((d) => d.rate.scaled === rate.scaled) ? [] : out;
}

/**
 * The payment reference for invoice `number` under the tenant's settings, compact (no spaces): the
 * invoice number's digits as base, then an RF creditor reference or an OCR number that passes the
 * tenant's OCR control level. A fixed OCR length the number does not fit is refused, not truncated.
 */
export function paymentReferenceFor(
  tenant: Pick<TenantRecord, 'paymentReferenceKind' | 'ocrControl' | 'ocrLengths'>,
  number: string,
): string {
  const base = ocrBaseFromInvoiceNumber(number);
  if (tenant.paymentReferenceKind === 'rf') return makeRfReference(base);
  const control = ocrControl(tenant.ocrControl, tenant.ocrLengths ?? undefined);
  if (control.level === 'hard_fixed_length' && base.length + 1 > Math.max(...control.lengths)) {
    throw new DomainError(
      'validation_failed',
      `Invoice number ${number} does not fit the fixed OCR length of ${control.lengths.join(' or ')} digits; change ocr_lengths in the company settings`,
      'ocr_lengths',
    );
  }
  return makeOcrReferenceFor(base, control);
}

export async function getInvoice(s: Store, id: InvoiceId): Promise<InvoiceRecord> {
  const i = await s.invoices.get(id);
  if (!i) throw notFound('invoice', id);
  return i;
}
