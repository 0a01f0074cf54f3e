/**
 * What the customer portals (quotes, orders, deliveries, invoices) share: the HTML template tag and
 * escaping, the page layout and its phone-first CSS, the customer's language and the ?lang= override,
 * running a request in the token's tenant, the HTML form body parser, the response headers, the
 * HTML-or-JSON error answers (404 for a wrong or revoked token, 410 for an expired one), the money and
 * line fields of their JSON and a refused form shown again with the message next to its field. The
 * route shapes built from these are in portal-routes.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PortalLinkExpired, portalLinkNotFound, portalTenantOf } from '../app/portal/resolve-portal-link.js';
import { documentLinkActor, openDocumentLink } from '../app/portal/document-links.js';
import { envFor, type AppDeps, type Env } from '../app/shared/env.js';
import type { DocumentLinkRecord, DocumentLinkSubject, Store } from '../app/ports.js';
import type { TenantId } from '../core/shared/ids.js';
import type { DocumentLanguage } from '../integrations/pdf/quote-document.js';
import { languageFor } from '../integrations/pdf/quote-mapping.js';
import { errorResponseFor } from './error-handler.js';

// ------------------------------------------------------------------ HTML

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and (double- or single-quoted) attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** HTML that is already escaped (made by `html` or `rawHtml`). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Text taken as HTML as it is: only for constants and text escaped already. */
export const rawHtml = (text: string): Html => new Html(text);

type HtmlValue = string | number | Html | readonly Html[] | null | undefined | false;

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (const [i, v] of values.entries()) {
    const part =
      v === null || v === undefined || v === false
        ? ''
        : v instanceof Html
          ? v.text
          : Array.isArray(v)
            ? v.map((h: Html) => h.text).join('')
            : escapeHtml(String(v));
    out += part + (strings[i + 1] ?? '');
  }
  return new Html(out);
}

/**
 * The portals' CSS. They differ only in the form margin, which inputs are styled and whether
 * bundle components are listed. Made for phones first (issue 9): nothing is wider than the screen
 * (tables scroll inside their own wrapper, long words such as an IBAN wrap), every control is at
 * least 44 px tall, inputs use 16 px text (no zoom on focus) and keyboard focus is clearly shown.
 */
export function portalStyle(o: { formMargin: string; inputs: string; components: boolean }): string {
  return (
    'html{-webkit-text-size-adjust:100%}*,*::before,*::after{box-sizing:border-box}' +
    'body{font-family:system-ui,sans-serif;max-width:52rem;margin:1rem auto 2rem;padding:0 1rem;line-height:1.5;color:#1a1a1a;overflow-wrap:anywhere}' +
    'h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.2rem}button,input,select,textarea{font-family:inherit}' +
    '.scroll{overflow-x:auto;margin:1rem 0}.scroll:focus{outline:2px solid #1d4ed8}' +
    'table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}' +
    'th,td{padding:.4rem;border-bottom:1px solid #ccc;text-align:left;vertical-align:top;overflow-wrap:normal}' +
    `td.num,th.num{text-align:right;white-space:nowrap}form{margin:${o.formMargin} 0;padding:1rem;border:1px solid #ccc;border-radius:.3rem}` +
    `label{display:block;margin:.5rem 0 .2rem}${o.inputs}{width:100%;max-width:30rem;padding:.5rem;font-size:1rem;min-height:44px}` +
    'label.check{display:flex;gap:.6rem;align-items:center;min-height:44px;margin:.5rem 0}label.pick{display:inline-flex;align-items:center;justify-content:center;min-width:44px;min-height:44px;margin:0}' +
    'input[type=checkbox]{width:1.4rem;height:1.4rem;flex:none;margin:0}input[type=file]{display:block;max-width:100%;min-height:44px;padding:.5rem 0}' +
    '.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}' +
    (o.components ? 'ul.components{margin:.3rem 0 0;padding-left:1.2rem;font-size:.85em;color:#555}' : '') +
    '.notice{padding:.8rem;border-radius:.3rem;background:#eef5ff;border:1px solid #9bc}.error{background:#fff0f0;border-color:#c99}' +
    '.field-error{color:#a00;margin:.2rem 0;font-weight:600}[aria-invalid=true]{border:2px solid #a00}' +
    'button,a.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;margin-top:.8rem;padding:.5rem 1.2rem;font-size:1rem;border-radius:.3rem}' +
    'button{border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}a.button{border:1px solid #1d4ed8;color:#1d4ed8;background:#fff;text-decoration:none}' +
    'button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}' +
    'nav.lang{text-align:right}nav.lang a{display:inline-flex;align-items:center;min-height:44px;padding:0 .5rem}' +
    'dl{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:.2rem 1rem}dd{margin:0}' +
    '.pay{padding:1rem;border:2px solid #1d4ed8;border-radius:.3rem;margin:1rem 0}.pay h2{margin-top:0}' +
    '@media (max-width:30rem){dl{grid-template-columns:1fr;gap:0}dt{font-weight:600;margin-top:.4rem}}'
  );
}

/** The other language's name, written in that language, for the switch at the top of a page. */
const LANGUAGE_NAMES: Record<DocumentLanguage, string> = { sv: 'På svenska', en: 'In English' };

/**
 * A whole portal page: noindex, the style and the body in <main>. With `path` (the page's own path,
 * no query) a link at the top shows the page in the other language (?lang=).
 */
export function portalPage(style: string, lang: DocumentLanguage, title: string, body: Html, path?: string): string {
  const other: DocumentLanguage = lang === 'sv' ? 'en' : 'sv';
  const nav =
    path === undefined
      ? html``
      : html`<nav class="lang" aria-label="${lang === 'sv' ? 'Språk' : 'Language'}"><a href="${path}?lang=${other}" lang="${other}" hreflang="${other}">${LANGUAGE_NAMES[other]}</a></nav>`;
  return (
    '<!doctype html>' +
    html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    html`<meta name="robots" content="noindex"><title>${title}</title><style>${rawHtml(style)}</style></head>` +
    html`<body>${nav}<main>${body}</main></body></html>`
  ).toString();
}

/** A table that scrolls sideways inside its own box on a narrow screen (the page itself never does). */
export const scrollTable = (label: string, table: Html | string): Html =>
  html`<div class="scroll" role="region" aria-label="${label}" tabindex="0">${typeof table === 'string' ? rawHtml(table) : table}</div>`;

/** The page for a failed request, headed in both languages. */
export function portalErrorPage(style: string, status: number, message: string): string {
  const [sv, en] =
    status === 404
      ? ['Sidan finns inte', 'Page not found']
      : status === 410
        ? ['Länken har gått ut', 'This link has expired']
        : status === 409
          ? ['Det går inte längre', 'This is no longer possible']
          : status === 400
            ? ['Kontrollera uppgifterna', 'Please check your input']
            : ['Något gick fel', 'Something went wrong'];
  const heading = html`<span lang="sv">${sv}</span> · ${en}`;
  return portalPage(style, 'en', `${sv} · ${en}`, html`<h1>${heading}</h1><p class="notice error" role="alert">${message}</p>`);
}

/** A message shown above the page: a status, or an alert for an error. */
export const noticeHtml = (message: { text: string; error?: boolean }): Html =>
  html`<p class="notice${message.error ? ' error' : ''}" role="${message.error ? 'alert' : 'status'}">${message.text}</p>`;

/** The customer's language: Swedish for Swedish customers, English otherwise. */
export const customerLanguage = (v: { buyer: { country: string } }): DocumentLanguage => languageFor(v.buyer.country);

/** `?lang=sv|en` on every portal route: shows the page (and the answers to its forms) in that language. */
export const LangQuery = z.object({
  lang: z.enum(['sv', 'en']).optional().describe("Show the page in this language instead of the customer's (Swedish for Swedish customers, else English)"),
});

/** The language asked for with ?lang=, if any. */
export function requestedLanguage(req: FastifyRequest): DocumentLanguage | undefined {
  const q = req.query as { lang?: unknown } | undefined;
  return q?.lang === 'sv' || q?.lang === 'en' ? q.lang : undefined;
}

/** The page's language: ?lang= if given, else the customer's. */
export const pageLanguage = (req: FastifyRequest, v: { buyer: { country: string } }): DocumentLanguage => requestedLanguage(req) ?? customerLanguage(v);

/** A portal path that keeps the language asked for (?lang=), for form actions and links. */
export const keepLanguage = (path: string, lang: DocumentLanguage | undefined): string => (lang === undefined ? path : `${path}?lang=${lang}`);

// ------------------------------------------------------------------ requests

/** application/x-www-form-urlencoded → fields; a repeated name (checkboxes) becomes an array. */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const MAX_FORM_BYTES = 65_536;

/** Lets the routes of this (plugin) scope take HTML form posts. */
export function acceptFormBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_req, body, done) => {
    done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
  });
}

export const TokenParams = z.object({ token: z.string().max(100) });

/** An amount in a portal's JSON: a decimal string and its currency (inline in the OpenAPI document, as each portal's own). */
export const MoneyOut = z.object({ amount: z.string(), currency: z.string() });

/** The fields a document line starts with in the order and invoice portals' JSON. */
export const portalLineFields = {
  line_no: z.number().int(),
  description: z.string(),
  quantity: z.string(),
  unit: z.string(),
  unit_price: MoneyOut,
  discount: MoneyOut,
};

export const wantsJson = (req: FastifyRequest): boolean => (req.headers.accept ?? '').includes('application/json');
export const isForm = (req: FastifyRequest): boolean => (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

/** Runs `fn` in the transaction of the token's tenant; a token of no tenant → 404. */
export async function inTokenTenant<T>(deps: AppDeps, token: string, fn: (s: Store, tenantId: TenantId) => Promise<T>): Promise<T> {
  const tenantId = await portalTenantOf(deps.db, token);
  if (tenantId === undefined) throw portalLinkNotFound();
  return deps.db.transaction(tenantId, (s) => fn(s, tenantId));
}

/**
 * Runs `fn` in the token's tenant, as the link to an order, delivery or invoice; a wrong or revoked
 * token → 404, an expired one → 410 (PortalLinkExpired).
 */
export function inDocumentLink<T>(
  deps: AppDeps,
  subject: DocumentLinkSubject,
  token: string,
  fn: (s: Store, env: Env, link: DocumentLinkRecord) => Promise<T>,
): Promise<T> {
  return inTokenTenant(deps, token, async (s, tenantId) => {
    const link = await openDocumentLink(s, { clock: deps.clock }, subject, token);
    return fn(s, envFor(deps, documentLinkActor(tenantId, link)), link);
  });
}

// ------------------------------------------------------------------ responses

export const PORTAL_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
  'x-content-type-options': 'nosniff',
} as const;

/** Sends a page (the portal headers set already). */
export const sendHtml = (reply: FastifyReply, page: string): FastifyReply => reply.type('text/html; charset=utf-8').send(page as never);

/** Answers with the view: JSON with Accept: application/json, else the HTML page. */
export function sendPortalView(req: FastifyRequest, reply: FastifyReply, json: () => unknown, page: () => string): FastifyReply {
  reply.headers(PORTAL_HEADERS);
  if (wantsJson(req)) return reply.send(json() as never);
  return sendHtml(reply, page());
}

/** Sends a PDF to show in the browser, under this file name. */
export const sendPortalPdf = (reply: FastifyReply, filename: string, pdf: Buffer): FastifyReply =>
  reply.headers(PORTAL_HEADERS).type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);

type Failure = { status: number; body: { error: { type: string; code: string; message: string; param: string | null } } };

function failure(error: unknown, req: FastifyRequest): Failure {
  if (error instanceof PortalLinkExpired) {
    return { status: 410, body: { error: { type: 'invalid_request_error', code: 'portal_link_expired', message: error.message, param: null } } };
  }
  return errorResponseFor(error, req) as Failure;
}

/** The error as JSON (Accept: application/json) or as an error page in the portal's style. */
export function sendPortalFailure(req: FastifyRequest, reply: FastifyReply, error: unknown, style: string): FastifyReply {
  const f = failure(error, req);
  reply.headers(PORTAL_HEADERS).code(f.status);
  if (wantsJson(req)) return reply.send(f.body as never);
  return sendHtml(reply, portalErrorPage(style, f.status, f.body.error.message));
}

// ------------------------------------------------------------------ form errors next to their fields

/** A refused form field: the API's param (signer_name, lines.0.quantity, …) and the message to show. */
export interface FieldError {
  param: string;
  message: string;
}

/** The attributes of the input `id` when the error is its own: aria-invalid and aria-describedby to the message. */
export const invalidAttrs = (id: string, error: FieldError | undefined, mine: boolean): Html =>
  error !== undefined && mine ? html` aria-invalid="true" aria-describedby="${id}-error"` : html``;

/** The message under the input `id` when the error is its own (announced: role=alert). */
export const fieldErrorHtml = (id: string, error: FieldError | undefined, mine: boolean): Html =>
  error !== undefined && mine ? html`<p id="${id}-error" class="field-error" role="alert">${error.message}</p>` : html``;

/**
 * A failed HTML form post whose error names a field (a 400, 409 or 422 with a param): the page again,
 * with the message next to that field and the status 400, made by `rerender` (which loads the view afresh).
 * JSON requests and any other failure get sendPortalFailure's answer.
 */
export async function sendFormFailure(
  req: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  style: string,
  rerender: (e: FieldError) => Promise<string | undefined>,
): Promise<FastifyReply> {
  const f = failure(error, req);
  const param = f.body.error.param;
  if (wantsJson(req) || !isForm(req) || ![400, 409, 422].includes(f.status) || param === null) return sendPortalFailure(req, reply, error, style);
  let page: string | undefined;
  try {
    page = await rerender({ param, message: f.body.error.message });
  } catch {
    page = undefined;
  }
  if (page === undefined) return sendPortalFailure(req, reply, error, style);
  reply.headers(PORTAL_HEADERS).code(400);
  return sendHtml(reply, page);
}
