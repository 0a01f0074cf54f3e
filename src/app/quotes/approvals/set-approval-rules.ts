/** Replaces the tenant's approval rules as a whole; the previous set stays stored, inactive. */
import { isKnownCurrency } from '../../../core/money/currency.js';
import { HUNDRED_PERCENT, compareD, type Percent } from '../../../core/money/quantity.js';
import { invalid } from '../../../core/shared/errors.js';
import type { ApprovalRuleRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { recordChange } from '../../shared/record.js';
import { authorize } from '../../shared/permissions.js';

export const MAX_APPROVAL_RULES = 50;

export type ApprovalRuleInput =
  | { kind: 'line_discount_above' | 'quote_discount_above' | 'margin_below'; percent: Percent }
  | { kind: 'total_above'; amountMinor: bigint; currency: string };

function ruleKey(r: ApprovalRuleInput): string {
  return r.kind === 'total_above' ? `${r.kind}:${r.currency}:${r.amountMinor}` : `${r.kind}:${r.percent.scaled}`;
}

export async function setApprovalRules(s: Store, env: Env, rules: readonly ApprovalRuleInput[]): Promise<ApprovalRuleRecord[]> {
  authorize(env.actor, 'admin', 'change the approval rules');
  if (rules.length > MAX_APPROVAL_RULES) throw invalid('rules', `at most ${MAX_APPROVAL_RULES} rules`);
  const seen = new Set<string>();
  const now = env.clock.now();
  const records = rules.map((r, i): ApprovalRuleRecord => {
    const key = ruleKey(r);
    if (seen.has(key)) throw invalid(`rules.${i}`, 'is the same rule as an earlier one');
    seen.add(key);
    const id = env.ids.next('approvalRule');
    if (r.kind === 'total_above') {
      if (!isKnownCurrency(r.currency)) throw invalid(`rules.${i}.amount.currency`, `unsupported currency "${r.currency}"`);
      if (r.amountMinor < 0n) throw invalid(`rules.${i}.amount`, 'must not be negative');
      return { id, kind: r.kind, amountMinor: r.amountMinor, currency: r.currency, createdAt: now };
    }
    if (r.percent.scaled < 0n || compareD(r.percent, HUNDRED_PERCENT) > 0) throw invalid(`rules.${i}.percent`, 'must be between 0 and 100');
    return { id, kind: r.kind, percent: r.percent, createdAt: now };
  });
  await s.approvals.replaceRules(records);
  await recordChange(s, env, {
    action: 'approval_rules.replaced',
    entityType: 'approval_rules',
    entityId: s.tenantId,
    data: { rules: records.map((r) => ({ ...r, createdAt: undefined })) },
  });
  return records;
}
