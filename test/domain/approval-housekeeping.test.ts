import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createApprovalHousekeeping, type SweepReason } from "../../src/domain/approval-housekeeping.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { ApprovalRequest, Store } from "../../src/store/types.ts";
import { memoryLogger } from "../helpers/memory-log.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function setUp(options: { exclusiveStore: boolean; announceFails?: boolean }) {
  let now = Date.parse("2026-03-01T09:00:00Z");
  store = await openStore({ url: "sqlite::memory:", keys: [randomBytes(32)], clock: () => new Date(now) });
  const approvals = store.approvals;
  const announced: { id: string; status: string; reason: SweepReason }[] = [];
  let tracked = 0;
  const logs = memoryLogger("debug");
  const housekeeping = createApprovalHousekeeping({
    approvals,
    exclusiveStore: options.exclusiveStore,
    clock: () => now,
    logger: logs.logger,
    staleExecutionMs: 5 * MINUTE,
    intervalMs: HOUR,
    async announce(request, reason) {
      announced.push({ id: request.id, status: request.status, reason });
      if (options.announceFails) throw new Error("Slack is down");
    },
    track(work) {
      tracked += 1;
      return work();
    },
  });
  const create = (ttlMs = 24 * HOUR) =>
    approvals.create({
      teamId: "T1",
      requesterId: "U1",
      instanceId: "uhost-abc",
      imageId: "compshareImage-abc",
      region: "cn-wlcb",
      zone: "cn-wlcb-01",
      reason: "test",
      ttlMs,
    });
  const executing = async (): Promise<ApprovalRequest> => {
    const request = await create();
    await approvals.transition(request.id, "pending", "approved", { decidedBy: "U2" });
    const moved = await approvals.transition(request.id, "approved", "executing");
    if (!moved.ok) throw new Error("setup");
    return moved.request;
  };
  return {
    approvals,
    housekeeping,
    announced,
    logs,
    create,
    executing,
    advance: (ms: number) => {
      now += ms;
    },
    tracked: () => tracked,
  };
}

describe("approval housekeeping", () => {
  it("expires pending requests whose time is up, announces each once, and leaves the rest", async () => {
    const t = await setUp({ exclusiveStore: true });
    const short = await t.create(HOUR);
    const long = await t.create(48 * HOUR);
    t.advance(2 * HOUR);
    expect(await t.housekeeping.sweep()).toEqual({ expired: 1, interrupted: 0 });
    expect(t.announced).toEqual([{ id: short.id, status: "expired", reason: "expired" }]);
    expect((await t.approvals.get(long.id))?.status).toBe("pending");
    expect(await t.housekeeping.sweep()).toEqual({ expired: 0, interrupted: 0 });
    expect(t.tracked()).toBe(2);
  });

  it("with a store of its own, marks every execution interrupted at start", async () => {
    const t = await setUp({ exclusiveStore: true });
    const fresh = await t.executing();
    t.housekeeping.start();
    try {
      await expect.poll(() => t.announced.length).toBe(1);
      expect(t.announced[0]).toEqual({ id: fresh.id, status: "unknown", reason: "interrupted" });
    } finally {
      t.housekeeping.stop();
    }
  });

  it("with a shared store, leaves executions a live replica may own and marks only stale ones", async () => {
    const t = await setUp({ exclusiveStore: false });
    const old = await t.executing();
    t.advance(10 * MINUTE);
    const fresh = await t.executing();
    t.housekeeping.start();
    try {
      await expect.poll(() => t.announced.length).toBe(1);
      expect(t.announced[0]).toMatchObject({ id: old.id, reason: "interrupted" });
      expect((await t.approvals.get(fresh.id))?.status).toBe("executing");
      t.advance(10 * MINUTE);
      expect(await t.housekeeping.sweep()).toEqual({ expired: 0, interrupted: 1 });
    } finally {
      t.housekeeping.stop();
    }
  });

  it("concurrent sweeps share one run", async () => {
    const t = await setUp({ exclusiveStore: true });
    await t.create(MINUTE);
    t.advance(2 * MINUTE);
    const [a, b] = await Promise.all([t.housekeeping.sweep(), t.housekeeping.sweep()]);
    expect(a).toEqual({ expired: 1, interrupted: 0 });
    expect(b).toBe(a);
    expect(t.announced).toHaveLength(1);
  });

  it("an announcement that fails is logged and the sweep goes on; the state change stands", async () => {
    const t = await setUp({ exclusiveStore: true, announceFails: true });
    const first = await t.create(MINUTE);
    const second = await t.create(MINUTE);
    t.advance(2 * MINUTE);
    expect(await t.housekeeping.sweep()).toEqual({ expired: 2, interrupted: 0 });
    expect(t.announced.map((a) => a.id)).toEqual([first.id, second.id]);
    expect((await t.approvals.get(first.id))?.status).toBe("expired");
    expect(t.logs.text()).toContain("could not announce a swept request");
  });
});
