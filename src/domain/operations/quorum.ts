import type { Operation } from "./api.ts";

export interface QuorumTally {
  /** Distinct approvers who count, first approval first. */
  readonly counted: readonly string[];
  readonly count: number;
  readonly required: number;
  readonly reached: boolean;
}

/**
 * "k of N" from the stored approvals: one row per approver already (the store's key), and the
 * requester never counts towards N. The engine refuses the requester's click when N ≥ 2; when
 * N = 1 and self-approval is allowed, their one approval is the whole decision (approveNow).
 */
export function tallyApprovals(
  operation: Pick<Operation, "approvals" | "approvalsRequired" | "requesterId">,
): QuorumTally {
  const counted = [...new Set(operation.approvals.map((a) => a.userId))].filter((id) => id !== operation.requesterId);
  const required = operation.approvalsRequired;
  return { counted, count: counted.length, required, reached: counted.length >= required };
}
