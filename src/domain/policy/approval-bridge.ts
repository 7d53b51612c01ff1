import type { Config } from "../../config.ts";
import type { Policy } from "./types.ts";

/**
 * The reinstall approval flow reads `config.approval` (approvers, channel, self-approval, TTL).
 * With a policy file those come from its reinstall block, so this gives that flow the config as
 * the policy means it, and the five approval variables are not read.
 */
export function configUnderPolicy(config: Config, policy: Policy): Config {
  if (policy.source.kind === "environment") return config;
  const reinstall = policy.actions.reinstall;
  // The rest of the config is frozen already (and holds key Buffers, which cannot be frozen).
  return Object.freeze({
    ...config,
    approval: Object.freeze({
      channel: reinstall.approvalChannel,
      approvers: reinstall.approvers,
      allowSelfApproval: reinstall.allowSelfApproval,
      ttlMs: reinstall.ttlMs,
      approvalsRequired: reinstall.approvalsRequired,
    }),
  });
}
