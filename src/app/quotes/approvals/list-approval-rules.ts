/** The tenant's active approval rules. */
import type { ApprovalRuleRecord, Store } from '../../ports.js';

export async function listApprovalRules(s: Store): Promise<ApprovalRuleRecord[]> {
  return s.approvals.listRules();
}
