import type { Policy, PolicyAction } from "./types.ts";

/**
 * Whether requests for an action can be made: one that needs approval needs an approvals channel
 * and approvers (from POLICY_FILE, or APPROVAL_CHANNEL and APPROVERS); without them the bot still
 * runs and says the action is not configured.
 */
export function actionConfigured(policy: Policy, action: PolicyAction): boolean {
  const rules = policy.actions[action];
  return !rules.needsApproval || (rules.approvalChannel !== undefined && rules.approvers.length > 0);
}
