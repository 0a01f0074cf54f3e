/**
 * The customer portal for invoices (issue 9): the issued invoice, its PDF and how to pay it.
 *
 * Staff (API key or session; billing.write):
 *   POST /v1/invoices/{id}/portal-links                  a link to an issued invoice (409 invoice_not_issued for a draft);
 *                                                        the URL with its token is in this response only. With an
 *                                                        Idempotency-Key a retry returns the same link and URL (the
 *                                                        token is derived from the server secret, never stored).
 *   POST /v1/invoices/{id}/portal-links/{linkId}/revoke  revokes it: its URL then answers 404
 *
 * Customer (no API key: the token in the path is the credential):
 *   GET  /portal/invoices/{token}       the invoice (HTML; JSON with Accept: application/json): seller, number, dates,
 *                                       lines, VAT breakdown, totals, paid and due, status, payment details (bankgiro /
 *                                       IBAN, OCR or RF reference, amount, due date) and credit notes against it
 *   GET  /portal/invoices/{token}/pdf   the invoice PDF
 * `?lang=sv|en` shows either in that language (the customer's by default). A wrong or revoked token is
 * 404, an expired one 410; no-store, no-referrer and noindex headers, as the other portals.
 */
import { z } from 'zod';
import { chargeDocumentData } from '../../app/dunning/reminders.js';
import { lineOrderNumbersOf } from '../../app/invoicing/send-invoice.js';
import type { Store } from '../../app/ports.js';
import { documentPortalPath, revokeDocumentLink } from '../../app/portal/document-links.js';
import { createInvoicePortalLink, invoiceLinkToken, viewPortalInvoice, type PortalInvoiceStatus, type PortalInvoiceView } from '../../app/portal/invoice-portal.js';
import type { AppDeps, Env } from '../../app/shared/env.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import { formatMoney, formatPercent, formatQuantity, unitLabel } from '../../integrations/pdf/i18n.js';
import { printedPaymentReference, toInvoiceDocument } from '../../integrations/pdf/invoice-mapping.js';
import { renderInvoicePdf } from '../../integrations/pdf/invoice-pdf.js';
import type { DocumentLanguage } from '../../integrations/pdf/quote-document.js';
import { renderChargeInvoicePdf } from '../../integrations/pdf/reminder-charge-pdf.js';
import { principalOf } from '../auth.js';
import { idempotencyKeyOf } from '../command.js';
import type { Api } from '../http.js';
import { html, inDocumentLink, keepLanguage, MoneyOut, portalLineFields, portalPage, portalStyle, scrollTable, type Html } from '../portal-pages.js';
import { type PortalDocument, portalDocumentRoute, portalLinkRoutes, portalPdfRoute, portalScope } from '../portal-routes.js';
import { moneyJson } from '../serialize.js';

// ------------------------------------------------------------------ HTML

const STYLE = portalStyle({ formMargin: '1rem', inputs: 'input[type=text]', components: false });

const T = {
  sv: {
    invoice: 'Faktura',
    from: 'Från',
    to: 'Till',
    invoiceDate: 'Fakturadatum',
    dueDate: 'Förfallodag',
    deliveryDate: 'Leveransdatum',
    order: 'Vår order',
    status: 'Status',
    statuses: {
      unpaid: 'Obetald',
      partially_paid: 'Delvis betald',
      overdue: 'Förfallen',
      paid: 'Betald',
      credited: 'Krediterad',
      written_off: 'Avskriven',
    } as Record<PortalInvoiceStatus, string>,
    paidNotice: 'Fakturan är betald. Tack!',
    creditedNotice: 'Fakturan är krediterad i sin helhet. Du behöver inte betala något.',
    overdueNotice: (d: string) => `Fakturan förföll till betalning ${d}. Betala det som återstår så snart som möjligt.`,
    howToPay: 'Så betalar du',
    payText: 'Betala till bankgirot eller kontot nedan och ange referensen exakt som den står, så kopplas betalningen till fakturan.',
    bankgiro: 'Bankgiro',
    iban: 'IBAN',
    bic: 'BIC',
    ocr: 'OCR-nummer',
    rf: 'Referens (RF)',
    amountToPay: 'Belopp att betala',
    lines: 'Fakturarader',
    description: 'Beskrivning',
    quantity: 'Antal',
    unitPrice: 'À-pris',
    discount: 'Rabatt',
    vatRate: 'Moms',
    amount: 'Belopp',
    vatBreakdown: 'Momsspecifikation',
    taxable: 'Underlag',
    vat: 'Moms',
    net: 'Summa exkl. moms',
    rounding: 'Öresavrundning',
    prepaid: 'Avgår förskott',
    total: 'Fakturabelopp',
    credited: 'Krediterat',
    paid: 'Betalt',
    writtenOff: 'Avskrivet',
    due: 'Kvar att betala',
    creditNotes: 'Kreditnotor',
    number: 'Nummer',
    date: 'Datum',
    reason: 'Orsak',
    pdf: 'Ladda ner fakturan som PDF',
  },
  en: {
    invoice: 'Invoice',
    from: 'From',
    to: 'To',
    invoiceDate: 'Invoice date',
    dueDate: 'Due date',
    deliveryDate: 'Delivery date',
    order: 'Our order',
    status: 'Status',
    statuses: {
      unpaid: 'Unpaid',
      partially_paid: 'Partly paid',
      overdue: 'Overdue',
      paid: 'Paid',
      credited: 'Credited',
      written_off: 'Written off',
    } as Record<PortalInvoiceStatus, string>,
    paidNotice: 'This invoice is paid. Thank you!',
    creditedNotice: 'This invoice has been credited in full. There is nothing to pay.',
    overdueNotice: (d: string) => `This invoice was due on ${d}. Please pay what remains as soon as possible.`,
    howToPay: 'How to pay',
    payText: 'Pay to the bankgiro or account below and give the reference exactly as shown, so that the payment is matched to this invoice.',
    bankgiro: 'Bankgiro',
    iban: 'IBAN',
    bic: 'BIC',
    ocr: 'OCR reference',
    rf: 'Reference (RF)',
    amountToPay: 'Amount to pay',
    lines: 'Invoice lines',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    discount: 'Discount',
    vatRate: 'VAT',
    amount: 'Amount',
    vatBreakdown: 'VAT breakdown',
    taxable: 'Taxable amount',
    vat: 'VAT',
    net: 'Total excl. VAT',
    rounding: 'Rounding',
    prepaid: 'Less advances',
    total: 'Invoice total',
    credited: 'Credited',
    paid: 'Paid',
    writtenOff: 'Written off',
    due: 'Amount due',
    creditNotes: 'Credit notes',
    number: 'Number',
    date: 'Date',
    reason: 'Reason',
    pdf: 'Download the invoice as a PDF',
  },
} as const;

/** An IBAN in groups of four, as it is printed on paper. */
const groupedIban = (iban: string): string => iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');

const sellerName = (v: PortalInvoiceView): string => v.invoice.seller?.name ?? v.seller.name;

function invoicePage(token: string, v: PortalInvoiceView, lang: DocumentLanguage, asked: DocumentLanguage | undefined): string {
  const t = T[lang];
  const i = v.invoice;
  const base = documentPortalPath('invoice', token);
  const money = (minor: bigint) => formatMoney(minor, i.currency, lang);
  const title = `${t.invoice} ${i.number ?? ''}`;
  const due = i.dueDate ?? '';
  const reference = i.paymentReference === null ? null : printedPaymentReference(i.paymentReference);
  const notice =
    v.status === 'paid'
      ? html`<p class="notice" role="status">${t.paidNotice}</p>`
      : v.status === 'credited'
        ? html`<p class="notice" role="status">${t.creditedNotice}</p>`
        : v.status === 'overdue'
          ? html`<p class="notice error" role="status">${t.overdueNotice(due)}</p>`
          : html``;
  const pay: Html =
    v.amountDueMinor > 0n
      ? html`<section class="pay" aria-labelledby="pay-heading"><h2 id="pay-heading">${t.howToPay}</h2><p>${t.payText}</p><dl>
${v.bankgiro ? html`<dt>${t.bankgiro}</dt><dd>${v.bankgiro}</dd>` : html``}${v.iban ? html`<dt>${t.iban}</dt><dd>${groupedIban(v.iban)}</dd>` : html``}${v.bic ? html`<dt>${t.bic}</dt><dd>${v.bic}</dd>` : html``}
${reference ? html`<dt>${reference.kind === 'rf' ? t.rf : t.ocr}</dt><dd><strong data-testid="payment-reference">${reference.value}</strong></dd>` : html``}
<dt>${t.amountToPay}</dt><dd><strong>${money(v.amountDueMinor)}</strong></dd><dt>${t.dueDate}</dt><dd>${due}</dd></dl></section>`
      : html``;
  const rows = i.lines.map(
    (l) =>
      html`<tr><td>${l.description}</td><td class="num">${formatQuantity(l.quantity, lang)} ${unitLabel(l.unit, lang)}</td><td class="num">${money(l.unitPriceMinor)}</td><td class="num">${l.discountAmountMinor === 0n ? '' : money(l.discountAmountMinor)}</td><td class="num">${formatPercent(l.vatRate, lang)}</td><td class="num">${money(l.netAmountMinor)}</td></tr>`,
  );
  const lines =
    i.lines.length === 0
      ? html``
      : scrollTable(
          t.lines,
          html`<table><caption>${t.lines}</caption><thead><tr><th scope="col">${t.description}</th><th scope="col" class="num">${t.quantity}</th><th scope="col" class="num">${t.unitPrice}</th><th scope="col" class="num">${t.discount}</th><th scope="col" class="num">${t.vatRate}</th><th scope="col" class="num">${t.amount}</th></tr></thead><tbody>${rows}</tbody></table>`,
        );
  const vatRows = i.vatBreakdown.map(
    (b) => html`<tr><th scope="row">${formatPercent(b.vatRate, lang)}</th><td class="num">${money(b.taxableMinor)}</td><td class="num">${money(b.vatMinor)}</td></tr>`,
  );
  const vat =
    i.vatBreakdown.length === 0
      ? html``
      : scrollTable(
          t.vatBreakdown,
          html`<table><caption>${t.vatBreakdown}</caption><thead><tr><th scope="col">${t.vatRate}</th><th scope="col" class="num">${t.taxable}</th><th scope="col" class="num">${t.vat}</th></tr></thead><tbody>${vatRows}</tbody></table>`,
        );
  const rounding = i.roundingMinor ?? 0n;
  const prepaid = i.prepaidMinor ?? 0n;
  const totals = html`<dl><dt>${t.net}</dt><dd>${money(i.netTotalMinor)}</dd><dt>${t.vat}</dt><dd>${money(i.vatTotalMinor)}</dd>${
    rounding !== 0n ? html`<dt>${t.rounding}</dt><dd>${money(rounding)}</dd>` : html``
  }${prepaid !== 0n ? html`<dt>${t.prepaid}</dt><dd>−${money(prepaid)}</dd>` : html``}<dt>${t.total}</dt><dd>${money(v.payableMinor)}</dd>${
    v.creditedMinor > 0n ? html`<dt>${t.credited}</dt><dd>−${money(v.creditedMinor)}</dd>` : html``
  }<dt>${t.paid}</dt><dd>${money(v.paidMinor)}</dd>${
    v.writtenOffMinor > 0n ? html`<dt>${t.writtenOff}</dt><dd>${money(v.writtenOffMinor)}</dd>` : html``
  }<dt><strong>${t.due}</strong></dt><dd><strong data-testid="amount-due">${money(v.amountDueMinor)}</strong></dd></dl>`;
  const credits =
    v.creditNotes.length === 0
      ? html``
      : html`<h2>${t.creditNotes}</h2>${scrollTable(
          t.creditNotes,
          html`<table><thead><tr><th scope="col">${t.number}</th><th scope="col">${t.date}</th><th scope="col">${t.reason}</th><th scope="col" class="num">${t.amount}</th></tr></thead><tbody>${v.creditNotes.map(
            (c) => html`<tr><td>${c.number ?? ''}</td><td>${c.issueDate ?? ''}</td><td>${c.reason}</td><td class="num">−${money(c.grossTotalMinor)}</td></tr>`,
          )}</tbody></table>`,
        )}`;
  const body = html`<h1>${title}</h1>${notice}
<dl><dt>${t.from}</dt><dd>${sellerName(v)}</dd><dt>${t.to}</dt><dd>${v.buyer.name}</dd><dt>${t.invoiceDate}</dt><dd>${i.issueDate ?? ''}</dd><dt>${t.dueDate}</dt><dd>${due}</dd>${
    i.deliveryDate ? html`<dt>${t.deliveryDate}</dt><dd>${i.deliveryDate}</dd>` : html``
  }${v.orderNumber ? html`<dt>${t.order}</dt><dd>${v.orderNumber}</dd>` : html``}<dt>${t.status}</dt><dd data-testid="invoice-status">${t.statuses[v.status]}</dd></dl>
${pay}${lines}${vat}${totals}${credits}
<p><a class="button" href="${keepLanguage(`${base}/pdf`, asked)}">${t.pdf}</a></p>`;
  return portalPage(STYLE, lang, title, body, base);
}

// ------------------------------------------------------------------ JSON

const PortalInvoiceJson = z
  .object({
    object: z.literal('portal_invoice'),
    number: z.string(),
    language: z.enum(['sv', 'en']),
    seller: z.object({ name: z.string(), email: z.string().nullable(), org_number: z.string().nullable(), vat_number: z.string().nullable() }),
    customer: z.object({ name: z.string() }),
    currency: z.string(),
    issue_date: z.iso.date(),
    due_date: z.iso.date(),
    delivery_date: z.iso.date().nullable(),
    order_number: z.string().nullable(),
    status: z.enum(['unpaid', 'partially_paid', 'overdue', 'paid', 'credited', 'written_off']),
    lines: z.array(
      z.object({
        ...portalLineFields,
        vat_rate: z.string(),
        net: MoneyOut,
      }),
    ),
    vat_breakdown: z.array(z.object({ vat_rate: z.string(), vat_category: z.string(), taxable_amount: MoneyOut, vat_amount: MoneyOut })),
    net_total: MoneyOut,
    vat_total: MoneyOut,
    rounding: MoneyOut,
    prepaid: MoneyOut,
    payable_total: MoneyOut.describe('What the invoice asks for: gross + rounding − advances deducted'),
    credited: MoneyOut.describe('Σ the credit notes against it'),
    paid: MoneyOut,
    written_off: MoneyOut,
    amount_due: MoneyOut,
    payment: z
      .object({
        bankgiro: z.string().nullable(),
        iban: z.string().nullable(),
        bic: z.string().nullable(),
        reference_kind: z.enum(['ocr', 'rf']).nullable(),
        reference: z.string().nullable().describe('The OCR number, or the RF creditor reference in groups of four'),
        amount: MoneyOut,
        due_date: z.iso.date(),
      })
      .describe('How to pay what is due'),
    credit_notes: z.array(z.object({ number: z.string().nullable(), issue_date: z.iso.date().nullable(), reason: z.string(), amount: MoneyOut })),
    pdf_url: z.string(),
  })
  .meta({ id: 'PortalInvoice' });

function portalInvoiceJson(token: string, v: PortalInvoiceView, lang: DocumentLanguage): z.output<typeof PortalInvoiceJson> {
  const i = v.invoice;
  const m = (minor: bigint) => moneyJson(minor, i.currency);
  const reference = i.paymentReference === null ? null : printedPaymentReference(i.paymentReference);
  const due = i.dueDate ?? '';
  return {
    object: 'portal_invoice',
    number: i.number ?? '',
    language: lang,
    seller: {
      name: sellerName(v),
      email: i.seller?.email ?? v.seller.email,
      org_number: i.seller?.orgNumber ?? v.seller.orgNumber,
      vat_number: i.seller?.vatNumber ?? v.seller.vatNumber,
    },
    customer: { name: v.buyer.name },
    currency: i.currency,
    issue_date: i.issueDate ?? '',
    due_date: due,
    delivery_date: i.deliveryDate,
    order_number: v.orderNumber,
    status: v.status,
    lines: i.lines.map((l) => ({
      line_no: l.lineNo,
      description: l.description,
      quantity: formatDecimal4(l.quantity),
      unit: l.unit,
      unit_price: m(l.unitPriceMinor),
      discount: m(l.discountAmountMinor),
      vat_rate: formatDecimal4(l.vatRate),
      net: m(l.netAmountMinor),
    })),
    vat_breakdown: i.vatBreakdown.map((b) => ({
      vat_rate: formatDecimal4(b.vatRate),
      vat_category: b.vatCategory,
      taxable_amount: m(b.taxableMinor),
      vat_amount: m(b.vatMinor),
    })),
    net_total: m(i.netTotalMinor),
    vat_total: m(i.vatTotalMinor),
    rounding: m(i.roundingMinor ?? 0n),
    prepaid: m(i.prepaidMinor ?? 0n),
    payable_total: m(v.payableMinor),
    credited: m(v.creditedMinor),
    paid: m(v.paidMinor),
    written_off: m(v.writtenOffMinor),
    amount_due: m(v.amountDueMinor),
    payment: {
      bankgiro: v.bankgiro,
      iban: v.iban,
      bic: v.bic,
      reference_kind: reference?.kind ?? null,
      reference: reference?.value ?? null,
      amount: m(v.amountDueMinor),
      due_date: due,
    },
    credit_notes: v.creditNotes.map((c) => ({ number: c.number, issue_date: c.issueDate, reason: c.reason, amount: m(c.grossTotalMinor) })),
    pdf_url: `${documentPortalPath('invoice', token)}/pdf`,
  };
}

const InvoiceLinkJson = z
  .object({
    object: z.literal('invoice_portal_link'),
    id: z.string(),
    invoice_id: z.string(),
    url: z.string().optional().describe('In the response that made the link, and in its retries with the same Idempotency-Key'),
    expires_on: z.iso.date(),
    revoked_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'InvoicePortalLink' });

// ------------------------------------------------------------------ running portal requests

/** Runs `fn` in the token's tenant, as the link; wrong or revoked token → 404, expired → 410. */
const inPortal = <T>(deps: AppDeps, token: string, fn: (s: Store, env: Env) => Promise<T>): Promise<T> => inDocumentLink(deps, 'invoice', token, fn);

const INVOICE: PortalDocument<PortalInvoiceView> = { style: STYLE, json: portalInvoiceJson, page: invoicePage };

// ------------------------------------------------------------------ routes

export function invoicePortalRoutes(app: Api, deps: AppDeps): void {
  // --- staff: links
  portalLinkRoutes(app, deps, {
    path: '/v1/invoices/:id/portal-links',
    tags: ['invoices'],
    subject: { kind: 'invoice', entity: 'invoice' },
    linkKind: 'documentPortalLink',
    response: InvoiceLinkJson,
    create: {
      summary: 'Make a customer portal link to an issued invoice (view, PDF, payment details); the URL with its token is returned only here',
      description:
        'Valid until 90 days after the due date (at least 90 days from today). 409 invoice_not_issued for a draft. The token is ' +
        'stored only as its SHA-256. With an Idempotency-Key the token is derived from the server secret, the invoice and the ' +
        'key, so a retry with the same key returns the same link and URL (still never stored); without one each call makes a new link.',
      idempotent: true,
      make: (s, env, id, req) => {
        const key = idempotencyKeyOf(req);
        const token = key === undefined ? undefined : invoiceLinkToken(deps.secrets.pepper, principalOf(req).tenantId, id, key);
        return createInvoicePortalLink(s, env, id, token);
      },
      json: (made, id, url) => ({
        object: 'invoice_portal_link' as const,
        id: made.link.id,
        invoice_id: id,
        url,
        expires_on: made.link.expiresOn,
        revoked_at: made.link.revokedAt?.toISOString() ?? null,
        created_at: made.link.createdAt.toISOString(),
      }),
    },
    revoke: {
      summary: 'Revoke a customer portal link to the invoice: its URL then answers 404',
      revoke: (s, env, id, linkId) => revokeDocumentLink(s, env, 'invoice', id, linkId),
      json: (l, id) => ({
        object: 'invoice_portal_link' as const,
        id: l.id,
        invoice_id: id,
        expires_on: l.expiresOn,
        revoked_at: l.revokedAt?.toISOString() ?? null,
        created_at: l.createdAt.toISOString(),
      }),
    },
  });

  // --- customer
  portalScope(app, (portal) => {
    portalDocumentRoute(portal, INVOICE, {
      path: '/portal/invoices/:token',
      summary: 'The invoice behind a portal link with its payment details: an HTML page, or JSON with Accept: application/json',
      description: "No API key: the token in the path is the credential. 404 for a wrong or revoked token, 410 after the link's last day.",
      response: PortalInvoiceJson.or(z.string().describe('text/html')),
      load: (token) => inPortal(deps, token, (s, env) => viewPortalInvoice(s, env, token)),
    });

    portalPdfRoute(portal, STYLE, {
      path: '/portal/invoices/:token/pdf',
      summary: "The invoice behind a portal link as a PDF, in the customer's language (or ?lang=)",
      load: (token) =>
        inPortal(deps, token, async (s, env) => {
          const view = await viewPortalInvoice(s, env, token, false);
          const charge = (await s.dunning.getCharge(view.invoice.id)) ? await chargeDocumentData(s, view.invoice.id) : null;
          const lineOrderNumbers = await lineOrderNumbersOf(s, view.invoice);
          return { view, buyer: view.buyer, charge, lineOrderNumbers };
        }),
      render: (r, lang) => {
        const today = deps.clock.today();
        return r.charge
          ? renderChargeInvoicePdf(r.charge, lang, today)
          : renderInvoicePdf(
              toInvoiceDocument(r.view.invoice, r.view.seller, lang, { orderNumber: r.view.orderNumber, lineOrderNumbers: r.lineOrderNumbers, draftDate: today }),
            );
      },
      filename: (r) => `${r.view.invoice.number ?? 'invoice'}.pdf`,
    });
  });
}
