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
 * an expired one 410. `?lang=sv|en` shows a page (and its forms' answers) in that language. A refused
 * form is shown again with the message next to its field (400). Pages are sent with no-store,
 * no-referrer (the token must not leak through the Referer header) and noindex. The server's request log redacts the token (server.ts).
 */
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
import { formatMoney, formatQuantity, unitLabel } from '../../integrations/pdf/i18n.js';
import type { DocumentLanguage } from '../../integrations/pdf/quote-document.js';
import { toQuoteDocument } from '../../integrations/pdf/quote-mapping.js';
import { renderQuotePdf } from '../../integrations/pdf/quote-pdf.js';
import {
  fieldErrorHtml, type FieldError, html, inTokenTenant, invalidAttrs, isForm, keepLanguage, MoneyOut, noticeHtml, portalPage, portalStyle, rawHtml, scrollTable,
} from '../portal-pages.js';
import {
  pageWithFieldError, type PortalDocument, portalDocumentRoute, portalFormRoute, portalLinkRoutes, portalPdfRoute, portalScope,
} from '../portal-routes.js';
import type { Api } from '../http.js';
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
    errors: {
      signer_name: 'Skriv ditt fullständiga namn för att acceptera offerten.',
      consent: 'Kryssa i rutan för att godkänna offerten och dess villkor.',
      reason: 'Skriv varför du tackar nej.',
      comment: 'Skriv vad du vill ändra.',
    } as Record<string, string>,
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
    errors: {
      signer_name: 'Type your full name to accept the quote.',
      consent: 'Tick the box to accept the quote and its terms.',
      reason: 'Tell us why you decline.',
      comment: 'Tell us what you would like changed.',
    } as Record<string, string>,
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

function quotePage(
  token: string,
  v: PortalQuoteView,
  lang: DocumentLanguage,
  asked: DocumentLanguage | undefined,
  message?: { text: string; error?: boolean },
  fieldError?: FieldError,
): string {
  const t = T[lang];
  const q = v.quote;
  const base = portalPath(token);
  const action = (what: string) => keepLanguage(`${base}/${what}`, asked);
  const err = fieldError === undefined ? undefined : { ...fieldError, message: t.errors[fieldError.param] ?? fieldError.message };
  const mine = (param: string) => err?.param === param;
  const money = (minor: bigint) => formatMoney(minor, q.currency, lang);
  const open = q.status === 'sent';
  const title = `${t.quote} ${q.number} ${t.version} ${q.version}`;
  const hasOptional = q.lines.some((l) => l.optional);
  const rows = q.lines.map((l) => {
    const discount = l.discountAmountMinor === 0n ? '' : money(l.discountAmountMinor);
    const choose = l.optional
      ? open
        ? html`<label class="pick"><input type="checkbox" form="accept-form" name="selected_optional_line_keys" value="${l.lineKey}" id="opt-${l.lineKey}"${rawHtml(l.selected ? ' checked' : '')}><span class="sr-only">${t.chooseOption(l.description)}</span></label>`
        : html`${l.selected ? '✓' : ''}`
      : html``;
    const components =
      l.bundle?.display === 'expanded'
        ? html`<ul class="components" aria-label="${t.includes}">${l.bundle.components.map((c) => html`<li>${formatQuantity(c.quantity, lang)} ${unitLabel(c.unit, lang)} ${c.description}</li>`)}</ul>`
        : html``;
    return html`<tr>${hasOptional ? html`<td>${choose}</td>` : html``}<td>${l.description}${l.optional ? html` <em>(${t.optional})</em>` : html``}${components}</td><td class="num">${formatQuantity(l.quantity, lang)} ${unitLabel(l.unit, lang)}</td><td class="num">${money(l.unitPriceMinor)}</td><td class="num">${discount}</td><td class="num">${money(l.netAmountMinor)}</td></tr>`;
  });
  const notice = message
    ? noticeHtml(message)
    : statusNotice(q, lang) !== ''
      ? html`<p class="notice" role="status">${statusNotice(q, lang)}</p>`
      : html``;
  const forms = open
    ? html`<form id="accept-form" method="post" action="${action('accept')}"><h2>${t.acceptTitle}</h2>
<label for="signer_name">${t.signerName}</label><input type="text" id="signer_name" name="signer_name" required maxlength="200" autocomplete="name"${invalidAttrs('signer_name', err, mine('signer_name'))}>${fieldErrorHtml('signer_name', err, mine('signer_name'))}
<label class="check" for="consent"><input type="checkbox" id="consent" name="consent" value="true" required${invalidAttrs('consent', err, mine('consent'))}><span>${t.consent}</span></label>${fieldErrorHtml('consent', err, mine('consent'))}
<button type="submit">${t.acceptButton}</button></form>
<form method="post" action="${action('request-changes')}"><h2>${t.changesTitle}</h2>
<label for="comment">${t.comment}</label><textarea id="comment" name="comment" rows="4" required maxlength="${MAX_COMMENT_LENGTH}"${invalidAttrs('comment', err, mine('comment'))}></textarea>${fieldErrorHtml('comment', err, mine('comment'))}
<button type="submit">${t.changesButton}</button></form>
<form method="post" action="${action('decline')}"><h2>${t.declineTitle}</h2>
<label for="reason">${t.reason}</label><textarea id="reason" name="reason" rows="3" required maxlength="${MAX_REASON_LENGTH}"${invalidAttrs('reason', err, mine('reason'))}></textarea>${fieldErrorHtml('reason', err, mine('reason'))}
<button type="submit">${t.declineButton}</button></form>`
    : html``;
  const body = html`<h1>${title}</h1>${notice}
<dl><dt>${t.from}</dt><dd>${v.seller.name}</dd><dt>${t.to}</dt><dd>${v.buyer.name}</dd><dt>${t.quoteDate}</dt><dd>${q.quoteDate}</dd><dt>${t.validUntil}</dt><dd>${q.validUntil}</dd></dl>
${scrollTable(t.lines, html`<table><caption>${t.lines}</caption><thead><tr>${hasOptional ? html`<th scope="col">${t.choose}</th>` : html``}<th scope="col">${t.description}</th><th scope="col" class="num">${t.quantity}</th><th scope="col" class="num">${t.unitPrice}</th><th scope="col" class="num">${t.discount}</th><th scope="col" class="num">${t.amount}</th></tr></thead>
<tbody>${rows}</tbody></table>`)}
${hasOptional && open ? html`<p>${t.optionNote}</p>` : html``}
<dl>${q.quoteDiscountMinor > 0n ? html`<dt>${t.quoteDiscount}</dt><dd>−${money(q.quoteDiscountMinor)}</dd>` : html``}<dt>${t.net}</dt><dd>${money(q.netTotalMinor)}</dd><dt>${t.vat}</dt><dd>${money(q.vatTotalMinor)}</dd><dt><strong>${t.total}</strong></dt><dd><strong>${money(q.grossTotalMinor)}</strong></dd></dl>
<p><a class="button" href="${keepLanguage(`${base}/pdf`, asked)}">${t.pdf}</a></p>
${forms}`;
  return portalPage(STYLE, lang, title, body, base);
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

const QUOTE: PortalDocument<PortalQuoteView> = { style: STYLE, json: portalQuoteJson, page: quotePage };

const ViewResponse = PortalQuoteJson.or(z.string().describe('text/html'));

// ------------------------------------------------------------------ routes

export function portalRoutes(app: Api, deps: AppDeps): void {
  // --- staff: links
  portalLinkRoutes(app, deps, {
    path: '/v1/quotes/:id/portal-links',
    tags: ['quotes'],
    subject: { kind: 'quote', entity: 'quote' },
    linkKind: 'portalLink',
    response: PortalLinkJson,
    create: {
      summary: 'Make a customer portal link for a sent version; the URL (with its token) is returned only here',
      description:
        'The token (256 random bits) is stored only as its SHA-256, so it cannot be shown again, and responses of this ' +
        'endpoint are never stored for Idempotency-Key replay (a retry makes another link; revoke the extra one). ' +
        'The link expires after the version\'s valid_until and can be revoked.',
      make: async (s, env, id) => {
        const made = await createPortalLink(s, env, id);
        return { ...made, path: portalPath(made.token) };
      },
      json: (made, _id, url) => ({
        object: 'portal_link' as const,
        id: made.link.id,
        quote_id: made.link.quoteId,
        url,
        expires_on: made.link.expiresOn,
        revoked_at: null,
        last_viewed_at: null,
        created_at: made.link.createdAt.toISOString(),
      }),
    },
    revoke: {
      summary: 'Revoke a customer portal link: its URL then answers 404',
      revoke: revokePortalLink,
      json: (l) => ({
        object: 'portal_link' as const,
        id: l.id,
        quote_id: l.quoteId,
        expires_on: l.expiresOn,
        revoked_at: l.revokedAt?.toISOString() ?? null,
        last_viewed_at: l.lastViewedAt?.toISOString() ?? null,
        created_at: l.createdAt.toISOString(),
      }),
    },
  });

  // --- customer: the portal
  const view = (token: string) => inPortal(deps, token, (s, env) => viewPortalQuote(s, env, token));
  const refused = pageWithFieldError(QUOTE, view);

  portalScope(app, (portal) => {
    portalDocumentRoute(portal, QUOTE, {
      path: '/portal/quotes/:token',
      summary: 'The quote version behind a portal link: an HTML page, or JSON with Accept: application/json',
      description: 'No API key: the token in the path is the credential. 404 for a wrong or revoked token, 410 after the version\'s validity.',
      response: ViewResponse,
      load: view,
    });

    portalPdfRoute(portal, STYLE, {
      path: '/portal/quotes/:token/pdf',
      summary: 'The quote version behind a portal link as a PDF, in the customer\'s language',
      load: (token) =>
        inPortal(deps, token, async (s) => {
          const { quote } = await openPortalLink(s, { clock: deps.clock }, token);
          return quoteDocumentData(s, quote.id);
        }),
      render: (data, lang) => renderQuotePdf(toQuoteDocument(data, lang)),
      filename: (data) => `${data.quote.number}-v${data.quote.version}.pdf`,
    });

    portalFormRoute(portal, QUOTE, {
      path: '/portal/quotes/:token/accept',
      summary: 'Accept the version: typed full name, consent and the chosen optional lines; makes the sales order',
      description:
        'Records the signer, time, IP, user agent and a SHA-256 of the accepted content. Idempotent: accepting an ' +
        'accepted version returns its order (already_accepted, 200) instead of making another. A superseded, expired ' +
        'or declined version answers 409. Form or JSON body; JSON answer with Accept: application/json.',
      body: AcceptBody,
      response: { 200: PortalAcceptanceJson, 201: PortalAcceptanceJson },
      run: (req, token, body) => {
        const keys = body.selected_optional_line_keys;
        const selected = keys === undefined ? (isForm(req) ? [] : undefined) : Array.isArray(keys) ? keys : [keys];
        return inPortal(deps, token, async (s, env) => {
          const r = await acceptViaPortal(s, env, token, {
            signerName: body.signer_name ?? '',
            consent: asTrue(body.consent),
            selectedOptionalLineKeys: selected,
            ip: req.ip,
            userAgent: req.headers['user-agent'] ?? null,
          });
          return { ...r, view: await viewPortalQuote(s, env, token) };
        });
      },
      status: (r) => (r.alreadyAccepted ? 200 : 201),
      json: (r) => ({ object: 'portal_acceptance' as const, already_accepted: r.alreadyAccepted, order: orderJson(r.order) }),
      message: (r, lang) => (r.alreadyAccepted ? T[lang].alreadyAccepted(r.order.number) : T[lang].accepted(r.order.number)),
      refused,
    });

    portalFormRoute(portal, QUOTE, {
      path: '/portal/quotes/:token/decline',
      summary: 'Decline the version, with a reason',
      body: DeclineBody,
      response: { 200: ViewResponse },
      run: (_req, token, body) =>
        inPortal(deps, token, async (s, env) => {
          await declineViaPortal(s, env, token, { reason: body.reason ?? '' });
          return { view: await viewPortalQuote(s, env, token) };
        }),
      json: (r, token, lang) => portalQuoteJson(token, r.view, lang),
      message: (_r, lang) => T[lang].declined,
      refused,
    });

    portalFormRoute(portal, QUOTE, {
      path: '/portal/quotes/:token/request-changes',
      summary: 'Ask for changes to the version, with a comment; staff are notified (event quote.changes_requested)',
      body: ChangesBody,
      response: {
        201: z.object({ object: z.literal('quote_change_request'), id: z.string(), comment: z.string(), created_at: z.iso.datetime() }).or(z.string()),
      },
      run: (_req, token, body) =>
        inPortal(deps, token, async (s, env) => {
          const request = await requestQuoteChanges(s, env, token, { comment: body.comment ?? '' });
          return { request, view: await viewPortalQuote(s, env, token) };
        }),
      status: () => 201,
      json: (r) => ({ object: 'quote_change_request' as const, id: r.request.id, comment: r.request.comment, created_at: r.request.createdAt.toISOString() }),
      message: (_r, lang) => T[lang].changesSent,
      refused,
    });
  });
}
