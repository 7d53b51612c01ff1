import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { planSteps } from "../../src/domain/operations/plan.ts";
import {
  ApprovalNotFoundError,
  InvalidStoreInputError,
  InvalidTransitionError,
  type NewOperationRecord,
  openStore,
  type Store,
} from "../../src/store/index.ts";
import { migrate } from "../../src/store/migrate.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";
import { pendingSql, RECENT_INVOLVING_SQL } from "../../src/store/operation-repository.ts";
import { FINISHED_REQUEST_STATUSES } from "../../src/store/request-transitions.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import { HOUR, MINUTE, manualClock, openRawDriver, rawQuery, type StoreTarget, storeTargets } from "./harness.ts";

const KEY = randomBytes(32);
const T1 = "T0001";
const IMAGE = "compshareImage-new1";

function newOperation(overrides: Partial<NewOperationRecord> = {}): NewOperationRecord {
  const targets = overrides.targets ?? [
    { instanceId: "uhost-a1", name: "trainer", gpu: "1× 4090", stateBefore: "Running" },
    { instanceId: "uhost-b2", stateBefore: "Starting" },
  ];
  return {
    teamId: T1,
    requesterId: "U_REQ",
    kind: "reinstall",
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
    reason: "move to the CUDA 12 image",
    keyFingerprint: "0123456789abcdef",
    targets,
    steps: planSteps("reinstall", targets, { image: { id: IMAGE }, stopFirst: true, startAfter: true }),
    ttlMs: 24 * HOUR,
    ...overrides,
  };
}

const targets = await storeTargets("test/store/operations.test.ts");

describe.each(targets)("operation store on $name", ({ make }) => {
  let target: StoreTarget;
  let clock: ReturnType<typeof manualClock>;
  const opened: Store[] = [];

  beforeAll(() => {
    target = make();
  });
  afterAll(async () => {
    await target.cleanup();
  });
  beforeEach(() => {
    clock = manualClock();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  async function open(url?: string) {
    const where = url ?? (await target.newUrl());
    const store = await openStore({ url: where, keys: [KEY], clock: clock.now });
    opened.push(store);
    return { store, url: where };
  }

  const claimFor = (owner: string, ms = MINUTE) => ({ owner, until: new Date(clock.now().getTime() + ms) });

  it("records a request with its instances and its plan, in order, all pending", async () => {
    const { store } = await open();
    const op = await store.operations.create(newOperation());
    expect(op.id).toMatch(/^req_[a-z2-7]{16}$/);
    expect(op).toMatchObject({
      kind: "reinstall",
      status: "pending",
      keyFingerprint: "0123456789abcdef",
      expiresAt: new Date(clock.now().getTime() + 24 * HOUR),
    });
    expect(op.targets).toEqual([
      { instanceId: "uhost-a1", name: "trainer", gpu: "1× 4090", stateBefore: "Running" },
      { instanceId: "uhost-b2", stateBefore: "Starting" },
    ]);
    expect(op.steps.map((s) => [s.position, s.instanceId, s.action.kind, s.status])).toEqual([
      [0, "uhost-a1", "stop", "pending"],
      [1, "uhost-a1", "wait-for-state", "pending"],
      [2, "uhost-a1", "reinstall", "pending"],
      [3, "uhost-a1", "wait-for-state", "pending"],
      [4, "uhost-a1", "start", "pending"],
      [5, "uhost-a1", "wait-for-state", "pending"],
      [6, "uhost-b2", "stop", "pending"],
      [7, "uhost-b2", "wait-for-state", "pending"],
      [8, "uhost-b2", "reinstall", "pending"],
      [9, "uhost-b2", "wait-for-state", "pending"],
      [10, "uhost-b2", "start", "pending"],
      [11, "uhost-b2", "wait-for-state", "pending"],
    ]);
    expect(op.steps[3]?.action).toEqual({ kind: "wait-for-state", state: "Stopped", imageId: IMAGE });
    expect(await store.operations.get(op.id)).toEqual(op);
  });

  it("refuses a request with no instance, more than 20, or a reason over 3000 characters, writing nothing", async () => {
    const { store, url } = await open();
    const many = Array.from({ length: 21 }, (_, i) => ({ instanceId: `uhost-${i}` }));
    await expect(store.operations.create(newOperation({ targets: [] }))).rejects.toBeInstanceOf(InvalidStoreInputError);
    await expect(store.operations.create(newOperation({ targets: many }))).rejects.toBeInstanceOf(
      InvalidStoreInputError,
    );
    await expect(store.operations.create(newOperation({ reason: "x".repeat(3001) }))).rejects.toBeInstanceOf(
      InvalidStoreInputError,
    );
    await expect(store.operations.create(newOperation({ ttlMs: 0 }))).rejects.toBeInstanceOf(InvalidStoreInputError);
    expect(await rawQuery(url, "SELECT id FROM operation_requests")).toEqual([]);
  });

  it("moves a request by compare-and-set, stamps the decision and the finish, and skips an unrun plan", async () => {
    const { store } = await open();
    const op = await store.operations.create(newOperation());
    clock.advance(MINUTE);
    const rejected = await store.operations.transition(op.id, "pending", "rejected", {
      decidedBy: "U_BOSS",
      note: "not now",
    });
    expect(rejected).toMatchObject({
      ok: true,
      operation: {
        status: "rejected",
        decidedBy: "U_BOSS",
        decidedAt: clock.now(),
        note: "not now",
        finishedAt: clock.now(),
      },
    });
    if (!rejected.ok) throw new Error("unreachable");
    expect(new Set(rejected.operation.steps.map((s) => s.status))).toEqual(new Set(["skipped"]));
    const late = await store.operations.transition(op.id, "pending", "approved", { decidedBy: "U_OTHER" });
    expect(late).toMatchObject({ ok: false, current: { status: "rejected", decidedBy: "U_BOSS" } });
  });

  it("refuses moves outside the graph, and a decision without a decider", async () => {
    const { store } = await open();
    const op = await store.operations.create(newOperation());
    await expect(store.operations.transition(op.id, "pending", "executing")).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    await expect(store.operations.transition(op.id, "pending", "approved")).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    await expect(store.operations.transition(op.id, "succeeded", "executing")).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    expect((await store.operations.get(op.id))?.status).toBe("pending");
  });

  it("lets an unknown request go back to executing (check again), clearing its finish", async () => {
    const { store } = await open();
    const op = await store.operations.create(newOperation());
    await store.operations.transition(op.id, "pending", "approved", { decidedBy: "U_BOSS" });
    await store.operations.transition(op.id, "approved", "executing");
    const unknown = await store.operations.transition(op.id, "executing", "unknown");
    expect(unknown).toMatchObject({ ok: true, operation: { finishedAt: clock.now() } });
    const again = await store.operations.transition(op.id, "unknown", "executing");
    expect(again.ok && again.operation.finishedAt).toBeUndefined();
  });

  it("lists a requester's requests newest first, filtered by status", async () => {
    const { store } = await open();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await store.operations.create(newOperation())).id);
      clock.advance(MINUTE);
    }
    await store.operations.create(newOperation({ requesterId: "U_OTHER" }));
    await store.operations.create(newOperation({ teamId: "T0002" }));
    await store.operations.transition(ids[1] as string, "pending", "cancelled", { decidedBy: "U_REQ" });
    const list = (opts?: Parameters<Store["operations"]["listForRequester"]>[2]) =>
      store.operations.listForRequester(T1, "U_REQ", opts).then((all) => all.map((r) => r.id));
    expect(await list()).toEqual([...ids].reverse());
    expect(await list({ statuses: ["pending"] })).toEqual([ids[3], ids[2], ids[0]]);
    expect(await list({ statuses: ["cancelled", "rejected"] })).toEqual([ids[1]]);
    expect(await list({ statuses: [] })).toEqual([]);
    expect(await list({ limit: 2 })).toEqual([ids[3], ids[2]]);
    const [newest] = await store.operations.listForRequester(T1, "U_REQ", { limit: 1 });
    expect(newest?.steps).toHaveLength(12);
    expect(newest?.targets).toHaveLength(2);
  });

  it("lists what an approver may decide: pending, unexpired, this team, oldest first", async () => {
    const { store } = await open();
    const old = await store.operations.create(newOperation({ ttlMs: HOUR }));
    clock.advance(MINUTE);
    const mine = await store.operations.create(newOperation({ requesterId: "APPROVER" }));
    clock.advance(MINUTE);
    const newer = await store.operations.create(newOperation({ ttlMs: 3 * HOUR }));
    const decided = await store.operations.create(newOperation());
    await store.operations.transition(decided.id, "pending", "rejected", { decidedBy: "APPROVER" });
    await store.operations.create(newOperation({ teamId: "T0002" }));
    const ids = async (opts?: { excludeRequester?: string; limit?: number }) =>
      (await store.operations.listPending(T1, opts)).map((r) => r.id);
    expect(await ids()).toEqual([old.id, mine.id, newer.id]);
    expect(await ids({ excludeRequester: "APPROVER" })).toEqual([old.id, newer.id]);
    expect(await ids({ limit: 1 })).toEqual([old.id]);
    clock.advance(HOUR);
    expect(await ids()).toEqual([mine.id, newer.id]);
  });

  it("lists finished requests newest first, by requester or decider", async () => {
    const { store } = await open();
    const decide = async (requester: string, to: "rejected" | "cancelled" | "approved", decider: string) => {
      const r = await store.operations.create(newOperation({ requesterId: requester }));
      clock.advance(MINUTE);
      await store.operations.transition(r.id, "pending", to, { decidedBy: decider });
      return r.id;
    };
    const rejected = await decide("U1", "rejected", "BOSS");
    const cancelled = await decide("U2", "cancelled", "U2");
    const approved = await decide("U1", "approved", "BOSS");
    await store.operations.transition(approved, "approved", "executing");
    await store.operations.transition(approved, "executing", "succeeded");
    const stillRunning = await decide("U3", "approved", "BOSS");
    const ids = async (opts?: { involving?: string; limit?: number }) =>
      (await store.operations.listRecent(T1, opts)).map((r) => r.id);
    expect(await ids()).toEqual([approved, cancelled, rejected]);
    expect(await ids({ involving: "U1" })).toEqual([approved, rejected]);
    expect(await ids({ involving: "BOSS" })).toEqual([approved, rejected]);
    expect(await ids({ involving: "U2" })).toEqual([cancelled]);
    expect(await ids({ limit: 1 })).toEqual([approved]);
    expect(await ids({ involving: "BOSS", limit: 1 })).toEqual([approved]);
    expect(await ids()).not.toContain(stillRunning);
    expect(await store.operations.listRecent("T0002")).toEqual([]);
  });

  it("remembers where the card was posted", async () => {
    const { store } = await open();
    const r = await store.operations.create(newOperation());
    await store.operations.setMessage(r.id, "C0APPROVALS", "1712345678.000100");
    expect(await store.operations.get(r.id)).toMatchObject({
      channelId: "C0APPROVALS",
      messageTs: "1712345678.000100",
    });
    await expect(store.operations.setMessage("req_aaaaaaaaaaaaaaaa", "C1", "1.2")).rejects.toBeInstanceOf(
      ApprovalNotFoundError,
    );
    expect(await store.operations.get("req_aaaaaaaaaaaaaaaa")).toBeUndefined();
  });

  it("lets exactly one of 200 concurrent approvals win across two store instances, and says who won", async () => {
    const { store: a, url } = await open();
    const { store: b } = await open(url);
    const r = await a.operations.create(newOperation());
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? a : b).operations.transition(r.id, "pending", "approved", { decidedBy: `B${i}` }),
      ),
    );
    const winners = results.filter((x) => x.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.ok ? winners[0].operation.decidedBy : undefined;
    for (const loser of results.filter((x) => !x.ok)) {
      expect(loser).toEqual({ ok: false, current: expect.objectContaining({ status: "approved", decidedBy: winner }) });
    }
  });

  it("expires what is due, at most a batch at a time, and no decision lands after the deadline", async () => {
    const { store } = await open();
    const due = await Promise.all([1, 2, 3].map(() => store.operations.create(newOperation({ ttlMs: HOUR }))));
    const later = await store.operations.create(newOperation({ ttlMs: 3 * HOUR }));
    clock.advance(HOUR);
    expect(
      await store.operations.transition(due[0]?.id ?? "", "pending", "approved", { decidedBy: "U_BOSS" }),
    ).toMatchObject({ ok: false });
    const first = await store.operations.expireDue(2);
    const second = await store.operations.expireDue(2);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect(await store.operations.expireDue(2)).toEqual([]);
    expect([...first, ...second].map((o) => o.id).sort()).toEqual(due.map((o) => o.id).sort());
    for (const o of first) {
      expect(o.status).toBe("expired");
      expect(new Set(o.steps.map((s) => s.status))).toEqual(new Set(["skipped"]));
    }
    expect((await store.operations.get(later.id))?.status).toBe("pending");
  });

  describe("steps", () => {
    async function executing(store: Store, overrides: Partial<NewOperationRecord> = {}) {
      const op = await store.operations.create(newOperation(overrides));
      await store.operations.transition(op.id, "pending", "approved", { decidedBy: "U_BOSS" });
      await store.operations.transition(op.id, "approved", "executing");
      return op;
    }

    it("claims a step once, only after the instance's earlier steps are done, each instance on its own", async () => {
      const { store } = await open();
      const op = await executing(store);
      expect(await store.operations.claimStep(op.id, 1, claimFor("A"))).toBeUndefined();
      const claimed = await store.operations.claimStep(op.id, 0, claimFor("A"));
      expect(claimed).toMatchObject({ status: "running", startedAt: clock.now(), sent: false });
      expect(await store.operations.claimStep(op.id, 0, claimFor("B"))).toBeUndefined();
      // The second instance does not wait for the first.
      expect(await store.operations.claimStep(op.id, 6, claimFor("B"))).toMatchObject({ status: "running" });
      clock.advance(1000);
      const done = await store.operations.finishStep(op.id, 0, "A", "done", { apiRequestId: "api-1" });
      expect(done).toMatchObject({ status: "done", finishedAt: clock.now(), result: { apiRequestId: "api-1" } });
      expect(await store.operations.claimStep(op.id, 1, claimFor("A"))).toMatchObject({ status: "running" });
    });

    it("lets another owner take a running step over only once its claim has lapsed; the old owner is then shut out", async () => {
      const { store } = await open();
      const op = await executing(store);
      await store.operations.claimStep(op.id, 0, claimFor("A", MINUTE));
      expect(await store.operations.markSent(op.id, 0, "A", true)).toBe(true);
      clock.advance(30_000);
      expect(await store.operations.claimStep(op.id, 0, claimFor("B"))).toBeUndefined();
      expect(await store.operations.renewClaim(op.id, 0, claimFor("A", MINUTE))).toBe(true);
      clock.advance(61_000);
      const taken = await store.operations.claimStep(op.id, 0, claimFor("B"));
      // What A sent is still recorded as sent: B must reconcile it, not send again.
      expect(taken).toMatchObject({ status: "running", sent: true });
      expect(await store.operations.markSent(op.id, 0, "A", true)).toBe(false);
      expect(await store.operations.renewClaim(op.id, 0, claimFor("A"))).toBe(false);
      expect(await store.operations.finishStep(op.id, 0, "A", "done", {})).toBeUndefined();
      expect(await store.operations.finishStep(op.id, 0, "B", "done", {})).toMatchObject({ status: "done" });
    });

    it("takes over a held claim when told every claim has lapsed (one process owns a SQLite file)", async () => {
      const { store } = await open();
      const op = await executing(store);
      await store.operations.claimStep(op.id, 0, claimFor("dead-process", HOUR));
      const forever = new Date("9999-12-31T00:00:00.000Z");
      expect(await store.operations.claimStep(op.id, 0, claimFor("B"), forever)).toMatchObject({ status: "running" });
    });

    it("counts a definite refusal as an attempt and clears the sent mark", async () => {
      const { store } = await open();
      const op = await executing(store);
      await store.operations.claimStep(op.id, 0, claimFor("A"));
      await store.operations.markSent(op.id, 0, "A", true);
      await store.operations.markSent(op.id, 0, "A", false);
      const step = (await store.operations.get(op.id))?.steps[0];
      expect(step).toMatchObject({ sent: false, attempts: 1 });
    });

    it("skips the rest of one instance's plan, leaving the other instance's alone", async () => {
      const { store } = await open();
      const op = await executing(store);
      await store.operations.claimStep(op.id, 0, claimFor("A"));
      await store.operations.finishStep(op.id, 0, "A", "failed", {
        problem: { code: "refused", retCode: 226603, message: "gpu type" },
      });
      const skipped = await store.operations.skipRest(op.id, "uhost-a1", 0);
      expect(skipped.map((s) => s.position)).toEqual([1, 2, 3, 4, 5]);
      const after = await store.operations.get(op.id);
      expect(after?.steps.filter((s) => s.instanceId === "uhost-b2").every((s) => s.status === "pending")).toBe(true);
      expect(after?.steps[0]?.result?.problem).toEqual({ code: "refused", retCode: 226603, message: "gpu type" });
    });

    it("settles an unknown step once evidence comes, and only an unknown one", async () => {
      const { store } = await open();
      const op = await executing(store);
      await store.operations.claimStep(op.id, 0, claimFor("A"));
      await store.operations.finishStep(op.id, 0, "A", "unknown", { problem: { code: "no_evidence" } });
      const settled = await store.operations.settleUnknownStep(op.id, 0, "done", {
        observedState: "Stopped",
        reconciled: true,
      });
      expect(settled).toMatchObject({ status: "done", result: { observedState: "Stopped", reconciled: true } });
      expect(await store.operations.settleUnknownStep(op.id, 0, "failed", {})).toBeUndefined();
    });

    it("lists plans nobody drives: unclaimed or lapsed, not live claims nor finished requests", async () => {
      const { store } = await open();
      const live = await executing(store);
      const lapsed = await executing(store);
      const fresh = await executing(store);
      const pending = await store.operations.create(newOperation());
      await store.operations.claimStep(live.id, 0, claimFor("A", 10 * MINUTE));
      await store.operations.claimStep(lapsed.id, 0, claimFor("A", MINUTE));
      clock.advance(2 * MINUTE);
      const resumable = await store.operations.listResumable(10);
      expect(resumable.sort()).toEqual([lapsed.id, fresh.id].sort());
      expect(resumable).not.toContain(pending.id);
    });

    it("lets exactly one of 200 concurrent claims win, across two store instances", async () => {
      const { store: a, url } = await open();
      const { store: b } = await open(url);
      const op = await executing(a);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).operations.claimStep(op.id, 0, claimFor(`owner-${i}`))),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });
  });

  it("purges finished requests past retention with their plans, and keeps the audit log", async () => {
    const { store, url } = await open();
    const old = await store.operations.create(newOperation());
    await store.operations.transition(old.id, "pending", "cancelled", { decidedBy: "U_REQ" });
    await store.audit.append({ teamId: T1, actorId: "U_REQ", action: "reinstall.cancel", result: "cancelled" });
    clock.advance(10 * HOUR);
    const recent = await store.operations.create(newOperation());
    await store.operations.transition(recent.id, "pending", "cancelled", { decidedBy: "U_REQ" });
    const open_ = await store.operations.create(newOperation());
    clock.advance(HOUR);
    expect(await store.operations.purgeFinished(new Date(clock.now().getTime() - 5 * HOUR), 100)).toBe(1);
    expect(await store.operations.get(old.id)).toBeUndefined();
    expect(await store.operations.get(recent.id)).toBeDefined();
    expect(await store.operations.get(open_.id)).toBeDefined();
    expect(await rawQuery(url, "SELECT 1 FROM operation_steps WHERE request_id = ?", [old.id])).toEqual([]);
    expect(await rawQuery(url, "SELECT 1 FROM operation_targets WHERE request_id = ?", [old.id])).toEqual([]);
    expect(await store.audit.query({ teamId: T1 })).toHaveLength(1);
  });

  it("reads what the sweep needs through an index, not a scan of every team's requests", async () => {
    const { url } = await open();
    const plans = await explain(url, [
      [
        "SELECT id FROM operation_requests WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT 10",
        [clock.now().toISOString()],
      ],
      ["SELECT id FROM operation_requests WHERE status IN ('approved', 'executing') ORDER BY seq LIMIT 10", []],
      [
        "SELECT id FROM operation_requests WHERE finished_at IS NOT NULL AND finished_at < ? ORDER BY finished_at LIMIT 10",
        [clock.now().toISOString()],
      ],
    ]);
    expect(plans[0]).toMatch(/operation_requests_sweep/);
    expect(plans[1]).toMatch(/operation_requests_sweep/);
    expect(plans[2]).toMatch(/operation_requests_finished/);
  });

  it("reads what the Home tab needs in index order, without sorting the team's requests (migration 6)", async () => {
    const { url } = await open();
    const leg = [T1, "U1", ...FINISHED_REQUEST_STATUSES, 5];
    const plans = await explain(url, [
      [pendingSql(target.name, true), [T1, clock.now().toISOString(), "APPROVER", 50]],
      [RECENT_INVOLVING_SQL, [...leg, ...leg, 5]],
    ]);
    expect(plans[0]).toMatch(/operation_requests_pending_age/);
    // SQLite says "USE TEMP B-TREE FOR ORDER BY", PostgreSQL "Sort": the team's pending rows are never sorted.
    expect(plans[0]).not.toMatch(/TEMP B-TREE|Sort/);
    expect(plans[1]).toMatch(/operation_requests_recent_requester/);
    expect(plans[1]).toMatch(/operation_requests_recent_decider/);
  });

  async function explain(url: string, queries: [string, (string | number)[]][]): Promise<string[]> {
    const driver = openRawDriver(url);
    try {
      return await driver.transaction(async (tx) => {
        const out: string[] = [];
        if (target.name === "postgres") await tx.query("SET LOCAL enable_seqscan = off");
        for (const [sql, params] of queries) {
          const prefix = target.name === "sqlite" ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
          const rows = await tx.query(prefix + sql, params);
          out.push(rows.map((row) => Object.values(row).join(" ")).join("\n"));
        }
        return out;
      });
    } finally {
      await driver.close();
    }
  }

  it("turns each version 1 reinstall request into a one-instance plan that keeps its status and outcome", async () => {
    const url = await target.newUrl();
    const driver = openRawDriver(url);
    const logger = memoryLogger("silent").logger;
    await migrate(driver, { now: clock.now, logger, migrations: MIGRATIONS.slice(0, 1) });
    const at = clock.now().toISOString();
    const rows: [string, string, number | null, string | null][] = [
      ["req_aaaaaaaaaaaaaaa1", "pending", null, null],
      ["req_aaaaaaaaaaaaaaa2", "executing", null, null],
      ["req_aaaaaaaaaaaaaaa3", "succeeded", null, null],
      ["req_aaaaaaaaaaaaaaa4", "failed", 226603, "image does not support"],
      ["req_aaaaaaaaaaaaaaa5", "unknown", null, "bot:no_answer"],
      ["req_aaaaaaaaaaaaaaa6", "failed", null, "bot:http:500"],
      ["req_aaaaaaaaaaaaaaa7", "cancelled", null, null],
      ["req_aaaaaaaaaaaaaaa8", "unknown", null, null],
    ];
    for (const [id, status, retCode, message] of rows) {
      await driver.query(
        `INSERT INTO approval_requests (id, team_id, requester_id, instance_id, instance_name, image_id, image_name,
           region, zone, reason, status, decided_by, decided_at, outcome_ret_code, outcome_message, outcome_request_id,
           created_at, updated_at, expires_at)
         VALUES (?, 'T0001', 'U_REQ', 'uhost-old', 'old box', 'compshareImage-v1', 'Old image', 'cn-wlcb', 'cn-wlcb-01',
           'v1 reason', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          status,
          status === "pending" ? null : "U_BOSS",
          status === "pending" ? null : at,
          retCode,
          message,
          status === "succeeded" ? "api-req-1" : null,
          at,
          at,
          at,
        ],
      );
    }
    await migrate(driver, { now: clock.now, logger });
    await driver.close();
    const { store } = await open(url);
    const read = async (id: string) => {
      const op = await store.operations.get(id);
      if (!op) throw new Error(`${id} was not migrated`);
      return op;
    };
    const pending = await read("req_aaaaaaaaaaaaaaa1");
    expect(pending).toMatchObject({ kind: "reinstall", status: "pending", reason: "v1 reason" });
    expect(pending.keyFingerprint).toBeUndefined();
    expect(pending.targets).toEqual([{ instanceId: "uhost-old", name: "old box" }]);
    expect(pending.steps).toMatchObject([
      {
        position: 0,
        instanceId: "uhost-old",
        status: "pending",
        action: { kind: "reinstall", imageId: "compshareImage-v1", imageName: "Old image" },
      },
    ]);
    // A v1 call in flight is reconciled by the engine, never resent.
    expect((await read("req_aaaaaaaaaaaaaaa2")).steps[0]).toMatchObject({ status: "running", sent: true });
    expect((await read("req_aaaaaaaaaaaaaaa3")).steps[0]).toMatchObject({
      status: "done",
      result: { apiRequestId: "api-req-1" },
    });
    expect((await read("req_aaaaaaaaaaaaaaa3")).finishedAt).toEqual(clock.now());
    expect((await read("req_aaaaaaaaaaaaaaa4")).steps[0]?.result).toEqual({
      problem: { code: "refused", retCode: 226603, message: "image does not support" },
    });
    expect((await read("req_aaaaaaaaaaaaaaa5")).steps[0]?.result).toEqual({ problem: { code: "no_evidence" } });
    expect((await read("req_aaaaaaaaaaaaaaa6")).steps[0]?.result).toEqual({ problem: { code: "http", status: 500 } });
    expect((await read("req_aaaaaaaaaaaaaaa7")).steps[0]?.status).toBe("skipped");
    expect((await read("req_aaaaaaaaaaaaaaa8")).steps[0]?.result).toEqual({ problem: { code: "no_evidence" } });
    // The version 1 table is gone: nothing can write to it and be forgotten.
    await expect(rawQuery(url, "SELECT 1 FROM approval_requests")).rejects.toThrow();
  });
});
