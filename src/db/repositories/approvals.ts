/**
 * Approval rules and quote approvals. Rules are replaced as a set: the old rows stay, inactive, so an
 * approval's triggered rule ids keep naming a row. Triggered rules and snapshots are jsonb.
 */
import type { Selectable } from 'kysely';
import type { ApprovalRepo, ApprovalRuleRecord, QuoteApprovalRecord, QuoteApprovalStatus } from '../../app/ports.js';
import type { ApprovalSnapshot, TriggeredRule } from '../../core/quotes/approvals.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { ApprovalRulesTable, QuoteApprovalsTable } from '../schema.js';
import { dec, decText, toJson, type Executor } from './shared.js';

type RuleRow = Selectable<ApprovalRulesTable>;
type ApprovalRow = Selectable<QuoteApprovalsTable>;

function ruleFromRow(r: RuleRow): ApprovalRuleRecord {
  switch (r.kind) {
    case 'total_above':
      return { id: r.id, kind: 'total_above', amountMinor: r.amount_minor ?? 0n, currency: (r.currency ?? '').trim(), createdAt: r.created_at };
    case 'line_discount_above':
    case 'quote_discount_above':
    case 'margin_below':
      return { id: r.id, kind: r.kind, percent: dec(r.percent ?? '0'), createdAt: r.created_at };
    default:
      throw new Error(`approval_rules: unknown kind '${r.kind}' on rule ${r.id}`);
  }
}

function ruleToRow(tenantId: TenantId, r: ApprovalRuleRecord) {
  return {
    tenant_id: tenantId,
    id: r.id,
    kind: r.kind,
    percent: r.kind === 'total_above' ? null : decText(r.percent),
    amount_minor: r.kind === 'total_above' ? r.amountMinor : null,
    currency: r.kind === 'total_above' ? r.currency : null,
    active: true,
    created_at: r.createdAt,
  };
}

function approvalFromRow(r: ApprovalRow): QuoteApprovalRecord {
  return {
    id: asId('quoteApproval', r.id),
    quoteId: asId('quote', r.quote_id),
    version: r.version,
    status: r.status as QuoteApprovalStatus,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    comment: r.comment,
    triggered: r.triggered as TriggeredRule[],
    snapshot: r.snapshot as ApprovalSnapshot,
  };
}

export function approvalRepo(db: Executor, tenantId: TenantId): ApprovalRepo {
  const approvalsOfRoot = (rootId: string) =>
    db
      .selectFrom('quote_approvals as a')
      .innerJoin('quotes as q', (j) => j.onRef('q.tenant_id', '=', 'a.tenant_id').onRef('q.id', '=', 'a.quote_id'))
      .selectAll('a')
      .where('a.tenant_id', '=', tenantId)
      .where('q.root_id', '=', rootId);

  return {
    async listRules() {
      const rows = await db
        .selectFrom('approval_rules')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('active', '=', true)
        .orderBy('id')
        .execute();
      return rows.map(ruleFromRow);
    },

    async replaceRules(rules) {
      await db.updateTable('approval_rules').set({ active: false }).where('tenant_id', '=', tenantId).where('active', '=', true).execute();
      if (rules.length === 0) return;
      await db.insertInto('approval_rules').values(rules.map((r) => ruleToRow(tenantId, r))).execute();
    },

    async insert(a) {
      await db
        .insertInto('quote_approvals')
        .values({
          tenant_id: tenantId,
          id: a.id,
          quote_id: a.quoteId,
          version: a.version,
          status: a.status,
          requested_by: a.requestedBy,
          requested_at: a.requestedAt,
          decided_by: a.decidedBy,
          decided_at: a.decidedAt,
          comment: a.comment,
          triggered: toJson(a.triggered),
          snapshot: toJson(a.snapshot),
        })
        .execute();
    },

    async getOpenForUpdate(quoteId) {
      const row = await db
        .selectFrom('quote_approvals')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('quote_id', '=', quoteId)
        .where('status', '=', 'requested')
        .forUpdate()
        .executeTakeFirst();
      return row === undefined ? undefined : approvalFromRow(row);
    },

    async decide(id, d) {
      const res = await db
        .updateTable('quote_approvals')
        .set({
          status: d.status,
          decided_by: d.decidedBy,
          decided_at: d.decidedAt,
          comment: d.comment,
          triggered: toJson(d.triggered),
          snapshot: toJson(d.snapshot),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'requested')
        .executeTakeFirst();
      return res.numUpdatedRows === 1n;
    },

    async listForRoot(rootId) {
      const rows = await approvalsOfRoot(rootId).orderBy('a.requested_at').orderBy('a.id').execute();
      return rows.map(approvalFromRow);
    },

    async latestApprovedForRoot(rootId) {
      const row = await approvalsOfRoot(rootId)
        .where('a.status', '=', 'approved')
        .orderBy('q.version', 'desc')
        .orderBy('a.decided_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : approvalFromRow(row);
    },
  };
}
