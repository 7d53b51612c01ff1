import { type RequestProblem, runTimeProblem } from "../../domain/policy/request-rules.ts";
import type { ChangeWindow } from "../../domain/policy/types.ts";
import { type Block, type ButtonElement, button, LIMITS, plain } from "./blocks.ts";
import { truncate } from "./text.ts";
import type { ViewContext } from "./view-context.ts";

/**
 * Change windows and scheduled runs in Slack (issue 11 item 4): the request modal's "when to run"
 * field (a datetimepicker, which Slack shows in the user's own time zone), its inline errors, and
 * the Run now / Cancel buttons of a scheduled card.
 */

/** Input block id; doubles as the key of `response_action: errors`. */
export const RUN_AT_BLOCK = "request_run_at";
export const RUN_AT_ACTION = "request_run_at_pick";

export const SCHEDULE_ACTIONS = {
  runNow: "operation_run_now",
  cancel: "operation_cancel_scheduled",
} as const;

/** What the field says about time: the requester's zone (users.info `tz`) and the kind's windows as written. */
export interface RunTimeContext {
  timeZone: string | undefined;
  windows: readonly string[];
}

export function runAtInput(ctx: ViewContext, when: RunTimeContext): Block {
  const s = ctx.m.schedule;
  return {
    type: "input",
    block_id: RUN_AT_BLOCK,
    optional: true,
    label: plain(s.runAtLabel, LIMITS.label),
    hint: plain(s.runAtHint(when.timeZone, when.windows), LIMITS.hint),
    element: { type: "datetimepicker", action_id: RUN_AT_ACTION },
  };
}

type StateValues = Record<string, Record<string, { selected_date_time?: number | null } | undefined> | undefined>;

/** The last second a Date can say in four digits (9999-12-31T23:59:59Z). */
const LAST_SECOND = 253_402_300_799;
const FIELD_ERROR_MAX = 600;
/** How far ahead a run may be asked for. */
export const MAX_AHEAD_MS = 366 * 86_400_000;

/**
 * The picked time (Slack sends Unix seconds), undefined for "as soon as it is approved", or
 * "unreadable" for a value no datetimepicker sends.
 */
export function readRunAt(values: StateValues | undefined): Date | "unreadable" | undefined {
  const seconds = values?.[RUN_AT_BLOCK]?.[RUN_AT_ACTION]?.selected_date_time;
  if (seconds === undefined || seconds === null) return undefined;
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > LAST_SECOND) return "unreadable";
  return new Date(seconds * 1000);
}

/** What the field says about the picked time, or undefined when it may be asked for. */
export function runAtFieldError(
  ctx: ViewContext,
  picked: Date | "unreadable" | undefined,
  windows: readonly ChangeWindow[],
  now: Date,
  when: RunTimeContext,
): string | undefined {
  if (picked === undefined) return undefined;
  if (picked === "unreadable") return ctx.m.schedule.runAtUnreadable;
  if (picked.getTime() > now.getTime() + MAX_AHEAD_MS) return ctx.m.schedule.runAtTooFar;
  const problem = runTimeProblem({ windows }, picked, now);
  // A policy may list many windows; a field error stays a few lines.
  return problem ? truncate(runTimeError(ctx, problem, when) ?? "", FIELD_ERROR_MAX) || undefined : undefined;
}

/** e.g. "Sat, Dec 5, 2026, 01:00 (Asia/Shanghai)": in the reader's zone, or UTC when it is unknown. */
export function timeInZone(ctx: ViewContext, at: Date, timeZone: string | undefined): string {
  const zone = timeZone ?? "UTC";
  try {
    const text = new Intl.DateTimeFormat(ctx.locale, {
      timeZone: zone,
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(at);
    return `${text} (${zone})`;
  } catch {
    // A zone Slack knows and Intl does not: say it in UTC.
    return `${at.toISOString().slice(0, 16).replace("T", " ")} (UTC)`;
  }
}

/** The inline error for the field, or undefined for the problems that are not about time. */
export function runTimeError(ctx: ViewContext, problem: RequestProblem, when: RunTimeContext): string | undefined {
  const s = ctx.m.schedule;
  if (problem.code === "run_time_past") return s.runAtPast;
  if (problem.code === "run_time_outside_windows") {
    return s.runAtOutsideWindows(
      when.windows,
      problem.nextOpening ? timeInZone(ctx, problem.nextOpening, when.timeZone) : undefined,
    );
  }
  return undefined;
}

/** On a scheduled card: Run now (the engine refuses it while every window is shut) and Cancel. */
export function scheduledButtons(ctx: ViewContext, requestId: string): ButtonElement[] {
  const s = ctx.m.schedule;
  return [
    button({
      text: s.runNow,
      actionId: SCHEDULE_ACTIONS.runNow,
      value: requestId,
      style: "primary",
      confirm: { title: s.runNowConfirmTitle, text: s.runNowConfirmText, confirm: s.runNow, deny: s.confirmNo },
    }),
    button({
      text: s.cancel,
      actionId: SCHEDULE_ACTIONS.cancel,
      value: requestId,
      style: "danger",
      confirm: { title: s.cancelConfirmTitle, text: s.cancelConfirmText, confirm: s.cancel, deny: s.confirmNo },
    }),
  ];
}
