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
 * 410 for an expired one, no-store / no-referrer / noindex headers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmViaPortal, MAX_ORDER_COMMENT_LENGTH, requestOrderChanges, viewPortalOrder, type PortalOrderView } from '../../app/orders/order-portal.js';
import { effectiveLineAmounts, netQuantityOf } from '../../app/orders/totals.js';
import type { Store } from '../../app/ports.js';
import { documentLinkActor, documentPortalPath, openDocumentLink } from '../../app/portal/document-links.js';
import { envFor, type AppDeps, type Env } from '../../app/shared/env.js';
import { formatDecimal4, type Quantity } from '../../core/money/quantity.js';
import { divRound } from '../../core/money/rounding.js';
import { formatMoney, formatQuantity, unitLabel } from '../../integrations/pdf/i18n.js';
import { renderOrderConfirmationPdf } from '../../integrations/pdf/order-confirmation-pdf.js';
import { toOrderConfirmationDocument } from '../../integrations/pdf/order-confirmation-mapping.js';
import type { DocumentLanguage } from '../../integrations/pdf/order-document.js';
import { type Api, errorResponses } from '../http.js';
import {
  acceptFormBodies, customerLanguage, escapeHtml, inTokenTenant, noticeHtml, PORTAL_HEADERS, portalPage, portalStyle, rawHtml, sendHtml,
  sendPortalFailure, sendPortalPdf, sendPortalView, TokenParams, wantsJson,
} from '../portal-pages.js';
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
    statuses: { unconfirmed: 'Awaiting confirmation', on_hold: 'Being processed', confirmed: 'Confirmed', cancelled: 'Cancelled', closed: 'Closed' },
  },
} as const;

/** How many of a bundle component the line's (net) quantity holds. */
const componentQuantity = (q: Quantity, perUnit: Quantity): Quantity => ({ scaled: divRound(q.scaled * perUnit.scaled, 10_000n, 'half_up') });

const languageOf = customerLanguage;

function orderPage(token: string, v: PortalOrderView, lang: DocumentLanguage, message?: { text: string; error?: boolean }): string {
  const t = T[lang];
  const o = v.order;
  const base = documentPortalPath('order', token);
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
          ? `<form method="post" action="${e(base)}/confirm"><h2>${e(t.confirmTitle)}</h2><p>${e(t.confirmText)}</p><button type="submit">${e(t.confirmButton)}</button></form>`
          : '') +
        `<form method="post" action="${e(base)}/request-changes"><h2>${e(t.changesTitle)}</h2>` +
        `<label for="comment">${e(t.comment)}</label><textarea id="comment" name="comment" rows="4" required maxlength="${MAX_ORDER_COMMENT_LENGTH}"></textarea>` +
        `<button type="submit">${e(t.changesButton)}</button></form>`;
  const body =
    `<h1>${e(title)}</h1>${notice}` +
    `<dl><dt>${e(t.from)}</dt><dd>${e(v.seller.name)}</dd><dt>${e(t.to)}</dt><dd>${e(v.buyer.name)}</dd>` +
    `<dt>${e(t.orderDate)}</dt><dd>${e(o.orderDate)}</dd>` +
    (v.quote ? `<dt>${e(t.quote)}</dt><dd>${e(`${v.quote.number} v${v.quote.version}`)}</dd>` : '') +
    `<dt>${e(t.status)}</dt><dd>${e(t.statuses[o.status])}</dd></dl>` +
    `<table><caption>${e(t.lines)}</caption><thead><tr><th scope="col">${e(t.description)}</th><th scope="col" class="num">${e(t.quantity)}</th>` +
    `<th scope="col" class="num">${e(t.unitPrice)}</th><th scope="col" class="num">${e(t.discount)}</th><th scope="col" class="num">${e(t.amount)}</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    `<dl><dt>${e(t.net)}</dt><dd>${e(money(o.netTotalMinor))}</dd><dt>${e(t.vat)}</dt><dd>${e(money(o.vatTotalMinor))}</dd>` +
    `<dt><strong>${e(t.total)}</strong></dt><dd><strong>${e(money(o.grossTotalMinor))}</strong></dd></dl>` +
    changes +
    `<p><a href="${e(base)}/pdf">${e(t.pdf)}</a></p>` +
    forms;
  return portalPage(STYLE, lang, title, rawHtml(body));
}

// ------------------------------------------------------------------ JSON

const MoneyOut = z.object({ amount: z.string(), currency: z.string() });

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
        line_no: z.number().int(),
        description: z.string(),
        quantity: z.string(),
        unit: z.string(),
        unit_price: MoneyOut,
        discount: MoneyOut,
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
function inPortal<T>(deps: AppDeps, token: string, fn: (s: Store, env: Env) => Promise<T>): Promise<T> {
  return inTokenTenant(deps, token, async (s, tenantId) => {
    const link = await openDocumentLink(s, { clock: deps.clock }, 'order', token);
    return fn(s, envFor(deps, documentLinkActor(tenantId, link)));
  });
}

const sendFailure = (req: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply => sendPortalFailure(req, reply, error, STYLE);

export function orderPortalRoutes(app: Api, deps: AppDeps): void {
  void app.register(async (scope: FastifyInstance) => {
    const portal = scope.withTypeProvider<ZodTypeProvider>();
    acceptFormBodies(portal);
    const portalSchema = { tags: ['portal'], security: [], params: TokenParams };

    portal.get(
      '/portal/orders/:token',
      {
        schema: {
          ...portalSchema,
          summary: 'The order behind a portal link: an HTML page, or JSON with Accept: application/json',
          description: 'No API key: the token in the path is the credential. 404 for a wrong or revoked token, 410 after the link\'s last day.',
          produces: ['text/html', 'application/json'],
          response: { 200: PortalOrderJson.or(z.string().describe('text/html')), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const view = await inPortal(deps, token, (s, env) => viewPortalOrder(s, env, token));
          const lang = languageOf(view);
          return sendPortalView(req, reply, () => portalOrderJson(token, view, lang), () => orderPage(token, view, lang));
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );

    portal.get(
      '/portal/orders/:token/pdf',
      {
        schema: {
          ...portalSchema,
          summary: 'The order confirmation behind a portal link as a PDF, in the customer\'s language',
          produces: ['application/pdf'],
          response: { 200: z.any().describe('application/pdf'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const view = await inPortal(deps, token, (s, env) => viewPortalOrder(s, env, token, false));
          const pdf = await renderOrderConfirmationPdf(toOrderConfirmationDocument(view, languageOf(view)));
          return sendPortalPdf(reply, `${view.order.number}-v${view.order.version}.pdf`, pdf);
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );

    portal.post(
      '/portal/orders/:token/confirm',
      {
        schema: {
          ...portalSchema,
          summary: 'The customer confirms the current version of the order',
          description:
            'Records the customer\'s confirmation of the version; an order awaiting confirmation is then confirmed with the credit ' +
            'check (it may go on hold). Confirming again returns already_confirmed. 409 for a cancelled or closed order.',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: ConfirmBody,
          response: {
            200: z.object({ object: z.literal('portal_order_confirmation'), already_confirmed: z.boolean(), order: OrderJson }).or(z.string()),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const r = await inPortal(deps, token, async (s, env) => {
            const result = await confirmViaPortal(s, env, token);
            return { ...result, view: await viewPortalOrder(s, env, token, false) };
          });
          reply.headers(PORTAL_HEADERS).code(200);
          if (wantsJson(req)) {
            return reply.send({ object: 'portal_order_confirmation' as const, already_confirmed: r.alreadyConfirmed, order: orderJson(r.order) });
          }
          const lang = languageOf(r.view);
          const text = r.alreadyConfirmed ? T[lang].alreadyConfirmed : T[lang].confirmed;
          return sendHtml(reply, orderPage(token, r.view, lang, { text }));
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );

    portal.post(
      '/portal/orders/:token/request-changes',
      {
        schema: {
          ...portalSchema,
          summary: 'Ask for changes to the order, with a comment; staff are notified by e-mail (event order.changes_requested)',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: ChangesBody,
          response: {
            201: z
              .object({ object: z.literal('order_change_request'), id: z.string(), version: z.number().int(), comment: z.string(), created_at: z.iso.datetime() })
              .or(z.string()),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const r = await inPortal(deps, token, async (s, env) => {
            const request = await requestOrderChanges(s, env, token, { comment: req.body.comment ?? '' });
            return { request, view: await viewPortalOrder(s, env, token, false) };
          });
          reply.headers(PORTAL_HEADERS).code(201);
          if (wantsJson(req)) {
            return reply.send({
              object: 'order_change_request' as const,
              id: r.request.id,
              version: r.request.version,
              comment: r.request.comment,
              created_at: r.request.createdAt.toISOString(),
            });
          }
          const lang = languageOf(r.view);
          return sendHtml(reply, orderPage(token, r.view, lang, { text: T[lang].changesSent }));
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );
  });
}
