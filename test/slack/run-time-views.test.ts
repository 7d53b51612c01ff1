import { describe, expect, it } from "vitest";
import type { Locale } from "../../src/config.ts";
import { OPERATION_NOTES, type Operation, planSteps, type Step } from "../../src/domain/operations/index.ts";
import { runTimeProblem } from "../../src/domain/policy/request-rules.ts";
import { parseWindow } from "../../src/domain/policy/windows.ts";
import { messagesFor } from "../../src/slack/i18n/messages.ts";
import { instanceOperationMessage } from "../../src/slack/views/instances.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import {
  OPERATION_ACTIONS,
  operationCard,
  requesterUpdate,
  statusWord,
  timeLabel,
} from "../../src/slack/views/operation-card.ts";
import { reinstallRequestModal } from "../../src/slack/views/reinstall-modal.ts";
import {
  MAX_AHEAD_MS,
  RUN_AT_ACTION,
  RUN_AT_BLOCK,
  readRunAt,
  runAtFieldError,
  runTimeError,
  SCHEDULE_ACTIONS,
  timeInZone,
} from "../../src/slack/views/run-time.ts";
import type { ViewContext } from "../../src/slack/views/view-context.ts";

/** The "when to run" field, its inline errors, and the scheduled card: pure views, both languages. */

const ctx = (locale: Locale): ViewContext => ({ m: messagesFor(locale), locale, sandbox: false });
const at = new Date("2026-12-01T09:00:00Z");
const runAt = new Date("2026-12-05T17:00:00Z");
const window = parseWindow("Sat-Sun 01:00-06:00 Asia/Shanghai");
if (!window.ok) throw new Error(window.problem);
const when = { timeZone: "Asia/Shanghai", windows: [window.window.text] };

function operation(overrides: Partial<Operation>): Operation {
  const targets = [{ instanceId: "uhost-abc1", name: "train-1", stateBefore: "Running" }];
  const steps = planSteps("reinstall", targets, { image: { id: "compshareImage-abc123" } }).map(
    (p, position): Step => ({
      requestId: "req_abcdefghijklmnop",
      position,
      instanceId: p.instanceId,
      action: p.action,
      status: "pending",
      attempts: 0,
      sent: false,
      updatedAt: at,
    }),
  );
  return {
    id: "req_abcdefghijklmnop",
    teamId: "T1",
    kind: "reinstall",
    requesterId: "U0ALICE01",
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
    reason: "CUDA upgrade",
    status: "approved",
    decidedBy: "U0BOB0001",
    decidedAt: at,
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(at.getTime() + 86_400_000),
    channelId: "C0APPROVE1",
    messageTs: "1700000000.000001",
    approvalsRequired: 1,
    approvals: [],
    targets,
    steps,
    ...overrides,
  };
}

const actionIds = (payload: unknown) =>
  [...JSON.stringify(payload).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

describe.each(["en", "zh-CN"] as const)("scheduled runs in %s", (locale) => {
  const c = ctx(locale);

  it("the form offers a datetimepicker, optional, naming the requester's zone and the windows", () => {
    const view = reinstallRequestModal(c, { prefill: {}, snapshotName: "backup", when });
    const block = view.blocks.find((b) => b.block_id === RUN_AT_BLOCK) as Record<string, unknown> | undefined;
    expect(block).toMatchObject({
      type: "input",
      optional: true,
      element: { type: "datetimepicker", action_id: RUN_AT_ACTION },
    });
    const hint = JSON.stringify(block?.hint);
    expect(hint).toContain("Asia/Shanghai");
    expect(hint).toContain("Sat-Sun 01:00-06:00 Asia/Shanghai");
    expect(checkBlockKit(view, "modal")).toEqual([]);
  });

  it("a scheduled card says when it runs (in each reader's zone) and offers Run now and Cancel, not Approve", () => {
    const card = operationCard(c, operation({ runAt }));
    const text = JSON.stringify(card);
    expect(text).toContain(`<!date^${runAt.getTime() / 1000}^`);
    expect(text).toContain(c.m.schedule.scheduled("U0BOB0001", "", "").slice(0, 12));
    expect(actionIds(card)).toEqual([SCHEDULE_ACTIONS.runNow, SCHEDULE_ACTIONS.cancel]);
    expect(actionIds(card)).not.toContain(OPERATION_ACTIONS.approve);
    expect(checkBlockKit(card, "message")).toEqual([]);
    expect(statusWord(c.m, operation({ runAt }))).toBe(c.m.schedule.statusScheduled(timeLabel(runAt)));
    expect(statusWord(c.m, operation({}))).toBe(c.m.operations.requestStatuses.approved);
    // The requester's DM says the same.
    expect(JSON.stringify(requesterUpdate(c, operation({ runAt }), undefined))).toContain(
      `<!date^${runAt.getTime() / 1000}^`,
    );
  });

  it("an approved request with no time is running, with no schedule buttons; a pending one shows the time asked for", () => {
    expect(actionIds(operationCard(c, operation({})))).toEqual([]);
    const pending = operationCard(
      c,
      operation({ status: "pending", runAt, decidedBy: undefined, decidedAt: undefined }),
    );
    expect(JSON.stringify(pending)).toContain(`<!date^${runAt.getTime() / 1000}^`);
    expect(actionIds(pending)).toContain(OPERATION_ACTIONS.approve);
  });

  it("a stop outside its windows says so in its reply, with Run now and Cancel, since it has no card", () => {
    const stop = operation({ kind: "stop", runAt, channelId: undefined, messageTs: undefined });
    const reply = instanceOperationMessage(c, stop);
    expect(JSON.stringify(reply)).toContain(`<!date^${runAt.getTime() / 1000}^`);
    expect(JSON.stringify(reply)).toContain(c.m.operations.steps.stop);
    expect(actionIds(reply)).toEqual([SCHEDULE_ACTIONS.runNow, SCHEDULE_ACTIONS.cancel]);
    expect(checkBlockKit(reply, "message")).toEqual([]);
    expect(actionIds(instanceOperationMessage(c, operation({ kind: "stop", channelId: undefined })))).toEqual([]);
  });

  it("a cancelled scheduled run names who cancelled it", () => {
    const card = operationCard(
      c,
      operation({ status: "cancelled", runAt, decidedBy: "U0CAROL01", note: OPERATION_NOTES.scheduledCancelled }),
    );
    expect(JSON.stringify(card)).toContain("<@U0CAROL01>");
    expect(JSON.stringify(card)).toContain(c.m.schedule.cancelledScheduled("X", "").slice(0, 20).split("<@")[0]);
    expect(actionIds(card)).toEqual([]);
  });

  it("inline errors: a time in the past, and one outside every window with the next opening in the requester's zone", () => {
    const windows = [window.window];
    const past = runTimeProblem({ windows }, new Date(at.getTime() - 3_600_000), at);
    expect(past && runTimeError(c, past, when)).toBe(c.m.schedule.runAtPast);
    // Tuesday 12:00 UTC is outside; the next window opens Saturday 01:00 in Shanghai (Friday 17:00 UTC).
    const outside = runTimeProblem({ windows }, new Date("2026-12-01T12:00:00Z"), at);
    const text = outside ? runTimeError(c, outside, when) : undefined;
    expect(text).toContain("Sat-Sun 01:00-06:00 Asia/Shanghai");
    expect(text).toContain(timeInZone(c, new Date("2026-12-04T17:00:00Z"), "Asia/Shanghai"));
    expect(timeInZone(c, new Date("2026-12-04T17:00:00Z"), "Asia/Shanghai")).toMatch(/01:00/);
    expect(runTimeProblem({ windows }, new Date("2026-12-05T18:00:00Z"), at)).toBeUndefined();
  });
});

describe("reading the picked time", () => {
  it("is Unix seconds from Slack, or nothing for run now", () => {
    expect(readRunAt({ [RUN_AT_BLOCK]: { [RUN_AT_ACTION]: { selected_date_time: 1_764_900_000 } } })).toEqual(
      new Date(1_764_900_000_000),
    );
    expect(readRunAt({ [RUN_AT_BLOCK]: { [RUN_AT_ACTION]: { selected_date_time: null } } })).toBeUndefined();
    expect(readRunAt({})).toBeUndefined();
    expect(readRunAt(undefined)).toBeUndefined();
    // No datetimepicker sends these; they are refused at the field rather than thrown on.
    for (const bad of [1.5, -1, 0, 1e15, Number.NaN]) {
      expect(readRunAt({ [RUN_AT_BLOCK]: { [RUN_AT_ACTION]: { selected_date_time: bad } } })).toBe("unreadable");
    }
  });

  it("the field's error: unreadable, more than a year ahead, or what the windows say", () => {
    const c = ctx("en");
    const windows = [window.window];
    expect(runAtFieldError(c, "unreadable", windows, at, when)).toBe(c.m.schedule.runAtUnreadable);
    expect(runAtFieldError(c, new Date(at.getTime() + MAX_AHEAD_MS + 60_000), [], at, when)).toBe(
      c.m.schedule.runAtTooFar,
    );
    expect(runAtFieldError(c, undefined, windows, at, when)).toBeUndefined();
    expect(runAtFieldError(c, new Date("2026-12-05T18:00:00Z"), windows, at, when)).toBeUndefined();
    expect(runAtFieldError(c, new Date("2026-12-01T12:00:00Z"), windows, at, when)).toContain("outside every");
    const many = { ...when, windows: Array.from({ length: 80 }, () => window.window.text) };
    const long = runAtFieldError(c, new Date("2026-12-01T12:00:00Z"), windows, at, many) ?? "";
    expect(long.length).toBeLessThanOrEqual(600);
  });

  it("says a time in UTC when the zone is unknown", () => {
    expect(timeInZone(ctx("en"), runAt, undefined)).toContain("(UTC)");
    expect(timeInZone(ctx("en"), runAt, "Not/AZone")).toBe("2026-12-05 17:00 (UTC)");
  });
});
