/**
 * The HTTP API: Fastify with Zod schemas that validate requests, serialise responses and generate the
 * OpenAPI document (GET /openapi.json, interactive at /docs). The database and clock are handed in;
 * this layer parses, authenticates, calls use cases and formats.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyCookie from '@fastify/cookie';
import { DomainError } from '../core/shared/errors.js';
import {
  createSerializerCompiler, jsonSchemaTransform, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app/shared/env.js';
import { registerAuth } from './auth.js';
import { registerAuthorization } from './authorize.js';
import { registerErrorHandling } from './error-handler.js';
import { transformOpenApiObject } from './openapi.js';
import { registerRoutes } from './register.js';
import { registerWebApp } from './web.js';

export interface ServerDeps {
  app: AppDeps;
  logger?: boolean;
  /** Where log lines go when `logger` is on (stdout by default; tests capture them). */
  logStream?: { write(line: string): void };
  /** Requests per minute one client (IP) may make to the customer portal; PORTAL_RATE_LIMIT by default. */
  portalRateLimit?: number;
  /** Login attempts per minute per client IP and e-mail, and password-reset requests (and confirmations) per minute per IP. */
  /** Per minute; `loginPerClient` (all e-mails from one client) defaults to LOGIN_CLIENT_FACTOR × `login`. */
  authRateLimit?: { login: number; passwordReset: number; loginPerClient?: number };
  /** The built web app served at / (web/dist by default; see api/web.ts). */
  webRoot?: string;
}

/**
 * The customer portal is reached with a token in the URL and no other credential: a client that keeps
 * trying tokens is slowed to this many requests a minute (a customer clicking around stays far below).
 */
export const PORTAL_RATE_LIMIT = 60;

/** Password guessing is slowed to this many logins a minute per client and e-mail address. */
export const LOGIN_RATE_LIMIT = 10;
/**
 * All logins from one client (any e-mail) may be this many times LOGIN_RATE_LIMIT a minute: an office
 * behind one address signs in freely, one client trying many accounts (credential stuffing) is capped.
 */
export const LOGIN_CLIENT_FACTOR = 6;
/** Reset requests (mail to someone's inbox) and reset confirmations (token guessing) per minute per client. */
export const PASSWORD_RESET_RATE_LIMIT = 5;

/** Never let a bigint reach JSON.stringify (it throws); responses format money as strings anyway. */
const bigintSafe = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

export const API_VERSION = '0.1.0';

/** Fields never written to the log, at the top level or one level down (pino redact paths). */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
  'password', 'token', 'secret', 'apiKey', 'key', 'totp',
  '*.password', '*.token', '*.secret', '*.apiKey', '*.key', '*.totp', '*.authorization', '*.cookie',
  // not plain 'code': error objects carry one (ECONNREFUSED, a domain error code) and the log needs it
  'new_password', 'current_password', 'totp_code', 'csrf_token', 'otpauth_uri',
  '*.new_password', '*.current_password', '*.totp_code', '*.csrf_token', '*.otpauth_uri',
  'req.headers["x-csrf-token"]', 'headers["x-csrf-token"]', 'res.headers["set-cookie"]',
];

/** `/portal/quotes/<token>/pdf?x` → `/portal/quotes/…/pdf?x`: the segment after the portal's resource is the token. */
export function redactPortalUrl(url: string): string {
  return url.replace(/^(\/portal\/[^/?#]+\/)[^/?#]+/, '$1…');
}

/** Fastify's default request serializer, with the portal token redacted from the URL. */
function portalSafeRequest(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number | undefined } }) {
  return { method: req.method, url: redactPortalUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Request log lines never carry a customer portal token (it is the customer's credential).
    // Secrets that reach a logged object by any path are censored (pino redact).
    logger:
      deps.logger === true
        ? {
            serializers: { req: portalSafeRequest },
            redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
          }
        : false,
    bodyLimit: 1_048_576,
    // Only what the routes read from the URL; anything else is refused by the strict query schemas.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createSerializerCompiler({ replacer: bigintSafe }));
  app.setReplySerializer((payload) => JSON.stringify(payload, bigintSafe));

  // JSON bodies through Fastify's own safe parser, except that an empty body with a JSON content type
  // means "no body" (clients send that for actions such as POST /v1/quotes/{id}/send).
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    defaultJsonParser(req, text, done);
  });

  // Security headers on every response (CSP, frame and sniffing protection, HSTS behind TLS).
  await app.register(fastifyHelmet, { global: true });
  // Rate limits where a credential could be guessed, keyed by client IP. The whole portal shares one
  // limit per client (a guesser cannot spread tries over the quote, order and delivery pages).
  await app.register(fastifyRateLimit, { global: false });
  const portalLimiter = app.createRateLimit({ max: deps.portalRateLimit ?? PORTAL_RATE_LIMIT, timeWindow: 60_000 });
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/portal/')) return;
    const r = await portalLimiter(req);
    if (!r.isAllowed && r.isExceeded) {
      reply.header('retry-after', String(r.ttlInSeconds));
      throw new DomainError('rate_limited', `Too many requests; try again in ${r.ttlInSeconds} s`);
    }
  });
  // Sign-in and password reset are where passwords and reset tokens could be guessed. Login is keyed
  // by client and e-mail (one office behind one address does not lock itself out) and, more loosely, by
  // client alone (one client trying many accounts); the reset routes by client. Checked once the body is parsed (the e-mail is in it), before it is validated.
  const authLimits = deps.authRateLimit ?? { login: LOGIN_RATE_LIMIT, passwordReset: PASSWORD_RESET_RATE_LIMIT };
  const emailOf = (body: unknown): string => {
    const e = typeof body === 'object' && body !== null ? (body as { email?: unknown }).email : undefined;
    return typeof e === 'string' ? e.trim().toLowerCase().slice(0, 254) : '';
  };
  const authLimiters: Record<string, ReturnType<typeof app.createRateLimit>[]> = {
    '/v1/auth/login': [
      app.createRateLimit({ max: authLimits.login, timeWindow: 60_000, keyGenerator: (req) => `login|${req.ip}|${emailOf(req.body)}` }),
      app.createRateLimit({ max: authLimits.loginPerClient ?? authLimits.login * LOGIN_CLIENT_FACTOR, timeWindow: 60_000, keyGenerator: (req) => `login-client|${req.ip}` }),
    ],
    '/v1/auth/password-reset': [app.createRateLimit({ max: authLimits.passwordReset, timeWindow: 60_000, keyGenerator: (req) => `reset|${req.ip}` })],
    '/v1/auth/password-reset/confirm': [app.createRateLimit({ max: authLimits.passwordReset, timeWindow: 60_000, keyGenerator: (req) => `confirm|${req.ip}` })],
  };
  app.addHook('preValidation', async (req, reply) => {
    const limiters = req.routeOptions.url === undefined ? undefined : authLimiters[req.routeOptions.url];
    if (limiters === undefined || req.method !== 'POST') return;
    for (const limiter of limiters) {
      const r = await limiter(req);
      if (!r.isAllowed && r.isExceeded) {
        reply.header('retry-after', String(r.ttlInSeconds));
        req.log.warn({ path: req.routeOptions.url, ip: req.ip }, 'rate limit reached');
        throw new DomainError('rate_limited', `Too many attempts; try again in ${r.ttlInSeconds} s`);
      }
    }
  });
  // Session cookies (routes/auth.ts sets q2c_session; auth.ts reads it).
  await app.register(fastifyCookie);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'q2c API',
        description:
          'Quote-to-cash: customers, products, quotes, orders, deliveries, invoices, payments and the ledger. ' +
          'Money is `{ "amount": "1250.00", "currency": "SEK" }` with a decimal string; every POST accepts an Idempotency-Key.',
        version: API_VERSION,
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer q2c_…`' },
          session: {
            type: 'apiKey', in: 'cookie', name: 'q2c_session',
            description: 'A signed-in user (POST /v1/auth/login sets the cookie). Requests other than GET/HEAD/OPTIONS must also send `X-CSRF-Token` with the csrf_token of the login response.',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: transformOpenApiObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  registerAuth(app, deps.app);
  registerAuthorization(app);
  registerErrorHandling(app);

  app.get(
    '/health',
    {
      schema: {
        summary: 'Health check: the API and its database answer (no API key needed)',
        tags: ['platform'],
        security: [],
        response: {
          200: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
          503: z.object({ status: z.literal('unavailable'), database: z.literal('unavailable') }),
        },
      },
    },
    async (req, reply) => {
      try {
        await deps.app.db.ping();
        return { status: 'ok' as const, database: 'ok' as const };
      } catch (error) {
        req.log.error({ err: error }, 'health check: database unavailable');
        return reply.code(503).send({ status: 'unavailable' as const, database: 'unavailable' as const });
      }
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The web app at / (web/dist), with every non-API path answered by its index.html.
  await registerWebApp(app, deps.webRoot === undefined ? {} : { root: deps.webRoot });

  registerRoutes(app, deps.app);
  return app;
}
