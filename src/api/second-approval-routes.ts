/**
 * The routes of a kind of request waiting for a second approval (refunds, bad-debt write-offs): list
 * them by status, approve one (the action is taken then; answers with what it produced) or reject one
 * with the reason. The use cases decide who may (app/shared/second-approval.ts).
 */
import { z } from 'zod';
import type { IdKind, Id } from '../core/shared/ids.js';
import type { Page, PageResult, SecondApproval, Store } from '../app/ports.js';
import type { AppDeps, Env } from '../app/shared/env.js';
import { command, read, sendStored } from './command.js';
import { type Api, errorResponses, IdempotencyHeaders, IdParams, pageOf, pageQueryShape, pathId } from './http.js';
import { Instant, listJson, listSchema } from './serialize.js';

type Status = SecondApproval['status'];

/** The decision fields of every request waiting for a second approval, in its JSON schema. */
export const secondApprovalJsonShape = {
  status: z.enum(['pending', 'approved', 'rejected']),
  requested_by: z.string(),
  requested_at: Instant,
  decided_by: z.string().nullable(),
  decided_at: Instant.nullable(),
  decision_note: z.string().nullable(),
};

/** The decision fields of a request as JSON (see secondApprovalJsonShape). */
export const secondApprovalJson = (r: SecondApproval) => ({
  status: r.status,
  requested_by: r.requestedBy,
  requested_at: r.requestedAt.toISOString(),
  decided_by: r.decidedBy,
  decided_at: r.decidedAt?.toISOString() ?? null,
  decision_note: r.decisionNote,
});

export function secondApprovalRoutes<K extends IdKind, R extends SecondApproval, RJ extends z.ZodType, AJ extends z.ZodType>(
  app: Api,
  deps: AppDeps,
  c: {
    /** e.g. '/v1/refund-requests' */
    path: string;
    tag: string;
    /** e.g. 'refund', 'write-off' */
    noun: string;
    idKind: K;
    requestJson: RJ;
    toJson: (r: R) => z.output<RJ>;
    /** What an approval produced (the refund, the write-off). */
    resultJson: AJ;
    list: (s: Store, page: Page, filter: { status?: Status }) => Promise<PageResult<R>>;
    approve: (s: Store, env: Env, id: Id<K>, note: string | undefined) => Promise<z.output<AJ>>;
    reject: (s: Store, env: Env, id: Id<K>, reason: string) => Promise<R>;
    approveSummary: string;
  },
): void {
  const idOf = (raw: string) => pathId(c.idKind, raw, `${c.noun} request`);

  app.get(
    c.path,
    {
      schema: {
        tags: [c.tag],
        summary: `${c.noun[0]!.toUpperCase()}${c.noun.slice(1)}s waiting for (or given) a second approval`,
        querystring: z.strictObject({ ...pageQueryShape, status: z.enum(['pending', 'approved', 'rejected']).optional() }),
        response: { 200: listSchema(c.requestJson), ...errorResponses },
      },
    },
    async (req) =>
      read(req, deps, async (s) => listJson(await c.list(s, pageOf(c.idKind, req.query), req.query.status === undefined ? {} : { status: req.query.status }), c.toJson)),
  );

  app.post(
    `${c.path}/:id/approve`,
    {
      schema: {
        tags: [c.tag],
        summary: c.approveSummary,
        headers: IdempotencyHeaders,
        params: IdParams,
        body: z.strictObject({ note: z.string().max(500).optional() }).nullish(),
        // the schemas as plain ZodType: Fastify cannot resolve a reply type from a generic one
        response: { 201: c.resultJson as z.ZodType, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = idOf(req.params.id);
      return sendStored(reply, await command(req, deps, 201, (s, env) => c.approve(s, env, id, req.body?.note)));
    },
  );

  app.post(
    `${c.path}/:id/reject`,
    {
      schema: {
        tags: [c.tag],
        summary: `Reject a large ${c.noun} request, with the reason`,
        headers: IdempotencyHeaders,
        params: IdParams,
        body: z.strictObject({ reason: z.string().min(1).max(500) }),
        response: { 200: c.requestJson as z.ZodType, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = idOf(req.params.id);
      return sendStored(reply, await command(req, deps, 200, async (s, env) => c.toJson(await c.reject(s, env, id, req.body.reason))));
    },
  );
}
