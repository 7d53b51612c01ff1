import { POLICY_ACTIONS, type Policy } from "./types.ts";

/** Everyone named as an approver of any action: who may export the audit log from Slack. */
export function policyApprovers(policy: Policy): readonly string[] {
  return [...new Set(POLICY_ACTIONS.flatMap((action) => policy.actions[action].approvers))];
}
