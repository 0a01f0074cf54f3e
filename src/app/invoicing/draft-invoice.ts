/**
 * The draft invoice record every way of invoicing makes (one order, several orders of a customer, an
 * advance): no number, dates or reference yet, the buyer as the customer is now, the totals and VAT
 * breakdown computed by core documentTotals.
 */
import type { DocumentTotals } from '../../core/documents/lines.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { CustomerRecord, InvoiceRecord } from '../ports.js';
import type { Env } from '../shared/env.js';

export function draftInvoice(
  env: Env,
  p: {
    orderId: OrderId | null;
    customer: CustomerRecord;
    currency: string;
    deliveryDate: LocalDate | null;
    paymentTermsDays: number;
    lines: InvoiceRecord['lines'];
    totals: DocumentTotals;
  } & Required<Pick<InvoiceRecord, 'kind' | 'advanceLabel' | 'prepaidMinor' | 'advanceDeductions'>> &
    Pick<InvoiceRecord, 'roundingMinor'>,
): InvoiceRecord {
  const c = p.customer;
  return {
    id: env.ids.next('invoice'),
    series: 'INV',
    number: null,
    status: 'draft',
    orderId: p.orderId,
    customerId: c.id,
    currency: p.currency,
    issueDate: null,
    dueDate: null,
    deliveryDate: p.deliveryDate,
    paymentTermsDays: p.paymentTermsDays,
    paymentReference: null,
    netTotalMinor: p.totals.net.minor,
    vatTotalMinor: p.totals.vat.minor,
    grossTotalMinor: p.totals.gross.minor,
    seller: null,
    buyer: {
      name: c.name,
      orgNumber: c.orgNumber,
      vatNumber: c.vatNumber,
      country: c.country,
      addressLine1: c.addressLine1,
      addressLine2: c.addressLine2,
      postalCode: c.postalCode,
      city: c.city,
      email: c.email,
    },
    issuedAt: null,
    createdAt: env.clock.now(),
    lines: p.lines,
    vatBreakdown: p.totals.breakdown.map((b) => ({ vatCategory: b.vatCategory, vatRate: b.vatRate, taxableMinor: b.taxable.minor, vatMinor: b.vat.minor })),
    kind: p.kind,
    advanceLabel: p.advanceLabel,
    prepaidMinor: p.prepaidMinor,
    ...(p.roundingMinor === undefined ? {} : { roundingMinor: p.roundingMinor }),
    advanceDeductions: p.advanceDeductions,
  };
}
