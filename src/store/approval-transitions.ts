import { InvalidTransitionError } from "./errors.ts";
import type { ApprovalStatus, TransitionPatch } from "./types.ts";

export const APPROVAL_STATUSES = [
  "pending",
  "approved",
  "executing",
  "succeeded",
  "failed",
  "unknown",
  "rejected",
  "expired",
  "cancelled",
] as const;

/**
 * DESIGN §5: pending → approved → executing → succeeded | failed | unknown, or pending → rejected |
 * expired | cancelled. approved → unknown is for a restart between the two moves of an approval,
 * which would otherwise leave the request stuck where no click can move it.
 */
const MOVES: Readonly<Record<ApprovalStatus, readonly ApprovalStatus[]>> = {
  pending: ["approved", "rejected", "expired", "cancelled"],
  approved: ["executing", "unknown"],
  executing: ["succeeded", "failed", "unknown"],
  succeeded: [],
  failed: [],
  unknown: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

/** The states nothing leaves; what "recent results" lists. */
export const FINISHED_STATUSES: readonly ApprovalStatus[] = APPROVAL_STATUSES.filter((s) => MOVES[s].length === 0);

/** A person made these decisions, so the record must say who. */
const NEEDS_DECIDER: readonly ApprovalStatus[] = ["approved", "rejected", "cancelled"];

/** Only the end of an execution has an API outcome to record. */
const CARRIES_OUTCOME: readonly ApprovalStatus[] = ["succeeded", "failed", "unknown"];

export function isApprovalStatus(value: unknown): value is ApprovalStatus {
  return typeof value === "string" && (APPROVAL_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: ApprovalStatus, to: ApprovalStatus): boolean {
  return MOVES[from]?.includes(to) ?? false;
}

/** Leaving pending is the decision; it stamps decided_by and decided_at. */
export function isDecision(from: ApprovalStatus): boolean {
  return from === "pending";
}

/** Throws InvalidTransitionError unless the move is in the graph and the patch fits it. */
export function assertTransition(from: ApprovalStatus, to: ApprovalStatus, patch: TransitionPatch = {}): void {
  if (!isApprovalStatus(from) || !isApprovalStatus(to)) {
    throw new InvalidTransitionError(String(from), String(to), "unknown status");
  }
  if (!canTransition(from, to)) {
    const allowed = MOVES[from];
    throw new InvalidTransitionError(
      from,
      to,
      allowed.length === 0 ? `${from} is final` : `from ${from} only ${allowed.join(", ")} may follow`,
    );
  }
  const decider = patch.decidedBy;
  if (NEEDS_DECIDER.includes(to) && (decider === undefined || decider.trim() === "")) {
    throw new InvalidTransitionError(from, to, "decidedBy is required for a decision");
  }
  if (decider !== undefined && !isDecision(from)) {
    throw new InvalidTransitionError(from, to, "decidedBy is recorded only when leaving pending");
  }
  if (patch.outcome !== undefined && !CARRIES_OUTCOME.includes(to)) {
    throw new InvalidTransitionError(from, to, `an outcome belongs only on a move to ${CARRIES_OUTCOME.join(", ")}`);
  }
}
