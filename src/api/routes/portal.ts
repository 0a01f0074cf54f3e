/**
 * The customer portal for quotes (issue 3 parts 7–8), as server-rendered HTML pages and JSON.
 *
 * Staff (API key): POST /v1/quotes/{id}/portal-links makes a link for a sent version and returns its
 * URL once; POST /v1/quotes/{id}/portal-links/{linkId}/revoke revokes it.
 *
 * Customer (no API key: the token in the path is the credential):
 *   GET  /portal/quotes/{token}                  the version (HTML; JSON with Accept: application/json)
 *   GET  /portal/quotes/{token}/pdf              the version as a PDF
 *   POST /portal/quotes/{token}/accept           typed name, consent, chosen optional lines
 *   POST /portal/quotes/{token}/decline          reason
 *   POST /portal/quotes/{token}/request-changes  comment
 * POSTs take application/x-www-form-urlencoded (the HTML forms; parsed here, scoped to these routes)
 * or JSON, and answer HTML or, with Accept: application/json, JSON. A wrong or revoked token is 404,
 * an expired one 410. Pages are sent with no-store, no-referrer (the token must not leak through
 * the Referer header) and noindex. The server's request log redacts the token (server.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDecimal4 } from '../../core/money/quantity.js';
import type { QuoteRecord, Store } from '../../app/ports.js';
import { acceptViaPortal } from '../../app/portal/accept-via-portal.js';
import { createPortalLink } from '../../app/portal/create-portal-link.js';
import { declineViaPortal } from '../../app/portal/decline-via-portal.js';
import { requestQuoteChanges, MAX_COMMENT_LENGTH } from '../../app/portal/request-quote-changes.js';
import { openPortalLink, portalActor } from '../../app/portal/resolve-portal-link.js';
import { revokePortalLink } from '../../app/portal/revoke-portal-link.js';
import { portalPath } from '../../app/portal/tokens.js';
import { viewPortalQuote, type PortalQuoteView } from '../../app/portal/view-portal-quote.js';
import { MAX_REASON_LENGTH } from '../../app/quotes/decline-quote.js';
import { quoteDocumentData } from '../../app/quotes/quote-document.js';
import { envFor, type AppDeps, type Env } from '../../app/shared/env.js';
import { formatMoney, formatQuantity } from '../../integrations/pdf/i18n.js';
import type { DocumentLanguage } from '../../integrations/pdf/quote-document.js';
import { languageFor, toQuoteDocument } from '../../integrations/pdf/quote-mapping.js';
import { renderQuotePdf } from '../../integrations/pdf/quote-pdf.js';
import {
  acceptFormBodies, customerLanguage, html, inTokenTenant, isForm, noticeHtml, PORTAL_HEADERS, portalPage, portalStyle, rawHtml, sendHtml, sendPortalFailure, sendPortalPdf, sendPortalView, TokenParams, wantsJson,
} from '../portal-pages.js';
import { actorOf, principalOf } from '../auth.js';
import { command, sendStored } from '../command.js';
import { type Api, errorResponses, IdempotencyHeaders, pathId } from '../http.js';
import { moneyJson, orderJson, OrderJson } from '../serialize.js';

// ------------------------------------------------------------------ HTML

const STYLE = portalStyle({ formMargin: '1.5rem', inputs: 'input[type=text],textarea', components: true });

const T = {
  sv: {
    quote: 'Offert',
    version: 'version',
    from: 'Från',
    to: 'Till',
    quoteDate: 'Offertdatum',
    validUntil: 'Giltig till och med',
    lines: 'Offertrader',
    choose: 'Välj',
    description: 'Beskrivning',
    quantity: 'Antal',
    unitPrice: 'À-pris',
    discount: 'Rabatt',
    amount: 'Belopp',
    optional: 'Tillval',
    includes: 'Ingår',
    chooseOption: (d: string) => `Välj tillvalet ${d}`,
    optionNote: 'Kryssa i de tillval du vill ha med. Totalsummorna nedan gäller offerten som den skickades; ordern räknas om med dina val.',
    net: 'Summa exkl. moms',
    quoteDiscount: 'Offertrabatt',
    vat: 'Moms',
    total: 'Att betala',
    pdf: 'Ladda ner offerten som PDF',
    acceptTitle: 'Acceptera offerten',
    signerName: 'Ditt fullständiga namn',
    consent: 'Jag godkänner offerten och dess villkor och är behörig att göra det för min organisation.',
    acceptButton: 'Acceptera offerten',
    declineTitle: 'Tacka nej',
    reason: 'Anledning',
    declineButton: 'Tacka nej till offerten',
    changesTitle: 'Begär ändringar',
    comment: 'Vad vill du ändra?',
    changesButton: 'Skicka önskemål',
    accepted: (order: string) => `Tack! Offerten är accepterad. Ordernummer: ${order}.`,
    alreadyAccepted: (order: string) => `Offerten är redan accepterad. Ordernummer: ${order}.`,
    declined: 'Offerten är avböjd. Tack för ditt svar.',
    changesSent: 'Tack! Vi har tagit emot dina önskemål och återkommer med en ny version.',
    status: {
      sent: '',
      accepted: 'Den här versionen är accepterad.',
      declined: 'Den här versionen är avböjd.',
      expired: 'Den här versionen har gått ut.',
      superseded: 'Den här versionen har ersatts av en nyare version och kan inte längre accepteras.',
      other: 'Den här versionen kan inte längre besvaras.',
    },
  },
  en: {
    quote: 'Quote',
    version: 'version',
    from: 'From',
    to: 'To',
    quoteDate: 'Quote date',
    validUntil: 'Valid until',
    lines: 'Quote lines',
    choose: 'Choose',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    discount: 'Discount',
    amount: 'Amount',
    optional: 'Optional',
    includes: 'Includes',
    chooseOption: (d: string) => `Choose the option ${d}`,
    optionNote: 'Tick the options you want. The totals below are those of the quote as sent; the order is recalculated with your choice.',
    net: 'Total excl. VAT',
    quoteDiscount: 'Quote discount',
    vat: 'VAT',
    total: 'Total',
    pdf: 'Download the quote as a PDF',
    acceptTitle: 'Accept the quote',
    signerName: 'Your full name',
    consent: 'I accept this quote and its terms and am authorised to do so for my organisation.',
    acceptButton: 'Accept the quote',
    declineTitle: 'Decline',
    reason: 'Reason',
    declineButton: 'Decline the quote',
    changesTitle: 'Request changes',
    comment: 'What would you like changed?',
    changesButton: 'Send request',
    accepted: (order: string) => `Thank you! The quote is accepted. Order number: ${order}.`,
    alreadyAccepted: (order: string) => `The quote has already been accepted. Order number: ${order}.`,
    declined: 'The quote is declined. Thank you for letting us know.',
    changesSent: 'Thank you! We have received your request and will come back with a new version.',
    status: {
      sent: '',
      accepted: 'This version has been accepted.',
      declined: 'This version has been declined.',
      expired: 'This version has expired.',
      superseded: 'This version has been replaced by a newer one and can no longer be accepted.',
      other: 'This version can no longer be answered.',
    },
  },
} as const;

function statusNotice(q: QuoteRecord, lang: DocumentLanguage): string {
  const s = T[lang].status;
  switch (q.status) {
    case 'sent':
      return '';
    case 'accepted':
    case 'declined':
    case 'expired':
    case 'superseded':
      return s[q.status];
    default:
      return s.other;
  }
}

function quotePage(token: string, v: PortalQuoteView, lang: DocumentLanguage, message?: { text: string; error?: boolean }): string {
  const t = T[lang];
  const q = v.quote;
  const base = portalPath(token);
  const money = (minor: bigint) => formatMoney(minor, q.currency, lang);
  const open = q.status === 'sent';
  const title = `${t.quote} ${q.number} ${t.version} ${q.version}`;
  const rows = q.lines.map((l) => {
    const discount = l.discountAmountMinor === 0n ? '' : money(l.discountAmountMinor);
    const choose = l.optional
      ? open
        ? html`<input type="checkbox" form="accept-form" name="selected_optional_line_keys" value="${l.lineKey}" id="opt-${l.lineKey}"${rawHtml(l.selected ? ' checked' : '')} aria-label="${t.chooseOption(l.description)}">`
        : html`${l.selected ? '✓' : ''}`
      : html``;
    const components =
      l.bundle?.display === 'expanded'
        ? html`<ul class="components" aria-label="${t.includes}">${l.bundle.components.map((c) => html`<li>${formatQuantity(c.quantity, lang)} ${c.unit} ${c.description}</li>`)}</ul>`
        : html``;
    return html`<tr><td>${choose}</td><td>${l.description}${l.optional ? html` <em>(${t.optional})</em>` : html``}${components}</td><td class="num">${formatQuantity(l.quantity, lang)} ${l.unit}</td><td class="num">${money(l.unitPriceMinor)}</td><td class="num">${discount}</td><td class="num">${money(l.netAmountMinor)}</td></tr>`;
  });
  const notice = message
    ? noticeHtml(message)
    : statusNotice(q, lang) !== ''
      ? html`<p class="notice" role="status">${statusNotice(q, lang)}</p>`
      : html``;
  const hasOptional = q.lines.some((l) => l.optional);
  const forms = open
    ? html`<form id="accept-form" method="post" action="${base}/accept"><h2>${t.acceptTitle}</h2>
<label for="signer_name">${t.signerName}</label><input type="text" id="signer_name" name="signer_name" required maxlength="200" autocomplete="name">
<p><input type="checkbox" id="consent" name="consent" value="true" required> <label for="consent" style="display:inline">${t.consent}</label></p>
<button type="submit">${t.acceptButton}</button></form>
<form method="post" action="${base}/request-changes"><h2>${t.changesTitle}</h2>
<label for="comment">${t.comment}</label><textarea id="comment" name="comment" rows="4" required maxlength="${MAX_COMMENT_LENGTH}"></textarea>
<button type="submit">${t.changesButton}</button></form>
<form method="post" action="${base}/decline"><h2>${t.declineTitle}</h2>
<label for="reason">${t.reason}</label><textarea id="reason" name="reason" rows="3" required maxlength="${MAX_REASON_LENGTH}"></textarea>
<button type="submit">${t.declineButton}</button></form>`
    : html``;
  const body = html`<h1>${title}</h1>${notice}
<dl><dt>${t.from}</dt><dd>${v.seller.name}</dd><dt>${t.to}</dt><dd>${v.buyer.name}</dd><dt>${t.quoteDate}</dt><dd>${q.quoteDate}</dd><dt>${t.validUntil}</dt><dd>${q.validUntil}</dd></dl>
<table><caption>${t.lines}</caption><thead><tr><th scope="col">${hasOptional ? t.choose : ''}</th><th scope="col">${t.description}</th><th scope="col" class="num">${t.quantity}</th><th scope="col" class="num">${t.unitPrice}</th><th scope="col" class="num">${t.discount}</th><th scope="col" class="num">${t.amount}</th></tr></thead>
<tbody>${rows}</tbody></table>
${hasOptional && open ? html`<p>${t.optionNote}</p>` : html``}
<dl>${q.quoteDiscountMinor > 0n ? html`<dt>${t.quoteDiscount}</dt><dd>−${money(q.quoteDiscountMinor)}</dd>` : html``}<dt>${t.net}</dt><dd>${money(q.netTotalMinor)}</dd><dt>${t.vat}</dt><dd>${money(q.vatTotalMinor)}</dd><dt><strong>${t.total}</strong></dt><dd><strong>${money(q.grossTotalMinor)}</strong></dd></dl>
<p><a href="${base}/pdf">${t.pdf}</a></p>
${forms}`;
  return portalPage(STYLE, lang, title, body);
}

// ------------------------------------------------------------------ JSON

const PortalLinkJson = z
  .object({
    object: z.literal('portal_link'),
    id: z.string(),
    quote_id: z.string(),
    url: z.string().optional().describe('Only in the response that made the link: the token is not stored and cannot be shown again'),
    expires_on: z.iso.date(),
    revoked_at: z.iso.datetime().nullable(),
    last_viewed_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'PortalLink' });

const MoneyOut = z.object({ amount: z.string(), currency: z.string() });

const PortalQuoteJson = z
  .object({
    object: z.literal('portal_quote'),
    number: z.string(),
    version: z.number().int(),
    status: z.string(),
    language: z.enum(['sv', 'en']),
    seller: z.object({ name: z.string(), email: z.string().nullable() }),
    customer: z.object({ name: z.string() }),
    currency: z.string(),
    quote_date: z.iso.date(),
    valid_until: z.iso.date(),
    lines: z.array(
      z.object({
        line_key: z.string(),
        description: z.string(),
        quantity: z.string(),
        unit: z.string(),
        unit_price: MoneyOut,
        discount: MoneyOut,
        net: MoneyOut,
        vat_rate: z.string(),
        optional: z.boolean(),
        selected: z.boolean(),
        components: z
          .array(z.object({ description: z.string(), quantity: z.string(), unit: z.string() }))
          .describe('A bundle shown expanded: what it includes; empty otherwise'),
      }),
    ),
    quote_discount_total: MoneyOut,
    net_total: MoneyOut,
    vat_total: MoneyOut,
    gross_total: MoneyOut,
    pdf_url: z.string(),
    declined_reason: z.string().nullable(),
    acceptance: z
      .object({ order_number: z.string(), signer_name: z.string().nullable(), accepted_at: z.iso.datetime().nullable() })
      .nullable(),
  })
  .meta({ id: 'PortalQuote' });

function portalQuoteJson(token: string, v: PortalQuoteView, lang: DocumentLanguage): z.output<typeof PortalQuoteJson> {
  const q = v.quote;
  const m = (minor: bigint) => moneyJson(minor, q.currency);
  return {
    object: 'portal_quote',
    number: q.number,
    version: q.version,
    status: q.status,
    language: lang,
    seller: { name: v.seller.name, email: v.seller.email },
    customer: { name: v.buyer.name },
    currency: q.currency,
    quote_date: q.quoteDate,
    valid_until: q.validUntil,
    lines: q.lines.map((l) => ({
      line_key: l.lineKey,
      description: l.description,
      quantity: formatDecimal4(l.quantity),
      unit: l.unit,
      unit_price: m(l.unitPriceMinor),
      discount: m(l.discountAmountMinor),
      net: m(l.netAmountMinor),
      vat_rate: formatDecimal4(l.vatRate),
      optional: l.optional,
      selected: l.selected,
      components:
        l.bundle?.display === 'expanded'
          ? l.bundle.components.map((c) => ({ description: c.description, quantity: formatDecimal4(c.quantity), unit: c.unit }))
          : [],
    })),
    quote_discount_total: m(q.quoteDiscountMinor),
    net_total: m(q.netTotalMinor),
    vat_total: m(q.vatTotalMinor),
    gross_total: m(q.grossTotalMinor),
    pdf_url: `${portalPath(token)}/pdf`,
    declined_reason: q.declinedReason,
    acceptance: v.order
      ? { order_number: v.order.number, signer_name: v.acceptance?.signerName ?? null, accepted_at: v.acceptance?.acceptedAt.toISOString() ?? null }
      : null,
  };
}

const PortalAcceptanceJson = z
  .object({
    object: z.literal('portal_acceptance'),
    already_accepted: z.boolean().describe('True when the version was accepted before: no second order was made'),
    order: OrderJson,
  })
  .meta({ id: 'PortalAcceptance' });

// ------------------------------------------------------------------ request parsing

const AcceptBody = z
  .object({
    signer_name: z.string().max(1000).optional(),
    consent: z.union([z.boolean(), z.string().max(10)]).optional().describe('Must be true (a form checkbox sends "true" or "on")'),
    selected_optional_line_keys: z
      .union([z.string().max(20), z.array(z.string().max(20)).max(500)])
      .optional()
      .describe("The optional lines chosen. JSON: absent = the version's own selection; a form sends none when none is ticked"),
  })
  .describe('Typed full name, consent and the chosen optional lines');
const DeclineBody = z.object({ reason: z.string().max(MAX_REASON_LENGTH + 100).optional() });
const ChangesBody = z.object({ comment: z.string().max(MAX_COMMENT_LENGTH + 100).optional() });

const asTrue = (v: boolean | string | undefined): boolean => v === true || (typeof v === 'string' && ['true', 'on', 'yes', '1'].includes(v.toLowerCase()));

// ------------------------------------------------------------------ running portal requests

/** Runs `fn` in the token's tenant, as the link; wrong token → 404, expired → 410 (PortalLinkExpired). */
function inPortal<T>(deps: AppDeps, token: string, fn: (s: Store, env: Env) => Promise<T>): Promise<T> {
  return inTokenTenant(deps, token, async (s, tenantId) => {
    const { link } = await openPortalLink(s, { clock: deps.clock }, token);
    return fn(s, envFor(deps, portalActor(tenantId, link)));
  });
}

const sendFailure = (req: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply => sendPortalFailure(req, reply, error, STYLE);

const languageOf = customerLanguage;

// ------------------------------------------------------------------ routes

export function portalRoutes(app: Api, deps: AppDeps): void {
  // --- staff: links
  app.post(
    '/v1/quotes/:id/portal-links',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Make a customer portal link for a sent version; the URL (with its token) is returned only here',
        description:
          'The token (256 random bits) is stored only as its SHA-256, so it cannot be shown again, and responses of this ' +
          'endpoint are never stored for Idempotency-Key replay (a retry makes another link; revoke the extra one). ' +
          'The link expires after the version\'s valid_until and can be revoked.',
        params: z.object({ id: z.string().max(100) }),
        response: { 201: PortalLinkJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const principal = principalOf(req);
      const env = envFor(deps, actorOf(req));
      const base = `${req.protocol}://${req.host}`;
      // Not through `command`: its idempotency store would keep the response, and with it the token.
      const made = await deps.db.transaction(principal.tenantId, (s) => createPortalLink(s, env, id));
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          object: 'portal_link' as const,
          id: made.link.id,
          quote_id: made.link.quoteId,
          url: `${base}${portalPath(made.token)}`,
          expires_on: made.link.expiresOn,
          revoked_at: null,
          last_viewed_at: null,
          created_at: made.link.createdAt.toISOString(),
        });
    },
  );

  app.post(
    '/v1/quotes/:id/portal-links/:linkId/revoke',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Revoke a customer portal link: its URL then answers 404',
        headers: IdempotencyHeaders,
        params: z.object({ id: z.string().max(100), linkId: z.string().max(100) }),
        response: { 200: PortalLinkJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const linkId = pathId('portalLink', req.params.linkId, 'portal link');
      const res = await command(req, deps, 200, async (s, env) => {
        const l = await revokePortalLink(s, env, id, linkId);
        return {
          object: 'portal_link' as const,
          id: l.id,
          quote_id: l.quoteId,
          expires_on: l.expiresOn,
          revoked_at: l.revokedAt?.toISOString() ?? null,
          last_viewed_at: l.lastViewedAt?.toISOString() ?? null,
          created_at: l.createdAt.toISOString(),
        };
      });
      return sendStored(reply, res);
    },
  );

  // --- customer: the portal, with its own body parser for HTML forms
  void app.register(async (scope: FastifyInstance) => {
    const portal = scope.withTypeProvider<ZodTypeProvider>();
    acceptFormBodies(portal);

    const portalSchema = { tags: ['portal'], security: [], params: TokenParams };

    portal.get(
      '/portal/quotes/:token',
      {
        schema: {
          ...portalSchema,
          summary: 'The quote version behind a portal link: an HTML page, or JSON with Accept: application/json',
          description: 'No API key: the token in the path is the credential. 404 for a wrong or revoked token, 410 after the version\'s validity.',
          produces: ['text/html', 'application/json'],
          response: { 200: PortalQuoteJson.or(z.string().describe('text/html')), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const view = await inPortal(deps, token, (s, env) => viewPortalQuote(s, env, token));
          const lang = languageOf(view);
          return sendPortalView(req, reply, () => portalQuoteJson(token, view, lang), () => quotePage(token, view, lang));
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );

    portal.get(
      '/portal/quotes/:token/pdf',
      {
        schema: {
          ...portalSchema,
          summary: 'The quote version behind a portal link as a PDF, in the customer\'s language',
          produces: ['application/pdf'],
          response: { 200: z.any().describe('application/pdf'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const data = await inPortal(deps, token, async (s) => {
            const { quote } = await openPortalLink(s, { clock: deps.clock }, token);
            return quoteDocumentData(s, quote.id);
          });
          const pdf = await renderQuotePdf(toQuoteDocument(data, languageFor(data.buyer.country)));
          return sendPortalPdf(reply, `${data.quote.number}-v${data.quote.version}.pdf`, pdf);
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );

    portal.post(
      '/portal/quotes/:token/accept',
      {
        schema: {
          ...portalSchema,
          summary: 'Accept the version: typed full name, consent and the chosen optional lines; makes the sales order',
          description:
            'Records the signer, time, IP, user agent and a SHA-256 of the accepted content. Idempotent: accepting an ' +
            'accepted version returns its order (already_accepted, 200) instead of making another. A superseded, expired ' +
            'or declined version answers 409. Form or JSON body; JSON answer with Accept: application/json.',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: AcceptBody,
          response: { 200: PortalAcceptanceJson, 201: PortalAcceptanceJson, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        const body = req.body;
        const keys = body.selected_optional_line_keys;
        const selected = keys === undefined ? (isForm(req) ? [] : undefined) : Array.isArray(keys) ? keys : [keys];
        try {
          const result = await inPortal(deps, token, async (s, env) => {
            const r = await acceptViaPortal(s, env, token, {
              signerName: body.signer_name ?? '',
              consent: asTrue(body.consent),
              selectedOptionalLineKeys: selected,
              ip: req.ip,
              userAgent: req.headers['user-agent'] ?? null,
            });
            return { ...r, view: await viewPortalQuote(s, env, token) };
          });
          reply.headers(PORTAL_HEADERS).code(result.alreadyAccepted ? 200 : 201);
          if (wantsJson(req)) {
            return reply.send({ object: 'portal_acceptance' as const, already_accepted: result.alreadyAccepted, order: orderJson(result.order) });
          }
          const t = T[languageOf(result.view)];
          const text = result.alreadyAccepted ? t.alreadyAccepted(result.order.number) : t.accepted(result.order.number);
          return sendHtml(reply, quotePage(token, result.view, languageOf(result.view), { text }));
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );

    portal.post(
      '/portal/quotes/:token/decline',
      {
        schema: {
          ...portalSchema,
          summary: 'Decline the version, with a reason',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: DeclineBody,
          response: { 200: PortalQuoteJson.or(z.string().describe('text/html')), ...errorResponses },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const view = await inPortal(deps, token, async (s, env) => {
            await declineViaPortal(s, env, token, { reason: req.body.reason ?? '' });
            return viewPortalQuote(s, env, token);
          });
          const lang = languageOf(view);
          return sendPortalView(req, reply, () => portalQuoteJson(token, view, lang), () => quotePage(token, view, lang, { text: T[lang].declined }));
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );

    portal.post(
      '/portal/quotes/:token/request-changes',
      {
        schema: {
          ...portalSchema,
          summary: 'Ask for changes to the version, with a comment; staff are notified (event quote.changes_requested)',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: ChangesBody,
          response: {
            201: z.object({ object: z.literal('quote_change_request'), id: z.string(), comment: z.string(), created_at: z.iso.datetime() }).or(z.string()),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const { token } = req.params;
        try {
          const r = await inPortal(deps, token, async (s, env) => {
            const request = await requestQuoteChanges(s, env, token, { comment: req.body.comment ?? '' });
            return { request, view: await viewPortalQuote(s, env, token) };
          });
          reply.headers(PORTAL_HEADERS).code(201);
          if (wantsJson(req)) {
            return reply.send({ object: 'quote_change_request' as const, id: r.request.id, comment: r.request.comment, created_at: r.request.createdAt.toISOString() });
          }
          const lang = languageOf(r.view);
          return sendHtml(reply, quotePage(token, r.view, lang, { text: T[lang].changesSent }));
        } catch (error) {
          return sendFailure(req, reply, error);
        }
      },
    );
  });
}
