/**
 * The route shapes the customer portals (quotes, orders, deliveries, invoices) share, so that each
 * portal names only what is its own (its page, its JSON, its use cases):
 *
 * - portalScope: the customer routes in their own plugin scope, which takes HTML form posts;
 * - portalDocumentRoute: GET the document behind a token, as a page or (Accept: application/json) JSON;
 * - portalPdfRoute: GET it as a PDF, in the page's language;
 * - portalFormRoute: POST a form (or JSON) that runs a use case and answers with the page again and a
 *   message, or JSON; a refused form is shown again with the message next to its field;
 * - portalLinkRoutes: the staff routes that make a link (URL returned once, never stored for replay)
 *   and revoke it (an ordinary idempotent command).
 *
 * Every portal route answers 404 for a wrong or revoked token and 410 for an expired one, with the
 * portal headers (no-store, no-referrer, noindex), through portal-pages.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../app/ports.js';
import { envFor, type AppDeps, type Env } from '../app/shared/env.js';
import type { Id, IdKind } from '../core/shared/ids.js';
import type { DocumentLanguage } from '../integrations/pdf/quote-document.js';
import { actorOf, principalOf } from './auth.js';
import { command, sendStored } from './command.js';
import { type Api, errorResponses, IdempotencyHeaders, IdParams, pathId } from './http.js';
import {
  acceptFormBodies, type FieldError, LangQuery, pageLanguage, PORTAL_HEADERS, requestedLanguage, sendFormFailure, sendHtml, sendPortalFailure, sendPortalPdf,
  sendPortalView, TokenParams, wantsJson,
} from './portal-pages.js';

/** A message shown above the page. */
export interface PortalNotice {
  text: string;
  error?: boolean;
}

/**
 * One portal's document: its style (for its error pages), its view as JSON and as a page. The page
 * takes the language it is shown in, the language asked for with ?lang= (kept in its links), a
 * message above it and a refused form (`R`: the field error, or more where the portal needs it).
 */
export interface PortalDocument<V extends { buyer: { country: string } }, R = FieldError> {
  style: string;
  json: (token: string, view: V, lang: DocumentLanguage) => unknown;
  page: (token: string, view: V, lang: DocumentLanguage, asked: DocumentLanguage | undefined, message?: PortalNotice, refused?: R) => string;
}

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/** Answers with the view: JSON with Accept: application/json, else its page (in ?lang= or the customer's language). */
function sendDocumentView<V extends { buyer: { country: string } }, R>(
  req: FastifyRequest,
  reply: FastifyReply,
  doc: PortalDocument<V, R>,
  token: string,
  view: V,
): FastifyReply {
  const lang = pageLanguage(req, view);
  return sendPortalView(req, reply, () => doc.json(token, view, lang), () => doc.page(token, view, lang, requestedLanguage(req)));
}

/**
 * For a refused form: the page again, loaded afresh (the refused change made nothing), with the
 * message next to the field it names.
 */
export const pageWithFieldError =
  <V extends { buyer: { country: string } }>(doc: PortalDocument<V>, load: (token: string) => Promise<V>) =>
  async (req: FastifyRequest, token: string, error: FieldError): Promise<string | undefined> => {
    const view = await load(token);
    return doc.page(token, view, pageLanguage(req, view), requestedLanguage(req), undefined, error);
  };

/** The customer routes of one portal, in their own plugin scope with the parser of HTML form posts. */
export function portalScope(app: Api, routes: (portal: Api) => void): void {
  void app.register(async (scope: FastifyInstance) => {
    const portal = scope.withTypeProvider<ZodTypeProvider>();
    acceptFormBodies(portal);
    routes(portal);
  });
}

/** What every customer route's schema starts with: no API key (the token is the credential), ?lang=. */
const portalSchema = { tags: ['portal'], security: [], params: TokenParams, querystring: LangQuery };

/** A GET of a portal: its answer, or the failure as an error page (or JSON) in the portal's style. */
function portalGet(
  portal: Api,
  style: string,
  path: string,
  schema: { summary: string; description?: string; produces: string[]; response: z.ZodType },
  answer: (req: TokenRequest, reply: FastifyReply, token: string) => Promise<FastifyReply>,
): void {
  const { response, ...rest } = schema;
  portal.get(path, { schema: { ...portalSchema, ...rest, response: { 200: response, ...errorResponses } } }, async (req: TokenRequest, reply) => {
    try {
      return await answer(req, reply, req.params.token);
    } catch (error) {
      return sendPortalFailure(req, reply, error, style);
    }
  });
}

/** GET the document behind a token: its page, or its JSON with Accept: application/json. */
export function portalDocumentRoute<V extends { buyer: { country: string } }, R>(
  portal: Api,
  doc: PortalDocument<V, R>,
  o: { path: string; summary: string; description: string; response: z.ZodType; load: (token: string) => Promise<V> },
): void {
  const schema = { summary: o.summary, description: o.description, produces: ['text/html', 'application/json'], response: o.response };
  portalGet(portal, doc.style, o.path, schema, async (req, reply, token) => sendDocumentView(req, reply, doc, token, await o.load(token)));
}

/** GET the document behind a token as a PDF shown in the browser, in ?lang= or the customer's language. */
export function portalPdfRoute<D extends { buyer: { country: string } }>(
  portal: Api,
  style: string,
  o: { path: string; summary: string; load: (token: string) => Promise<D>; render: (data: D, lang: DocumentLanguage) => Promise<Buffer>; filename: (data: D) => string },
): void {
  const schema = { summary: o.summary, produces: ['application/pdf'], response: z.any().describe('application/pdf') };
  portalGet(portal, style, o.path, schema, async (req, reply, token) => {
    const data = await o.load(token);
    const pdf = await o.render(data, pageLanguage(req, data));
    return sendPortalPdf(reply, o.filename(data), pdf);
  });
}

/**
 * POST a portal form (application/x-www-form-urlencoded) or JSON: `run` does the work and loads the
 * view again; the answer is `json` with Accept: application/json, else the page with `message` above
 * it, with the status `status` (200 by default). On failure: with `refused`, a form whose error names
 * a field is shown again with the message next to it (400); else, and for JSON, the error answer.
 */
export function portalFormRoute<V extends { buyer: { country: string } }, Rf, B extends z.ZodType, Out extends { view: V }>(
  portal: Api,
  doc: PortalDocument<V, Rf>,
  o: {
    path: string;
    summary: string;
    description?: string;
    body?: B;
    response: Record<number, z.ZodType>;
    run: (req: FastifyRequest, token: string, body: z.output<B>) => Promise<Out>;
    status?: (out: Out) => number;
    json: (out: Out, token: string, lang: DocumentLanguage) => unknown;
    message: (out: Out, lang: DocumentLanguage) => string;
    refused?: (req: FastifyRequest, token: string, error: FieldError, body: z.output<B>) => Promise<string | undefined>;
  },
): void {
  portal.post(
    o.path,
    {
      schema: {
        ...portalSchema,
        summary: o.summary,
        ...(o.description === undefined ? {} : { description: o.description }),
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        ...(o.body === undefined ? {} : { body: o.body }),
        response: { ...o.response, ...errorResponses },
      },
    },
    async (req: TokenRequest, reply) => {
      const { token } = req.params;
      const body = req.body as z.output<B>;
      try {
        const out = await o.run(req, token, body);
        const lang = pageLanguage(req, out.view);
        reply.headers(PORTAL_HEADERS).code(o.status?.(out) ?? 200);
        if (wantsJson(req)) return reply.send(o.json(out, token, lang) as never);
        return sendHtml(reply, doc.page(token, out.view, lang, requestedLanguage(req), { text: o.message(out, lang) }));
      } catch (error) {
        const refused = o.refused;
        if (refused === undefined) return sendPortalFailure(req, reply, error, doc.style);
        return sendFormFailure(req, reply, error, doc.style, (fieldError) => refused(req, token, fieldError, body));
      }
    },
  );
}

/**
 * The staff routes of a portal's links, under `path` (…/{id}/portal-links):
 * - POST path: makes a link and returns its URL (with the token) only in this response: not through
 *   `command`, whose idempotency store would keep the response and with it the token;
 * - POST path/{linkId}/revoke: revokes it (its URL then answers 404), an idempotent command.
 */
export function portalLinkRoutes<K extends IdKind, L extends IdKind, Made extends { path: string }, Link>(
  app: Api,
  deps: AppDeps,
  o: {
    path: string;
    tags: string[];
    subject: { kind: K; entity: string };
    linkKind: L;
    response: z.ZodType;
    create: {
      summary: string;
      description: string;
      /** Idempotency-Key in the schema, for a `make` that uses it. */
      idempotent?: boolean;
      make: (s: Store, env: Env, id: Id<K>, req: FastifyRequest) => Promise<Made>;
      json: (made: Made, id: Id<K>, url: string) => unknown;
    };
    revoke: {
      summary: string;
      revoke: (s: Store, env: Env, id: Id<K>, linkId: Id<L>) => Promise<Link>;
      json: (link: Link, id: Id<K>) => unknown;
    };
  },
): void {
  app.post(
    o.path,
    {
      schema: {
        tags: o.tags,
        summary: o.create.summary,
        description: o.create.description,
        ...(o.create.idempotent === true ? { headers: IdempotencyHeaders } : {}),
        params: IdParams,
        response: { 201: o.response, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId(o.subject.kind, req.params.id, o.subject.entity);
      const env = envFor(deps, actorOf(req));
      const made = await deps.db.transaction(principalOf(req).tenantId, (s) => o.create.make(s, env, id, req));
      const url = `${req.protocol}://${req.host}${made.path}`;
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(o.create.json(made, id, url) as never);
    },
  );

  app.post(
    `${o.path}/:linkId/revoke`,
    {
      schema: {
        tags: o.tags,
        summary: o.revoke.summary,
        headers: IdempotencyHeaders,
        params: z.object({ id: z.string().max(100), linkId: z.string().max(100) }),
        response: { 200: o.response, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId(o.subject.kind, req.params.id, o.subject.entity);
      const linkId = pathId(o.linkKind, req.params.linkId, 'portal link');
      const res = await command(req, deps, 200, async (s, env) => o.revoke.json(await o.revoke.revoke(s, env, id, linkId), id));
      return sendStored(reply, res);
    },
  );
}
