/**
 * Every failure leaves as `{ "error": { type, code, message, param } }`: schema violations name the
 * first failing field as a dotted path, domain errors keep their code and param, database backstops
 * are translated, and anything unexpected is logged and answered with a bare 500.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError } from '../core/shared/errors.js';
import type { StoredResponse } from '../app/shared/run.js';
import { databaseErrorToDomain, domainErrorResponse, errorBody, internalErrorBody } from './errors.js';

interface FirstIssue {
  keyword: string;
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

const HEADER_NAMES: Record<string, string> = { 'idempotency-key': 'Idempotency-Key', authorization: 'Authorization' };

/** The dotted path of a schema issue; an unknown key names the key itself. */
export function paramOfIssue(issue: FirstIssue, context: string | undefined): string | null {
  const segments = issue.instancePath.split('/').filter((s) => s !== '');
  if (issue.keyword === 'unrecognized_keys') {
    const keys = issue.params['keys'];
    if (Array.isArray(keys) && typeof keys[0] === 'string') segments.push(keys[0]);
  }
  if (segments.length === 0) return null;
  const path = segments.join('.');
  if (context === 'headers') return HEADER_NAMES[path] ?? path;
  return path;
}

function issueMessage(issue: FirstIssue, param: string | null, context: string | undefined): string {
  const where = context === 'querystring' ? 'query parameter' : context === 'headers' ? 'header' : 'field';
  const raw = issue.message ?? 'is invalid';
  if (param === null) {
    return context === 'body' ? `The request body is invalid: ${raw}` : `The request ${where}s are invalid: ${raw}`;
  }
  if (issue.keyword === 'unrecognized_keys') return `Unknown ${where} '${param}'`;
  if (issue.keyword === 'invalid_type' && /received undefined/.test(raw)) return `${param} is required`;
  if (/^must /.test(raw)) return `${param} ${raw}`;
  return `Invalid ${param}: ${raw}`;
}

export function errorResponseFor(error: unknown, req: FastifyRequest): StoredResponse {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0] as unknown as FirstIssue;
    const context = (error as { validationContext?: string }).validationContext;
    const param = paramOfIssue(issue, context);
    return { status: 400, body: errorBody('validation_failed', issueMessage(issue, param, context), param) };
  }
  if (error instanceof DomainError) return domainErrorResponse(error);
  const fromDb = databaseErrorToDomain(error);
  if (fromDb) return domainErrorResponse(fromDb);
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof fastifyError.code === 'string' && fastifyError.code.startsWith('FST_')) {
    const message =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
        ? 'The request body is not valid JSON'
        : (fastifyError.message ?? 'The request is invalid');
    return { status, body: errorBody('validation_failed', message, null) };
  }
  req.log.error({ err: error }, 'unexpected error');
  return { status: 500, body: internalErrorBody() };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, req, reply) => {
    const response = errorResponseFor(error, req);
    if (response.status === 403) {
      // a refused authorisation: who (the key id, never the key), what, and why
      req.log.warn({ path: req.routeOptions.url, method: req.method, actor: req.principal?.actorId ?? null, role: req.principal?.role ?? null, reason: (error as Error).message }, 'authorisation refused');
    }
    return reply.code(response.status).send(response.body);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? req.url;
    return reply.code(404).send(errorBody('not_found', `No route ${req.method} ${path}`));
  });
}
