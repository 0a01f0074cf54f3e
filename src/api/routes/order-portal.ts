/**
 * The customer portal for orders: see the order and its confirmation PDF, confirm it, or ask for changes.
 *
 * Customer (no API key: the token in the path is the credential; links are made by
 * POST /v1/orders/{id}/portal-links or sent with the order confirmation e-mail):
 *   GET  /portal/orders/{token}                  the current version (HTML; JSON with Accept: application/json)
 *   GET  /portal/orders/{token}/pdf              the order confirmation PDF
 *   POST /portal/orders/{token}/confirm          confirm the current version
 *   POST /portal/orders/{token}/request-changes  comment
 * As the quote portal: form or JSON bodies, HTML or JSON answers, 404 for a wrong or revoked token,
 * 410 for an expired one, no-store / no-referrer / noindex headers; `?lang=sv|en` for the language.
 */
import { z } from 'zod';
import { confirmViaPortal, MAX_ORDER_COMMENT_LENGTH, requestOrderChanges, viewPortalOrder, type PortalOrderView } from '../../app/orders/order-portal.js';
import { effectiveLineAmounts, netQuantityOf } from '../../app/orders/totals.js';
import type { Store } from '../../app/ports.js';
import { documentPortalPath } from '../../app/portal/document-links.js';
import type { AppDeps, Env } from '../../app/shared/env.js';
import { formatDecimal4, type Quantity } from '../../core/money/quantity.js';
import { divRound } from '../../core/money/rounding.js';
import { formatMoney, formatQuantity, unitLabel } from '../../integrations/pdf/i18n.js';
import { renderOrderConfirmationPdf } from '../../integrations/pdf/order-confirmation-pdf.js';
import { toOrderConfirmationDocument } from '../../integrations/pdf/order-confirmation-mapping.js';
import type { DocumentLanguage } from '../../integrations/pdf/order-document.js';
import type { Api } from '../http.js';
import {
  escapeHtml, fieldErrorHtml, type FieldError, inDocumentLink, invalidAttrs, keepLanguage, MoneyOut, noticeHtml, portalLineFields, portalPage, portalStyle, rawHtml, scrollTable,
} from '../portal-pages.js';
import { pageWithFieldError, type PortalDocument, portalDocumentRoute, portalFormRoute, portalPdfRoute, portalScope } from '../portal-routes.js';
import { moneyJson, OrderJson, orderJson } from '../serialize.js';
import { versionChangeJson } from './orders.js';

const STYLE = portalStyle({ formMargin: '1.5rem', inputs: 'textarea', components: true });

const e = escapeHtml;

const T = {
  sv: {
    order: 'Order',
    version: 'version',
    from: 'Från',
    to: 'Till',
    orderDate: 'Orderdatum',
    quote: 'Enligt offert',
    status: 'Status',
    lines: 'Orderrader',
    description: 'Beskrivning',
    quantity: 'Antal',
    unitPrice: 'À-pris',
    discount: 'Rabatt',
    amount: 'Belopp',
    includes: 'Ingår',
    net: 'Summa exkl. moms',
    vat: 'Moms',
    total: 'Att betala',
    pdf: 'Ladda ner orderbekräftelsen som PDF',
    changesOf: (v: number) => `Ändringar i version ${v}`,
    added: 'Tillagd',
    quantityChanged: 'Ändrat antal',
    removed: 'Borttagen',
    confirmTitle: 'Bekräfta ordern',
    confirmText: 'Jag bekräftar ordern som den visas ovan.',
    confirmButton: 'Bekräfta ordern',
    changesTitle: 'Begär ändringar',
    comment: 'Vad vill du ändra?',
    changesButton: 'Skicka önskemål',
    confirmed: 'Tack! Du har bekräftat ordern.',
    alreadyConfirmed: 'Du har redan bekräftat den här versionen av ordern.',
    changesSent: 'Tack! Vi har tagit emot dina önskemål och återkommer.',
    commentError: 'Skriv vad du vill ändra.',
    statuses: { unconfirmed: 'Väntar på bekräftelse', on_hold: 'Under behandling', confirmed: 'Bekräftad', cancelled: 'Makulerad', closed: 'Avslutad' },
  },
  en: {
    order: 'Order',
    version: 'version',
    from: 'From',
    to: 'To',
    orderDate: 'Order date',
    quote: 'According to quote',
    status: 'Status',
    lines: 'Order lines',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    discount: 'Discount',
    amount: 'Amount',
    includes: 'Includes',
    net: 'Total excl. VAT',
    vat: 'VAT',
    total: 'Total',
    pdf: 'Download the order confirmation as a PDF',
    changesOf: (v: number) => `Changes in version ${v}`,
    added: 'Added',
    quantityChanged: 'Quantity changed',
    removed: 'Removed',
    confirmTitle: 'Confirm the order',
    confirmText: 'I confirm the order as shown above.',
    confirmButton: 'Confirm the order',
    changesTitle: 'Request changes',
    comment: 'What would you like changed?',
    changesButton: 'Send request',
    confirmed: 'Thank you! You have confirmed the order.',
    alreadyConfirmed: 'You have already confirmed this version of the order.',
    changesSent: 'Thank you! We have received your request and will get back to you.',
    commentError: 'Tell us what you would like changed.',
    statuses: { unconfirmed: 'Awaiting confirmation', on_hold: 'Being processed', confirmed: 'Confirmed', cancelled: 'Cancelled', closed: 'Closed' },
  },
} as const;

/** How many of a bundle component the line's (net) quantity holds. */
const componentQuantity = (q: Quantity, perUnit: Quantity): Quantity => ({ scaled: divRound(q.scaled * perUnit.scaled, 10_000n, 'half_up') });

function orderPage(
  token: string,
  v: PortalOrderView,
  lang: DocumentLanguage,
  asked: DocumentLanguage | undefined,
  message?: { text: string; error?: boolean },
  fieldError?: FieldError,
): string {
  const t = T[lang];
  const o = v.order;
  const base = documentPortalPath('order', token);
  const action = (what: string) => e(keepLanguage(`${base}/${what}`, asked));
  const err = fieldError?.param === 'comment' ? { ...fieldError, message: t.commentError } : fieldError;
  const mine = err?.param === 'comment';
  const money = (minor: bigint) => formatMoney(minor, o.currency, lang);
  const title = `${t.order} ${o.number} ${t.version} ${o.version}`;
  const rows = o.lines
    .filter((l) => netQuantityOf(l).scaled > 0n)
    .map((l) => {
      const a = effectiveLineAmounts(l, o.currency);
      const q = netQuantityOf(l);
      const components =
        l.bundle?.display === 'expanded'
          ? `<ul class="components" aria-label="${e(t.includes)}">${l.bundle.components.map((c) => `<li>${e(formatQuantity(componentQuantity(q, c.quantityPerUnit), lang))} ${e(unitLabel(c.unit, lang))} ${e(c.description)}</li>`).join('')}</ul>`
          : '';
      return (
        `<tr><td>${e(l.description)}${components}</td><td class="num">${e(formatQuantity(q, lang))} ${e(unitLabel(l.unit, lang))}</td>` +
        `<td class="num">${e(money(l.unitPriceMinor))}</td><td class="num">${a.discountMinor === 0n ? '' : e(money(a.discountMinor))}</td>` +
        `<td class="num">${e(money(a.netMinor))}</td></tr>`
      );
    })
    .join('');
  const changes = v.currentVersion && v.currentVersion.changes.length > 0 && o.version > 1
    ? `<h2>${e(t.changesOf(o.version))}</h2><ul>${v.currentVersion.changes
        .map((c) => {
          const kind = c.kind === 'added' ? t.added : c.kind === 'removed' ? t.removed : t.quantityChanged;
          const qty =
            c.kind === 'quantity_changed'
              ? ` (${c.quantityBefore ?? ''} → ${c.quantityAfter ?? ''})`
              : c.kind === 'added'
                ? ` (${c.quantityAfter ?? ''})`
                : ` (${c.quantityBefore ?? ''})`;
          return `<li>${e(kind)}: ${e(c.description)}${e(qty)}, ${e(money(BigInt(c.netChangeMinor)))}</li>`;
        })
        .join('')}</ul>`
    : '';
  const notice = message ? noticeHtml(message).text : '';
  const forms =
    o.status === 'cancelled' || o.status === 'closed'
      ? ''
      : (v.canConfirm
          ? `<form method="post" action="${action('confirm')}"><h2>${e(t.confirmTitle)}</h2><p>${e(t.confirmText)}</p><button type="submit">${e(t.confirmButton)}</button></form>`
          : '') +
        `<form method="post" action="${action('request-changes')}"><h2>${e(t.changesTitle)}</h2>` +
        `<label for="comment">${e(t.comment)}</label><textarea id="comment" name="comment" rows="4" required maxlength="${MAX_ORDER_COMMENT_LENGTH}"${invalidAttrs('comment', err, mine).text}></textarea>` +
        fieldErrorHtml('comment', err, mine).text +
        `<button type="submit">${e(t.changesButton)}</button></form>`;
  const body =
    `<h1>${e(title)}</h1>${notice}` +
    `<dl><dt>${e(t.from)}</dt><dd>${e(v.seller.name)}</dd><dt>${e(t.to)}</dt><dd>${e(v.buyer.name)}</dd>` +
    `<dt>${e(t.orderDate)}</dt><dd>${e(o.orderDate)}</dd>` +
    (v.quote ? `<dt>${e(t.quote)}</dt><dd>${e(`${v.quote.number} v${v.quote.version}`)}</dd>` : '') +
    `<dt>${e(t.status)}</dt><dd>${e(t.statuses[o.status])}</dd></dl>` +
    scrollTable(
      t.lines,
      `<table><caption>${e(t.lines)}</caption><thead><tr><th scope="col">${e(t.description)}</th><th scope="col" class="num">${e(t.quantity)}</th>` +
        `<th scope="col" class="num">${e(t.unitPrice)}</th><th scope="col" class="num">${e(t.discount)}</th><th scope="col" class="num">${e(t.amount)}</th></tr></thead>` +
        `<tbody>${rows}</tbody></table>`,
    ).text +
    `<dl><dt>${e(t.net)}</dt><dd>${e(money(o.netTotalMinor))}</dd><dt>${e(t.vat)}</dt><dd>${e(money(o.vatTotalMinor))}</dd>` +
    `<dt><strong>${e(t.total)}</strong></dt><dd><strong>${e(money(o.grossTotalMinor))}</strong></dd></dl>` +
    changes +
    `<p><a class="button" href="${e(keepLanguage(`${base}/pdf`, asked))}">${e(t.pdf)}</a></p>` +
    forms;
  return portalPage(STYLE, lang, title, rawHtml(body), base);
}

// ------------------------------------------------------------------ JSON

const PortalOrderJson = z
  .object({
    object: z.literal('portal_order'),
    number: z.string(),
    version: z.number().int(),
    status: z.string(),
    language: z.enum(['sv', 'en']),
    seller: z.object({ name: z.string(), email: z.string().nullable() }),
    customer: z.object({ name: z.string() }),
    currency: z.string(),
    order_date: z.iso.date(),
    quote: z.object({ number: z.string(), version: z.number().int() }).nullable(),
    customer_confirmed_at: z.iso.datetime().nullable(),
    can_confirm: z.boolean(),
    lines: z.array(
      z.object({
        ...portalLineFields,
        net: MoneyOut,
        vat_rate: z.string(),
        components: z.array(z.object({ description: z.string(), quantity: z.string(), unit: z.string() })),
      }),
    ),
    net_total: MoneyOut,
    vat_total: MoneyOut,
    gross_total: MoneyOut,
    changes: z
      .array(
        z.object({
          line_no: z.number().int(),
          kind: z.string(),
          description: z.string(),
          quantity_before: z.string().nullable(),
          quantity_after: z.string().nullable(),
          net_change: MoneyOut,
        }),
      )
      .describe('What the latest amendment changed (empty for version 1)'),
    pdf_url: z.string(),
  })
  .meta({ id: 'PortalOrder' });

function portalOrderJson(token: string, v: PortalOrderView, lang: DocumentLanguage): z.output<typeof PortalOrderJson> {
  const o = v.order;
  const m = (minor: bigint) => moneyJson(minor, o.currency);
  return {
    object: 'portal_order',
    number: o.number,
    version: o.version,
    status: o.status,
    language: lang,
    seller: { name: v.seller.name, email: v.seller.email },
    customer: { name: v.buyer.name },
    currency: o.currency,
    order_date: o.orderDate,
    quote: v.quote,
    customer_confirmed_at: o.customerConfirmedAt?.toISOString() ?? null,
    can_confirm: v.canConfirm,
    lines: o.lines
      .filter((l) => netQuantityOf(l).scaled > 0n)
      .map((l) => {
        const a = effectiveLineAmounts(l, o.currency);
        return {
          line_no: l.lineNo,
          description: l.description,
          quantity: formatDecimal4(netQuantityOf(l)),
          unit: l.unit,
          unit_price: m(l.unitPriceMinor),
          discount: m(a.discountMinor),
          net: m(a.netMinor),
          vat_rate: formatDecimal4(l.vatRate),
          components:
            l.bundle?.display === 'expanded'
              ? l.bundle.components.map((c) => ({ description: c.description, quantity: formatDecimal4(componentQuantity(netQuantityOf(l), c.quantityPerUnit)), unit: c.unit }))
              : [],
        };
      }),
    net_total: m(o.netTotalMinor),
    vat_total: m(o.vatTotalMinor),
    gross_total: m(o.grossTotalMinor),
    changes: o.version > 1
      ? (v.currentVersion?.changes ?? []).map((c) => versionChangeJson(c, o.currency))
      : [],
    pdf_url: `${documentPortalPath('order', token)}/pdf`,
  };
}

// ------------------------------------------------------------------ running portal requests

const ChangesBody = z.object({ comment: z.string().max(MAX_ORDER_COMMENT_LENGTH + 100).optional() });
const ConfirmBody = z.object({}).passthrough().nullish();

/** Runs `fn` in the token's tenant, as the link; wrong token → 404, expired → 410 (PortalLinkExpired). */
const inPortal = <T>(deps: AppDeps, token: string, fn: (s: Store, env: Env) => Promise<T>): Promise<T> => inDocumentLink(deps, 'order', token, fn);

const ORDER: PortalDocument<PortalOrderView> = { style: STYLE, json: portalOrderJson, page: orderPage };

export function orderPortalRoutes(app: Api, deps: AppDeps): void {
  /** The view; `touch` records the visit (the page, not the answers to its forms or the PDF). */
  const view = (token: string, touch = true) => inPortal(deps, token, (s, env) => viewPortalOrder(s, env, token, touch));

  portalScope(app, (portal) => {
    portalDocumentRoute(portal, ORDER, {
      path: '/portal/orders/:token',
      summary: 'The order behind a portal link: an HTML page, or JSON with Accept: application/json',
      description: 'No API key: the token in the path is the credential. 404 for a wrong or revoked token, 410 after the link\'s last day.',
      response: PortalOrderJson.or(z.string().describe('text/html')),
      load: view,
    });

    portalPdfRoute(portal, STYLE, {
      path: '/portal/orders/:token/pdf',
      summary: 'The order confirmation behind a portal link as a PDF, in the customer\'s language',
      load: (token) => view(token, false),
      render: (v, lang) => renderOrderConfirmationPdf(toOrderConfirmationDocument(v, lang)),
      filename: (v) => `${v.order.number}-v${v.order.version}.pdf`,
    });

    portalFormRoute(portal, ORDER, {
      path: '/portal/orders/:token/confirm',
      summary: 'The customer confirms the current version of the order',
      description:
        'Records the customer\'s confirmation of the version; an order awaiting confirmation is then confirmed with the credit ' +
        'check (it may go on hold). Confirming again returns already_confirmed. 409 for a cancelled or closed order.',
      body: ConfirmBody,
      response: {
        200: z.object({ object: z.literal('portal_order_confirmation'), already_confirmed: z.boolean(), order: OrderJson }).or(z.string()),
      },
      run: (_req, token) =>
        inPortal(deps, token, async (s, env) => {
          const result = await confirmViaPortal(s, env, token);
          return { ...result, view: await viewPortalOrder(s, env, token, false) };
        }),
      json: (r) => ({ object: 'portal_order_confirmation' as const, already_confirmed: r.alreadyConfirmed, order: orderJson(r.order) }),
      message: (r, lang) => (r.alreadyConfirmed ? T[lang].alreadyConfirmed : T[lang].confirmed),
    });

    portalFormRoute(portal, ORDER, {
      path: '/portal/orders/:token/request-changes',
      summary: 'Ask for changes to the order, with a comment; staff are notified by e-mail (event order.changes_requested)',
      body: ChangesBody,
      response: {
        201: z
          .object({ object: z.literal('order_change_request'), id: z.string(), version: z.number().int(), comment: z.string(), created_at: z.iso.datetime() })
          .or(z.string()),
      },
      run: (_req, token, body) =>
        inPortal(deps, token, async (s, env) => {
          const request = await requestOrderChanges(s, env, token, { comment: body.comment ?? '' });
          return { request, view: await viewPortalOrder(s, env, token, false) };
        }),
      status: () => 201,
      json: (r) => ({
        object: 'order_change_request' as const,
        id: r.request.id,
        version: r.request.version,
        comment: r.request.comment,
        created_at: r.request.createdAt.toISOString(),
      }),
      message: (_r, lang) => T[lang].changesSent,
      refused: pageWithFieldError(ORDER, (token) => view(token, false)),
    });
  });
}
