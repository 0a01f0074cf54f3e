/**
 * The PDF of an invoice dunning issued (a reminder fee or late-payment interest): the ordinary invoice
 * PDF (invoice-pdf.ts, with payment box, OCR reference and the "outside the scope of VAT" reason),
 * with lines made from what the charge is for. Such an invoice has no stored invoice lines (they must
 * name an order line), so the lines come from dunning_charges.details: one line for a reminder fee,
 * one line per reminded invoice for interest (its periods, days and annual rates in the text). The
 * lines add up to the invoice's net total, as the PDF checks.
 */
import type { ChargeDocumentData } from '../../app/dunning/reminders.js';
import { money, parseMoney } from '../../core/money/money.js';
import type { Decimal4 } from '../../core/money/quantity.js';
import { formatMinor } from './i18n.js';
import type { DocumentLanguage, InvoiceDocumentLine } from './invoice-document.js';
import { invoiceLanguageFor, toInvoiceDocument } from './invoice-mapping.js';
import { renderInvoicePdf } from './invoice-pdf.js';

const ONE: Decimal4 = Object.freeze({ scaled: 10_000n });
const ZERO: Decimal4 = Object.freeze({ scaled: 0n });

function line(lineNo: number, description: string, amountMinor: bigint): InvoiceDocumentLine {
  return {
    lineNo,
    description,
    quantity: ONE,
    unit: 'C62',
    unitPriceMinor: amountMinor,
    discountPercent: null,
    discountAmountMinor: 0n,
    netAmountMinor: amountMinor,
    vatRate: ZERO,
    vatCategory: 'O',
  };
}

/** The printed lines of a charge invoice; they always add up to its net total. */
export function chargeLines(d: ChargeDocumentData, lang: DocumentLanguage): InvoiceDocumentLine[] {
  const sv = lang === 'sv';
  const reminder = d.details.reminder_number ?? '';
  if (d.kind === 'reminder_fee') {
    return [line(1, sv ? `Påminnelseavgift, betalningspåminnelse ${reminder}` : `Reminder fee, payment reminder ${reminder}`, d.invoice.netTotalMinor)];
  }
  const cur = d.invoice.currency;
  const lines: InvoiceDocumentLine[] = [];
  for (const i of d.details.invoices ?? []) {
    const amount = parseMoney(i.interest.amount, cur, 'interest').minor;
    if (amount === 0n) continue;
    const open = formatMinor(parseMoney(i.open.amount, cur, 'open').minor, cur, lang);
    const periods = i.periods.map((p) => (sv ? `${p.from} – ${p.to}, ${p.days} dagar à ${p.annual_rate} %` : `${p.from} – ${p.to}, ${p.days} days at ${p.annual_rate} %`)).join('; ');
    lines.push(
      line(
        lines.length + 1,
        sv ? `Dröjsmålsränta (räntelagen 6 §) på faktura ${i.number}, ${open}: ${periods}` : `Late-payment interest on invoice ${i.number}, ${open}: ${periods}`,
        amount,
      ),
    );
  }
  const sum = lines.reduce((a, l) => a + l.netAmountMinor, 0n);
  if (sum !== d.invoice.netTotalMinor) {
    // details that do not add up (never expected): one line for the whole amount, so the PDF never misstates it
    return [line(1, sv ? `Dröjsmålsränta, betalningspåminnelse ${reminder}` : `Late-payment interest, payment reminder ${reminder}`, money(d.invoice.netTotalMinor, cur).minor)];
  }
  return lines;
}

export async function renderChargeInvoicePdf(d: ChargeDocumentData, language?: DocumentLanguage, draftDate?: string): Promise<Buffer> {
  const lang = language ?? invoiceLanguageFor(d.invoice.buyer.country);
  const doc = toInvoiceDocument(d.invoice, d.tenant, lang, { orderNumber: null, lineOrderNumbers: null, draftDate: draftDate ?? d.invoice.issueDate ?? '2000-01-01' });
  return renderInvoicePdf({ ...doc, lines: chargeLines(d, lang) });
}
