import { describe, expect, it } from "vitest";
import type { OperationKind } from "../../src/domain/operations/index.ts";
import type { ChangeWindow } from "../../src/domain/policy/index.ts";
import { parseWindow } from "../../src/domain/policy/windows.ts";
import { storeTargets } from "../store/harness.ts";
import { APPROVER, approver, REQUESTER, TEAM, type World, worldsOn } from "./engine-world.ts";

/**
 * Change windows and scheduled runs, on both drivers with the world's one fake clock (it starts
 * Tuesday 2026-12-01 09:00 UTC): a request approved outside its window rests approved with its
 * time, and the sweep starts it once when the window opens, after a restart too.
 */

const targets = await storeTargets("test/domain/operations-schedule.test.ts");
const HOUR = 3_600_000;

function windows(...texts: string[]): readonly ChangeWindow[] {
  return texts.map((text) => {
    const parsed = parseWindow(text);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.window;
  });
}

/** Reboots may run only on Tuesdays 10:00–11:00 UTC; everything else any time. */
const TUESDAY_TEN = windows("Tue 10:00-11:00 UTC");
const windowsFor = (kind: OperationKind) => (kind === "reboot" ? TUESDAY_TEN : []);

describe.each(targets)("scheduled runs on $name", ({ name, make }) => {
  const { fresh } = worldsOn(make);

  async function scheduledReboot(w: World) {
    const handle = await w.engine({ windowsFor });
    const instance = w.instance();
    const requested = await handle.engine.request(
      w.request({ kind: "reboot", targets: [{ instanceId: instance.UHostId }] }),
    );
    const approved = await handle.engine.approve(requested.id, approver);
    if (approved.kind !== "done") throw new Error(`approval did not go through: ${approved.kind}`);
    await handle.engine.idle();
    return { handle, instance, operation: approved.operation };
  }

  it("approved outside the window: waits, card data says when, and runs once when it opens", async () => {
    const w = await fresh();
    const { handle, instance, operation } = await scheduledReboot(w);
    expect(operation.status).toBe("approved");
    expect(operation.runAt?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    await handle.engine.sweep();
    await handle.engine.idle();
    expect(w.mutations(instance.UHostId)).toEqual([]);
    expect((await handle.engine.get(TEAM, operation.id))?.status).toBe("approved");
    // Not due: the sweep does not even pick it up (no "resume" row every minute until then).
    const early = await w.store.audit.query({ teamId: TEAM });
    expect(early.filter((row) => row.detail?.approval === operation.id && row.action === "reboot.resume")).toEqual([]);

    w.clock.advance(HOUR);
    await handle.engine.sweep();
    await handle.engine.idle();
    await handle.engine.sweep();
    await handle.engine.idle();
    expect(w.accepted(instance.UHostId, "RebootCompShareInstance")).toBe(1);
    expect((await handle.engine.get(TEAM, operation.id))?.status).toBe("succeeded");
    const rows = await w.store.audit.query({ teamId: TEAM });
    const mine = rows.filter((row) => row.detail?.approval === operation.id);
    expect(mine.filter((row) => row.action === "reboot.approve").map((row) => row.result)).toEqual(["scheduled"]);
    expect(mine.filter((row) => row.action === "reboot.start_scheduled")).toHaveLength(1);
    expect(mine.filter((row) => row.action === "reboot.execute" && row.result === "executing")).toHaveLength(1);
  });

  it("the store itself refuses to start a scheduled plan before its time, whoever asks", async () => {
    const w = await fresh();
    const { operation } = await scheduledReboot(w);
    const early = await w.store.operations.transition(operation.id, "approved", "executing");
    expect(early.ok).toBe(false);
    w.clock.advance(HOUR);
    const due = await w.store.operations.transition(operation.id, "approved", "executing");
    expect(due.ok).toBe(true);
  });

  it("a restart in between: the next process's sweep starts it once", async () => {
    const w = await fresh();
    const { handle, instance, operation } = await scheduledReboot(w);
    await handle.engine.stop();
    w.clock.advance(HOUR + 60_000);
    const next = await w.engine({ windowsFor, store: await w.openStore() });
    await next.engine.sweep();
    await next.engine.idle();
    expect(w.accepted(instance.UHostId, "RebootCompShareInstance")).toBe(1);
    expect((await next.engine.get(TEAM, operation.id))?.status).toBe("succeeded");
  });

  it.runIf(name === "postgres")("two replicas sweeping at the opening start it exactly once", async () => {
    const w = await fresh();
    const { handle, instance, operation } = await scheduledReboot(w);
    const other = await w.engine({ windowsFor, store: await w.openStore() });
    w.clock.advance(HOUR);
    await Promise.all([handle.engine.sweep(), other.engine.sweep(), handle.engine.sweep(), other.engine.sweep()]);
    await Promise.all([handle.engine.idle(), other.engine.idle()]);
    await Promise.all([handle.engine.sweep(), other.engine.sweep()]);
    await Promise.all([handle.engine.idle(), other.engine.idle()]);
    expect(w.accepted(instance.UHostId, "RebootCompShareInstance")).toBe(1);
    const rows = await w.store.audit.query({ teamId: TEAM });
    expect(
      rows.filter(
        (row) => row.detail?.approval === operation.id && row.action === "reboot.execute" && row.result === "executing",
      ),
    ).toHaveLength(1);
  });

  it("down through the whole window: moved to the next opening, not run outside it", async () => {
    const w = await fresh();
    const { handle, instance, operation } = await scheduledReboot(w);
    w.clock.advance(3 * HOUR);
    await handle.engine.sweep();
    await handle.engine.idle();
    expect(w.mutations(instance.UHostId)).toEqual([]);
    const moved = await handle.engine.get(TEAM, operation.id);
    expect(moved?.status).toBe("approved");
    expect(moved?.runAt?.toISOString()).toBe("2026-12-08T10:00:00.000Z");
  });

  it("a later time asked for inside the windows runs then; Run now by an approver starts it at once", async () => {
    const w = await fresh();
    const handle = await w.engine({ windowsFor });
    const instance = w.instance();
    const requested = await handle.engine.request(
      w.request({
        kind: "stop",
        targets: [{ instanceId: instance.UHostId }],
        runAt: new Date(w.clock.now() + 5 * HOUR),
      }),
    );
    const approved = await handle.engine.approve(requested.id, approver);
    expect(approved.kind === "done" && approved.operation.runAt?.toISOString()).toBe("2026-12-01T14:00:00.000Z");
    await handle.engine.idle();
    expect(w.mutations(instance.UHostId)).toEqual([]);

    const stranger = await handle.engine.runNow(requested.id, {
      teamId: TEAM,
      userId: REQUESTER,
      check: "not_approver",
    });
    expect(stranger).toMatchObject({ kind: "refused", reason: "not_approver" });
    const ran = await handle.engine.runNow(requested.id, approver);
    expect(ran.kind).toBe("done");
    await handle.engine.idle();
    expect(w.accepted(instance.UHostId, "StopCompShareInstance")).toBe(1);
    expect((await handle.engine.runNow(requested.id, approver)).kind).toBe("late");
  });

  it("Run now while every window is shut is refused; Cancel closes it and nothing ever runs", async () => {
    const w = await fresh();
    const { handle, instance, operation } = await scheduledReboot(w);
    expect(await handle.engine.runNow(operation.id, approver)).toMatchObject({
      kind: "refused",
      reason: "outside_windows",
    });
    const cancelled = await handle.engine.cancelScheduled(operation.id, approver);
    expect(cancelled.kind === "done" && cancelled.operation.status).toBe("cancelled");
    expect(cancelled.kind === "done" && cancelled.operation.decidedBy).toBe(APPROVER);
    w.clock.advance(HOUR);
    await handle.engine.sweep();
    await handle.engine.idle();
    expect(w.mutations(instance.UHostId)).toEqual([]);
    expect((await handle.engine.get(TEAM, operation.id))?.steps.map((step) => step.status)).toEqual(
      expect.arrayContaining(["skipped"]),
    );
  });
});
