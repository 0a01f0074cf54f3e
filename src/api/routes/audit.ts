/** GET /v1/ledger/verify: the audit chain, the sealed records and the ledger invariants, recomputed (app/audit/verify.ts). */
import { z } from 'zod';
import { verifyLedger } from '../../app/audit/verify.js';
import type { AppDeps } from '../../app/shared/env.js';
import { CHECK_CODES, type VerifyReport } from '../../core/audit/report.js';
import { principalOf } from '../auth.js';
import { type Api, errorResponses } from '../http.js';

export const VerifyReportJson = z
  .object({
    object: z.literal('verify_report'),
    tenant_id: z.string(),
    base_currency: z.string(),
    ok: z.boolean().describe('true when every check passed'),
    checks: z.array(
      z.object({
        code: z.enum(CHECK_CODES),
        title: z.string(),
        ok: z.boolean(),
        checked: z.number().int().describe('How many records, rows or figures the check looked at'),
        failure_count: z.number().int(),
        failures: z.array(z.string()).describe('The records it failed on, named (at most 50; failure_count counts all)'),
      }),
    ),
    chain_head: z
      .object({ seq: z.string().describe('Decimal string'), hash: z.string().describe('SHA-256, hex') })
      .nullable()
      .describe("The tenant's last sealed audit row: note it elsewhere to anchor the chain up to here"),
  })
  .meta({ id: 'VerifyReport' });

export function verifyReportJson(r: VerifyReport): z.infer<typeof VerifyReportJson> {
  return {
    object: 'verify_report',
    tenant_id: r.tenantId,
    base_currency: r.baseCurrency,
    ok: r.ok,
    checks: r.checks.map((c) => ({ code: c.code, title: c.title, ok: c.ok, checked: c.checked, failure_count: c.failureCount, failures: c.failures })),
    chain_head: r.chainHead === null ? null : { seq: r.chainHead.seq.toString(), hash: r.chainHead.hash },
  };
}

export function auditRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/ledger/verify',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Verify the books: the hash-chained audit trail, posted entries and issued documents unchanged, balances, AR control, gapless numbering',
        description:
          'Recomputes the audit hash chain and the digest of every posted journal entry and issued invoice and credit note, and checks the ledger invariants. ' +
          'Answers 200 with ok=false and the failing records named when a check fails.',
        querystring: z.strictObject({}),
        response: { 200: VerifyReportJson, ...errorResponses },
      },
    },
    async (req) => verifyReportJson(await deps.db.snapshot(principalOf(req).tenantId, (s) => verifyLedger(s))),
  );
}
