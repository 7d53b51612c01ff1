import { whenToRun } from "../policy/request-rules.ts";
import type { ChangeWindow } from "../policy/types.ts";
import { isInsideWindows, nextWindowOpening } from "../policy/windows.ts";
import { type Decider, type DecisionResult, OPERATION_NOTES, type Operation, type OperationKind } from "./api.ts";
import type { EngineEnv } from "./engine-env.ts";
import type { PlanDriver } from "./plan-driver.ts";

/**
 * Change windows and scheduled runs (issue 11 item 4). A request approved outside its kind's
 * windows, or for a later time, rests in `approved` with its `runAt`; the sweep starts it once
 * that is due, and the store's approved → executing compare-and-set refuses a start before
 * `runAt`, so no replica starts it early and only one starts it at all. An approver may Run now
 * (when a window is open now) or Cancel; the requester may Cancel.
 */
export type WindowsFor = (kind: OperationKind) => readonly ChangeWindow[];

export interface Scheduling {
  /** When a request approved now runs: undefined for at once, else the time it waits for. */
  runAtOnApproval(operation: Operation): Date | undefined;
  /** Due, but every window is shut now (the bot was down through it): when the next one opens. */
  postponedTo(operation: Operation): Date | undefined;
  runNow(operation: Operation, decider: Decider): Promise<DecisionResult>;
  cancelScheduled(operation: Operation, decider: Decider): Promise<DecisionResult>;
}

/** Approved and waiting for its time. */
export function isScheduled(operation: Pick<Operation, "status" | "runAt">): boolean {
  return operation.status === "approved" && operation.runAt !== undefined;
}

export function createScheduling(env: EngineEnv, driver: PlanDriver, windowsFor: WindowsFor): Scheduling {
  const ops = env.operations;
  const now = () => new Date(env.clock());

  const refused = async (
    operation: Operation,
    decider: Decider,
    verb: string,
    reason: "not_approver" | "unverified" | "outside_windows",
  ): Promise<DecisionResult> => {
    env.logger.info({ approval: operation.id, refusal: reason, verb }, "decision refused");
    await env.audit(operation, decider.userId, verb, `refused:${reason}`);
    return { kind: "refused", reason, operation };
  };

  return {
    runAtOnApproval(operation) {
      const plan = whenToRun(
        { windows: windowsFor(operation.kind) },
        { approvedAt: now(), ...(operation.runAt ? { requestedRunAt: operation.runAt } : {}) },
      );
      if (!plan.scheduled) return undefined;
      // No window can ever open (each wholly inside a DST gap): run at the time asked, as without windows.
      return plan.runAt ?? operation.runAt;
    },

    postponedTo(operation) {
      const windows = windowsFor(operation.kind);
      const at = now();
      if (!isScheduled(operation) || isInsideWindows(windows, at)) return undefined;
      return nextWindowOpening(windows, at);
    },

    async runNow(operation, decider) {
      if (!isScheduled(operation)) return { kind: "late", operation };
      if (decider.check !== "approver") {
        return refused(operation, decider, "run_now", decider.check === "unverified" ? "unverified" : "not_approver");
      }
      if (!isInsideWindows(windowsFor(operation.kind), now())) {
        return refused(operation, decider, "run_now", "outside_windows");
      }
      const moved = await ops.reschedule(operation.id, null);
      if (!moved.ok) return { kind: "late", operation: moved.current };
      await env.audit(moved.operation, decider.userId, "run_now", "approved");
      env.background("drive", () => driver.drive(operation.id));
      return { kind: "done", operation: moved.operation };
    },

    async cancelScheduled(operation, decider) {
      if (!isScheduled(operation)) return { kind: "late", operation };
      const isRequester = decider.userId === operation.requesterId;
      if (!isRequester && decider.check !== "approver") {
        return refused(operation, decider, "cancel", decider.check === "unverified" ? "unverified" : "not_approver");
      }
      const moved = await ops.transition(operation.id, "approved", "cancelled", {
        decidedBy: decider.userId,
        note: OPERATION_NOTES.scheduledCancelled,
      });
      if (!moved.ok) return { kind: "late", operation: moved.current };
      await env.audit(moved.operation, decider.userId, "cancel", "cancelled", { scheduled: true });
      await env.emit({ type: "request-moved", operation: moved.operation, cause: "decision" });
      return { kind: "done", operation: moved.operation };
    },
  };
}
