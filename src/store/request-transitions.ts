import { REQUEST_STATUSES, type RequestStatus } from "../domain/operations/api.ts";
import { InvalidTransitionError } from "./errors.ts";
import type { OperationPatch } from "./types.ts";

/**
 * pending → approved → executing → succeeded | failed | unknown, or pending → rejected | expired |
 * cancelled, or approved (scheduled) → cancelled. unknown → executing is "check again" finding the evidence that lets the plan go on.
 */
const MOVES: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  pending: ["approved", "rejected", "expired", "cancelled"],
  /** approved → cancelled: a scheduled run cancelled before its time. */
  approved: ["executing", "cancelled"],
  executing: ["succeeded", "failed", "unknown"],
  unknown: ["executing"],
  succeeded: [],
  failed: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

/** The statuses a request rests in; retention counts from reaching one (unknown may still be checked again). */
export const FINISHED_REQUEST_STATUSES: readonly RequestStatus[] = [
  "succeeded",
  "failed",
  "unknown",
  "rejected",
  "expired",
  "cancelled",
];

/** Moves that close a request before anything ran: its plan's steps become skipped. */
export const CLOSED_UNRUN: readonly RequestStatus[] = ["rejected", "expired", "cancelled"];

const NEEDS_DECIDER: readonly RequestStatus[] = ["approved", "rejected", "cancelled"];

export function isRequestStatus(value: unknown): value is RequestStatus {
  return typeof value === "string" && (REQUEST_STATUSES as readonly string[]).includes(value);
}

export function canMove(from: RequestStatus, to: RequestStatus): boolean {
  return MOVES[from]?.includes(to) ?? false;
}

/** Throws InvalidTransitionError unless the move is in the graph and the patch fits it. */
export function assertMove(from: RequestStatus, to: RequestStatus, patch: OperationPatch = {}): void {
  if (!isRequestStatus(from) || !isRequestStatus(to)) {
    throw new InvalidTransitionError(String(from), String(to), "unknown status");
  }
  if (!canMove(from, to)) {
    const allowed = MOVES[from];
    throw new InvalidTransitionError(
      from,
      to,
      allowed.length === 0 ? `${from} is final` : `from ${from} only ${allowed.join(", ")} may follow`,
    );
  }
  const decider = patch.decidedBy;
  if (patch.runAt !== undefined && !(from === "pending" && to === "approved")) {
    throw new InvalidTransitionError(from, to, "runAt is set only at approval");
  }
  if (NEEDS_DECIDER.includes(to) && (decider === undefined || decider.trim() === "")) {
    throw new InvalidTransitionError(from, to, "decidedBy is required for a decision");
  }
  if (decider !== undefined && from !== "pending" && !(from === "approved" && to === "cancelled")) {
    throw new InvalidTransitionError(from, to, "decidedBy is recorded only when leaving pending");
  }
}
