import type { Config } from "../../config.ts";
import { deepFreeze } from "./freeze.ts";
import {
  type ActionPolicy,
  MAX_INSTANCES_PER_REQUEST,
  POLICY_ACTIONS,
  type Policy,
  type PolicyAction,
} from "./types.ts";

/**
 * The policy without POLICY_FILE: exactly what the environment variables have always meant.
 * Reinstall needs APPROVALS_REQUIRED approvals from APPROVERS, posted in APPROVAL_CHANNEL, with a
 * reason; stop, start, reboot and image edits need none; every command works anywhere, any time.
 */
export function policyFromEnvironment(approval: Config["approval"]): Policy {
  const actionPolicy = (action: PolicyAction): ActionPolicy => ({
    action,
    needsApproval: action === "reinstall",
    approvers: [...approval.approvers],
    approvalsRequired: approval.approvalsRequired,
    approvalChannel: approval.channel,
    allowSelfApproval: approval.allowSelfApproval,
    placement: { channels: undefined, directMessages: true },
    reasonRequired: action === "reinstall",
    windows: [],
    maxInstances: MAX_INSTANCES_PER_REQUEST,
    ttlMs: approval.ttlMs,
  });
  const actions = Object.fromEntries(POLICY_ACTIONS.map((action) => [action, actionPolicy(action)])) as Record<
    PolicyAction,
    ActionPolicy
  >;
  return deepFreeze({ source: { kind: "environment" }, actions });
}
