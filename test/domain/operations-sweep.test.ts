import { setImmediate as yieldToIo } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { storeTargets } from "../store/harness.ts";
import { approver, TEAM, worldsOn } from "./engine-world.ts";

/** The periodic sweep: expiry announced a few at a time, orphaned approvals picked up, retention. */

const targets = await storeTargets("test/domain/operations-sweep.test.ts");
const DAY = 86_400_000;

describe.each(targets)("operations sweep on $name", ({ make }) => {
  const { fresh } = worldsOn(make);

  it("expires what is due and announces it with bounded concurrency, each with its audit row", async () => {
    const w = await fresh();
    const handle = await w.engine({ announceConcurrency: 4 });
    const due = 30;
    for (let i = 0; i < due; i += 1) {
      await handle.engine.request(
        w.request({ kind: "reboot", targets: [{ instanceId: `uhost-due${i}` }], ttlMs: 1000 }),
      );
    }
    const later = await handle.engine.request(
      w.request({ kind: "reboot", targets: [{ instanceId: "uhost-later" }], ttlMs: DAY }),
    );
    // Each announcement is held until as many as the limit are in flight (or all that are left),
    // so the most seen at once is the engine's bound, whatever the store's speed.
    let inFlight = 0;
    let most = 0;
    const announced: string[] = [];
    let held: (() => void)[] = [];
    handle.engine.subscribe(async (event) => {
      if (event.type !== "request-moved" || event.cause !== "expired") return;
      inFlight += 1;
      most = Math.max(most, inFlight);
      const release = new Promise<void>((resolve) => held.push(resolve));
      if (inFlight === 4 || announced.length + inFlight === due) {
        for (const go of held) go();
        held = [];
      }
      await release;
      await yieldToIo();
      announced.push(event.operation.id);
      inFlight -= 1;
    });
    w.clock.advance(1000);

    const report = await handle.engine.sweep();
    await handle.engine.idle();

    expect(report.expired).toBe(due);
    expect(announced).toHaveLength(due);
    expect(most).toBe(4);
    expect((await handle.engine.get(TEAM, later.id))?.status).toBe("pending");
    const audit = await w.store.audit.query({ teamId: TEAM, limit: 1000 });
    expect(audit.filter((a) => a.action === "reboot.expire")).toHaveLength(due);
    expect((await handle.engine.sweep()).expired).toBe(0);
  });

  it("shares one run between concurrent sweeps, and goes on when an announcement fails", async () => {
    const w = await fresh();
    const handle = await w.engine();
    const first = await handle.engine.request(
      w.request({ kind: "reboot", targets: [{ instanceId: "uhost-a" }], ttlMs: 1 }),
    );
    const second = await handle.engine.request(
      w.request({ kind: "reboot", targets: [{ instanceId: "uhost-b" }], ttlMs: 1 }),
    );
    const announced: string[] = [];
    handle.engine.subscribe((event) => {
      if (event.type !== "request-moved" || event.cause !== "expired") return;
      announced.push(event.operation.id);
      if (event.operation.id === first.id) throw new Error("channel_not_found");
    });
    w.clock.advance(1);
    const [a, b] = await Promise.all([handle.engine.sweep(), handle.engine.sweep()]);
    await handle.engine.idle();
    expect(a).toEqual({ expired: 2, resumed: 0, purged: 0 });
    expect(b).toBe(a);
    expect(announced.sort()).toEqual([first.id, second.id].sort());
    expect((await handle.engine.get(TEAM, first.id))?.status).toBe("expired");
    expect(handle.log.text()).toContain("an operation listener failed");
  });

  it("does not hold up shutdown for announcements still queued", async () => {
    const w = await fresh();
    const handle = await w.engine({ announceConcurrency: 2 });
    for (let i = 0; i < 10; i += 1) {
      await handle.engine.request(w.request({ kind: "reboot", targets: [{ instanceId: `uhost-q${i}` }], ttlMs: 1 }));
    }
    let started = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    handle.engine.subscribe(async (event) => {
      if (event.type !== "request-moved" || event.cause !== "expired") return;
      started += 1;
      await gate;
    });
    w.clock.advance(1);
    expect((await handle.engine.sweep()).expired).toBe(10);
    const stopped = handle.engine.stop();
    release();
    await stopped;
    expect(started).toBe(2);
    expect(handle.log.text()).toContain("expired requests left unannounced");
  });

  it("keeps finished requests for the retention period, then deletes them while the audit log keeps every action", async () => {
    const w = await fresh();
    const handle = await w.engine({ retentionMs: 90 * DAY });
    const instance = w.instance({ State: "Running" });
    const op = await handle.engine.request(
      w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }], approval: "none" }),
    );
    await handle.engine.idle();
    expect((await handle.engine.get(TEAM, op.id))?.status).toBe("succeeded");
    const auditBefore = await w.store.audit.query({ teamId: TEAM, limit: 1000 });

    w.clock.advance(89 * DAY);
    expect((await handle.engine.sweep()).purged).toBe(0);
    expect(await handle.engine.get(TEAM, op.id)).toBeDefined();

    w.clock.advance(2 * DAY);
    expect((await handle.engine.sweep()).purged).toBe(1);
    expect(await handle.engine.get(TEAM, op.id)).toBeUndefined();
    expect(await w.store.audit.query({ teamId: TEAM, limit: 1000 })).toEqual(auditBefore);
    expect(auditBefore.map((a) => a.action)).toEqual(expect.arrayContaining(["stop.request", "stop.execute"]));
  });

  it("carries out an approval the bot stopped before executing (a restart between approve and execute)", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const a = await w.engine();
    const op = await a.engine.request(w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }] }));
    // The approval is recorded, and the process dies before any step is claimed.
    await w.store.operations.transition(op.id, "pending", "approved", { decidedBy: approver.userId });
    const b = await w.engine({ store: await w.openStore() });
    expect((await b.engine.sweep()).resumed).toBe(1);
    await b.engine.idle();
    expect((await b.engine.get(TEAM, op.id))?.status).toBe("succeeded");
    expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);
    const audit = await w.store.audit.query({ teamId: TEAM });
    expect(audit.map((a) => `${a.action}:${a.result}`)).toEqual(
      expect.arrayContaining(["stop.resume:approved", "stop.execute:executing", "stop.execute:succeeded"]),
    );
  });

  it("starts sweeping on start and stops on stop", async () => {
    const w = await fresh();
    const handle = await w.engine({ sweepIntervalMs: 3_600_000 });
    const op = await handle.engine.request(
      w.request({ kind: "reboot", targets: [{ instanceId: "uhost-x" }], ttlMs: 1 }),
    );
    w.clock.advance(1);
    handle.engine.start();
    await handle.engine.idle();
    expect((await handle.engine.get(TEAM, op.id))?.status).toBe("expired");
    await handle.engine.stop();
  });
});
