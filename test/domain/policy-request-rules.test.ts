import { describe, expect, it } from "vitest";
import {
  type ChangeWindow,
  instanceCountProblem,
  parseWindow,
  reasonProblem,
  runTimeProblem,
  whenToRun,
} from "../../src/domain/policy/index.ts";

function window(text: string): ChangeWindow {
  const parsed = parseWindow(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.window;
}

const weekendNights = { windows: [window("Sat-Sun 01:00-06:00 Asia/Shanghai")] };
const anyTime = { windows: [] };
// Tuesday 1 December 2026, 20:00 in Shanghai.
const now = new Date("2026-12-01T12:00:00Z");
const saturdayOpening = new Date("2026-12-04T17:00:00Z");

describe("reason and instance limits", () => {
  it("needs a reason only where the policy says so, and counts whitespace as none", () => {
    expect(reasonProblem({ reasonRequired: true }, "  ")).toEqual({ code: "reason_required" });
    expect(reasonProblem({ reasonRequired: true }, "driver update")).toBeUndefined();
    expect(reasonProblem({ reasonRequired: false }, "")).toBeUndefined();
  });

  it("refuses more instances than the policy allows in one request", () => {
    expect(instanceCountProblem({ maxInstances: 5 }, 6)).toEqual({ code: "too_many_instances", max: 5 });
    expect(instanceCountProblem({ maxInstances: 5 }, 5)).toBeUndefined();
  });
});

describe("runTimeProblem (the datetimepicker's value)", () => {
  it("accepts run now, and a time inside a window", () => {
    expect(runTimeProblem(weekendNights, undefined, now)).toBeUndefined();
    expect(runTimeProblem(weekendNights, new Date("2026-12-05T02:00:00+08:00"), now)).toBeUndefined();
    expect(runTimeProblem(anyTime, new Date("2026-12-02T09:00:00Z"), now)).toBeUndefined();
  });

  it("refuses a time in the past, beyond two minutes' grace", () => {
    expect(runTimeProblem(anyTime, new Date(now.getTime() - 60_000), now)).toBeUndefined();
    expect(runTimeProblem(anyTime, new Date(now.getTime() - 3 * 60_000), now)).toEqual({ code: "run_time_past" });
  });

  it("refuses a time outside every window, saying when the next one opens", () => {
    expect(runTimeProblem(weekendNights, new Date("2026-12-02T12:00:00Z"), now)).toEqual({
      code: "run_time_outside_windows",
      nextOpening: saturdayOpening,
    });
  });
});

describe("whenToRun", () => {
  it("runs at approval inside a window, or with no windows", () => {
    const inside = new Date("2026-12-05T02:00:00+08:00");
    expect(whenToRun(weekendNights, { approvedAt: inside })).toEqual({ runAt: inside, scheduled: false });
    expect(whenToRun(anyTime, { approvedAt: now })).toEqual({ runAt: now, scheduled: false });
  });

  it("schedules an approval outside its window for the next opening", () => {
    expect(whenToRun(weekendNights, { approvedAt: now })).toEqual({ runAt: saturdayOpening, scheduled: true });
  });

  it("keeps a later requested time, and moves a requested time already passed to the approval", () => {
    const later = new Date("2026-12-06T03:00:00+08:00");
    expect(whenToRun(weekendNights, { approvedAt: now, requestedRunAt: later })).toEqual({
      runAt: later,
      scheduled: true,
    });
    const passed = new Date("2026-11-28T02:00:00+08:00");
    expect(whenToRun(weekendNights, { approvedAt: now, requestedRunAt: passed })).toEqual({
      runAt: saturdayOpening,
      scheduled: true,
    });
  });
});
