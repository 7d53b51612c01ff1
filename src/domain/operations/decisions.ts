import { CredentialDecryptError } from "../../store/errors.ts";
import { type LinkedAccount, NotLinkedError } from "../accounts.ts";
import { decisionRefusal } from "../approvers.ts";
import { type Decider, type DecisionResult, OPERATION_NOTES, type Operation } from "./api.ts";
import type { EngineEnv } from "./engine-env.ts";
import type { PlanDriver } from "./plan-driver.ts";
import { tallyApprovals } from "./quorum.ts";

/**
 * Approval decisions, kept apart from running plans so a richer policy (a quorum, schedules)
 * replaces this module alone: who may decide, the deadline, the requester's keys, and the one
 * compare-and-set out of pending with its audit row and event.
 */
export interface Decisions {
  approve(id: string, decider: Decider): Promise<DecisionResult>;
  reject(id: string, decider: Decider, reason?: string): Promise<DecisionResult>;
  cancel(teamId: string, id: string, userId: string): Promise<DecisionResult>;
  withdraw(teamId: string, id: string, byUserId: string): Promise<DecisionResult>;
  /**
   * pending → approved by `deciderId` and the plan started; for requests that need no approver too
   * (then `note` is OPERATION_NOTES.noApproval, so the card says nobody approved it).
   */
  approveNow(operation: Operation, deciderId: string, note?: string): Promise<DecisionResult>;
  /** Logs and audits a refused move. */
  refuse(operation: Operation, actorId: string, verb: string, reason: string): Promise<void>;
}

export interface DecisionOptions {
  /** Per kind (the policy's allowSelfApproval of that action). */
  allowSelfApproval: (kind: Operation["kind"]) => boolean;
  accountFor(teamId: string, userId: string): Promise<LinkedAccount>;
  inTeam(teamId: string, id: string): Promise<Operation | undefined>;
  /** When a request approved now runs (schedule.ts): undefined for at once. */
  runAtOnApproval(operation: Operation): Date | undefined;
}

export function createDecisions(env: EngineEnv, driver: PlanDriver, options: DecisionOptions): Decisions {
  const ops = env.operations;
  const { inTeam } = options;

  /** What stands in the way of a decision on `operation` now, or undefined when it may be made. */
  const blocked = async (operation: Operation): Promise<DecisionResult | undefined> => {
    if (operation.status !== "pending") return { kind: "late", operation };
    if (operation.expiresAt.getTime() > env.clock()) return undefined;
    const moved = await ops.transition(operation.id, "pending", "expired");
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await env.audit(moved.operation, "system", "expire", "expired");
    await env.emit({ type: "request-moved", operation: moved.operation, cause: "expired" });
    return { kind: "expired", operation: moved.operation };
  };

  const refuse = async (operation: Operation, actorId: string, verb: string, reason: string): Promise<void> => {
    env.logger.info({ approval: operation.id, refusal: reason, verb }, "decision refused");
    await env.audit(operation, actorId, verb, `refused:${reason}`);
  };

  /** The requester's keys must still be the ones the request was checked with. */
  const keysProblem = async (operation: Operation): Promise<"keys_changed" | "keys_removed" | undefined> => {
    try {
      const account = await options.accountFor(operation.teamId, operation.requesterId);
      if (operation.keyFingerprint && account.fingerprint !== operation.keyFingerprint) return "keys_changed";
      return undefined;
    } catch (error) {
      if (error instanceof NotLinkedError || error instanceof CredentialDecryptError) return "keys_removed";
      throw error;
    }
  };

  const closeForKeys = async (
    operation: Operation,
    decider: Decider,
    reason: "keys_changed" | "keys_removed",
  ): Promise<DecisionResult> => {
    const note = reason === "keys_changed" ? OPERATION_NOTES.keysChanged : OPERATION_NOTES.keysRemoved;
    // Decided by the requester's own change, not by the approver who clicked.
    const moved = await ops.transition(operation.id, "pending", "cancelled", {
      decidedBy: operation.requesterId,
      note,
    });
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await refuse(moved.operation, decider.userId, "approve", reason);
    await env.emit({ type: "request-moved", operation: moved.operation, cause: "keys_changed" });
    return { kind: "refused", reason, operation: moved.operation };
  };

  const approveNow = async (operation: Operation, deciderId: string, note?: string): Promise<DecisionResult> => {
    // Outside its change windows, or for a later time asked for: approved now, started by the sweep then.
    const runAt = options.runAtOnApproval(operation);
    const moved = await ops.transition(operation.id, "pending", "approved", {
      decidedBy: deciderId,
      runAt: runAt ?? null,
      ...(note ? { note } : {}),
    });
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await env.audit(
      moved.operation,
      deciderId,
      "approve",
      runAt ? "scheduled" : "approved",
      runAt ? { runAt: runAt.toISOString() } : {},
    );
    await env.emit({ type: "request-moved", operation: moved.operation, cause: "decision" });
    if (!runAt) env.background("drive", () => driver.drive(operation.id));
    return { kind: "done", operation: moved.operation };
  };

  /**
   * One approval of a quorum: a row per (request, approver) in the store, so a second click adds
   * nothing, then the tally. Whoever sees the N-th distinct row moves pending → approved; that
   * move is a compare-and-set, so of simultaneous last approvals (any replica) one starts the plan.
   */
  const countApproval = async (operation: Operation, approverId: string): Promise<DecisionResult> => {
    const added = await ops.recordApproval(operation.id, approverId);
    const current = (await ops.get(operation.id)) ?? operation;
    if (!added) {
      if (current.status !== "pending") return { kind: "late", operation: current };
      return { kind: "duplicate", operation: current };
    }
    const tally = tallyApprovals(current);
    await env.audit(current, approverId, "approve", `counted:${tally.count}/${tally.required}`);
    if (tally.reached) return approveNow(current, approverId);
    await env.emit({ type: "request-moved", operation: current, cause: "approval-counted" });
    return { kind: "counted", operation: current };
  };

  const closeUnrun = async (
    operation: Operation,
    to: "rejected" | "cancelled",
    actorId: string,
    verb: string,
    note?: string,
  ): Promise<DecisionResult> => {
    const moved = await ops.transition(operation.id, "pending", to, { decidedBy: actorId, ...(note ? { note } : {}) });
    if (!moved.ok) return { kind: "late", operation: moved.current };
    await env.audit(moved.operation, actorId, verb, to);
    await env.emit({ type: "request-moved", operation: moved.operation, cause: "decision" });
    return { kind: "done", operation: moved.operation };
  };

  /** Whether this person may decide at all (approver, not their own request); a refusal is audited. */
  const refusedBy = async (
    operation: Operation,
    decider: Decider,
    verdict: "approve" | "reject",
  ): Promise<DecisionResult | undefined> => {
    const refusal = decisionRefusal({
      check: decider.check,
      deciderId: decider.userId,
      requesterId: operation.requesterId,
      verdict,
      allowSelfApproval: options.allowSelfApproval(operation.kind),
    });
    if (!refusal) return undefined;
    await refuse(operation, decider.userId, verdict, refusal);
    return { kind: "refused", reason: refusal, operation };
  };

  return {
    async approve(id: string, decider: Decider): Promise<DecisionResult> {
      const operation = await inTeam(decider.teamId, id);
      if (!operation) return { kind: "late", operation: undefined };
      const refused = await refusedBy(operation, decider, "approve");
      if (refused) return refused;
      // A quorum is of people other than the requester (README, "Approvals"); alone (N = 1) they may approve.
      if (decider.userId === operation.requesterId && operation.approvalsRequired > 1) {
        await refuse(operation, decider.userId, "approve", "requester_in_quorum");
        return { kind: "refused", reason: "requester_in_quorum", operation };
      }
      const stop = await blocked(operation);
      if (stop) return stop;
      const keys = await keysProblem(operation);
      if (keys) return closeForKeys(operation, decider, keys);
      if (operation.approvalsRequired <= 1) return approveNow(operation, decider.userId);
      return countApproval(operation, decider.userId);
    },

    async reject(id: string, decider: Decider, reason?: string): Promise<DecisionResult> {
      const operation = await inTeam(decider.teamId, id);
      if (!operation) return { kind: "late", operation: undefined };
      const refused = await refusedBy(operation, decider, "reject");
      if (refused) return refused;
      const stop = await blocked(operation);
      if (stop) return stop;
      return closeUnrun(operation, "rejected", decider.userId, "reject", reason?.trim() || undefined);
    },

    async cancel(teamId: string, id: string, userId: string): Promise<DecisionResult> {
      const operation = await inTeam(teamId, id);
      if (!operation) return { kind: "late", operation: undefined };
      if (operation.requesterId !== userId) {
        await refuse(operation, userId, "cancel", "not_requester");
        return { kind: "refused", reason: "not_requester", operation };
      }
      const stop = await blocked(operation);
      if (stop) return stop;
      return closeUnrun(operation, "cancelled", userId, "cancel");
    },

    async withdraw(teamId: string, id: string, byUserId: string): Promise<DecisionResult> {
      const operation = await inTeam(teamId, id);
      if (operation?.status !== "pending") return { kind: "late", operation };
      const moved = await ops.transition(id, "pending", "cancelled", {
        decidedBy: byUserId,
        note: OPERATION_NOTES.cardNotPosted,
      });
      if (!moved.ok) return { kind: "late", operation: moved.current };
      await env.audit(moved.operation, operation.requesterId, "request", "withdrawn:card_not_posted");
      await env.emit({ type: "request-moved", operation: moved.operation, cause: "withdrawn" });
      return { kind: "done", operation: moved.operation };
    },

    approveNow,
    refuse,
  };
}
