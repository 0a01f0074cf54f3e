/**
 * What the customer portals (quotes, orders, deliveries) share: the HTML template tag and escaping,
 * the page layout and its CSS, the customer's language, running a request in the token's tenant,
 * the HTML form body parser, the response headers and the HTML-or-JSON error answers (404 for a
 * wrong or revoked token, 410 for an expired one).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PortalLinkExpired, portalLinkNotFound, portalTenantOf } from '../app/portal/resolve-portal-link.js';
import type { AppDeps } from '../app/shared/env.js';
import type { Store } from '../app/ports.js';
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
 * bundle components are listed.
 */
export function portalStyle(o: { formMargin: string; inputs: string; components: boolean }): string {
  return (
    'body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}' +
    'table{border-collapse:collapse;width:100%}th,td{padding:.4rem;border-bottom:1px solid #ccc;text-align:left;vertical-align:top}' +
    `td.num,th.num{text-align:right;white-space:nowrap}form{margin:${o.formMargin} 0;padding:1rem;border:1px solid #ccc;border-radius:.3rem}` +
    `label{display:block;margin:.5rem 0 .2rem}${o.inputs}{width:100%;max-width:30rem;padding:.3rem}` +
    (o.components ? 'ul.components{margin:.3rem 0 0;padding-left:1.2rem;font-size:.85em;color:#555}' : '') +
    '.notice{padding:.8rem;border-radius:.3rem;background:#eef5ff;border:1px solid #9bc}.error{background:#fff0f0;border-color:#c99}' +
    'button{margin-top:.8rem;padding:.4rem 1rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dd{margin:0}'
  );
}

/** A whole portal page: noindex, the style and the body in <main>. */
export function portalPage(style: string, lang: DocumentLanguage, title: string, body: Html): string {
  return (
    '<!doctype html>' +
    html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    html`<meta name="robots" content="noindex"><title>${title}</title><style>${rawHtml(style)}</style></head>` +
    html`<body><main>${body}</main></body></html>`
  ).toString();
}

/** The page for a failed request, headed in both languages. */
export function portalErrorPage(style: string, status: number, message: string): string {
  const heading =
    status === 404
      ? 'Sidan finns inte · Page not found'
      : status === 410
        ? 'Länken har gått ut · This link has expired'
        : status === 409
          ? 'Det går inte längre · This is no longer possible'
          : status === 400
            ? 'Kontrollera uppgifterna · Please check your input'
            : 'Något gick fel · Something went wrong';
  return portalPage(style, 'en', heading, html`<h1>${heading}</h1><p class="notice error" role="alert">${message}</p>`);
}

/** A message shown above the page: a status, or an alert for an error. */
export const noticeHtml = (message: { text: string; error?: boolean }): Html =>
  html`<p class="notice${message.error ? ' error' : ''}" role="${message.error ? 'alert' : 'status'}">${message.text}</p>`;

/** The customer's language: Swedish for Swedish customers, English otherwise. */
export const customerLanguage = (v: { buyer: { country: string } }): DocumentLanguage => languageFor(v.buyer.country);

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

export const wantsJson = (req: FastifyRequest): boolean => (req.headers.accept ?? '').includes('application/json');
export const isForm = (req: FastifyRequest): boolean => (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

/** Runs `fn` in the transaction of the token's tenant; a token of no tenant → 404. */
export async function inTokenTenant<T>(deps: AppDeps, token: string, fn: (s: Store, tenantId: TenantId) => Promise<T>): Promise<T> {
  const tenantId = await portalTenantOf(deps.db, token);
  if (tenantId === undefined) throw portalLinkNotFound();
  return deps.db.transaction(tenantId, (s) => fn(s, tenantId));
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
