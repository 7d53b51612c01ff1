import type { ActionPolicy } from "./types.ts";
import { isInsideWindows, nextWindowOpening } from "./windows.ts";

/**
 * The policy's rules on one request, as pure functions the request modal (inline errors) and the
 * engine (server-side checks, scheduling) both call, so the two can never disagree.
 */

export type RequestProblem =
  | { code: "reason_required" }
  | { code: "too_many_instances"; max: number }
  /** The chosen run time is already past (beyond a little grace for the time it took to submit). */
  | { code: "run_time_past" }
  /** The chosen run time is in no window; `nextOpening` is when one opens after it. */
  | { code: "run_time_outside_windows"; nextOpening: Date | undefined };

export function reasonProblem(
  policy: Pick<ActionPolicy, "reasonRequired">,
  reason: string,
): RequestProblem | undefined {
  return policy.reasonRequired && reason.trim() === "" ? { code: "reason_required" } : undefined;
}

export function instanceCountProblem(
  policy: Pick<ActionPolicy, "maxInstances">,
  count: number,
): RequestProblem | undefined {
  return count > policy.maxInstances ? { code: "too_many_instances", max: policy.maxInstances } : undefined;
}

/** How far in the past a chosen time may be: the minute the datetimepicker shows, and the submit. */
export const RUN_TIME_GRACE_MS = 2 * 60_000;

/** A run time chosen in the modal (Slack's datetimepicker: whole minutes, UTC seconds); undefined is "run now". */
export function runTimeProblem(
  policy: Pick<ActionPolicy, "windows">,
  chosen: Date | undefined,
  now: Date,
): RequestProblem | undefined {
  if (chosen === undefined) return undefined;
  if (chosen.getTime() < now.getTime() - RUN_TIME_GRACE_MS) return { code: "run_time_past" };
  if (!isInsideWindows(policy.windows, chosen)) {
    return { code: "run_time_outside_windows", nextOpening: nextWindowOpening(policy.windows, chosen) };
  }
  return undefined;
}

/**
 * When an approved request runs: at the time asked for (or at approval for "run now"), moved to
 * the next window opening when that is outside every window. `scheduled` when that is later
 * than the approval; undefined `runAt` only when no window can ever open.
 */
export function whenToRun(
  policy: Pick<ActionPolicy, "windows">,
  input: { approvedAt: Date; requestedRunAt?: Date | undefined },
): { runAt: Date | undefined; scheduled: boolean } {
  const requested = input.requestedRunAt;
  const earliest = requested && requested.getTime() > input.approvedAt.getTime() ? requested : input.approvedAt;
  const runAt = nextWindowOpening(policy.windows, earliest);
  return { runAt, scheduled: runAt === undefined || runAt.getTime() > input.approvedAt.getTime() };
}
