import { describe, expect, it } from "vitest";
import { tallyApprovals } from "../../src/domain/operations/quorum.ts";
import { storeTargets } from "../store/harness.ts";
import { approver, REQUESTER, TEAM, worldsOn } from "./engine-world.ts";

/** Quorum (issue 11 item 2): k of N distinct approvers, store-enforced, on both stores and across replicas. */

const targets = await storeTargets("test/domain/operations-quorum.test.ts");

describe("tallyApprovals", () => {
  const at = new Date(0);
  it("counts each approver once and never the requester", () => {
    const tally = tallyApprovals({
      requesterId: "U_REQ",
      approvalsRequired: 2,
      approvals: [
        { userId: "U_REQ", at },
        { userId: "U_A", at },
        { userId: "U_A", at },
      ],
    });
    expect(tally).toEqual({ counted: ["U_A"], count: 1, required: 2, reached: false });
  });
});

describe.each(targets)("quorum on $name", ({ make }) => {
  const { fresh } = worldsOn(make);

  it("starts nothing at 1 of 2, counts a second click by the same approver once, and runs at the second approver", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({ kind: "stop", approvalsRequired: 2, targets: [{ instanceId: instance.UHostId }] }),
    );
    expect(op.approvalsRequired).toBe(2);

    const first = await handle.engine.approve(op.id, { ...approver, userId: "U_ALICE" });
    expect(first).toMatchObject({ kind: "counted", operation: { status: "pending" } });
    expect(first.operation?.approvals.map((a) => a.userId)).toEqual(["U_ALICE"]);
    expect(handle.events.at(-1)).toMatchObject({ type: "request-moved", cause: "approval-counted" });

    const again = await handle.engine.approve(op.id, { ...approver, userId: "U_ALICE" });
    expect(again).toMatchObject({ kind: "duplicate", operation: { status: "pending" } });
    expect(again.operation?.approvals).toHaveLength(1);
    await handle.engine.idle();
    expect(w.mutations(instance.UHostId)).toEqual([]);

    const second = await handle.engine.approve(op.id, { ...approver, userId: "U_BOB" });
    expect(second).toMatchObject({ kind: "done", operation: { status: "approved", decidedBy: "U_BOB" } });
    await handle.engine.idle();
    expect(w.accepted(instance.UHostId, "StopCompShareInstance")).toBe(1);
    const after = await handle.engine.get(TEAM, op.id);
    expect(after?.approvals.map((a) => a.userId)).toEqual(["U_ALICE", "U_BOB"]);
    const audit = await w.store.audit.query({ teamId: TEAM, limit: 20 });
    expect(audit.map((row) => row.result)).toEqual(expect.arrayContaining(["counted:1/2", "counted:2/2", "approved"]));
  });

  it("refuses the requester's own approval when two are needed, even with self-approval allowed", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const handle = await w.engine({ allowSelfApproval: true });
    const op = await handle.engine.request(
      w.request({ kind: "stop", approvalsRequired: 2, targets: [{ instanceId: instance.UHostId }] }),
    );
    const own = await handle.engine.approve(op.id, { ...approver, userId: REQUESTER });
    expect(own).toMatchObject({ kind: "refused", reason: "requester_in_quorum" });
    expect((await handle.engine.get(TEAM, op.id))?.approvals).toEqual([]);

    // With one approval needed and self-approval allowed, the requester alone may still approve.
    const single = await handle.engine.request(
      w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }] }),
    );
    expect(await handle.engine.approve(single.id, { ...approver, userId: REQUESTER })).toMatchObject({ kind: "done" });
  });

  it("ends the quorum at any Reject: later approvals find it decided", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({ kind: "stop", approvalsRequired: 2, targets: [{ instanceId: instance.UHostId }] }),
    );
    await handle.engine.approve(op.id, { ...approver, userId: "U_ALICE" });
    expect(await handle.engine.reject(op.id, { ...approver, userId: "U_CAROL" }, "not now")).toMatchObject({
      kind: "done",
      operation: { status: "rejected" },
    });
    expect(await handle.engine.approve(op.id, { ...approver, userId: "U_BOB" })).toMatchObject({
      kind: "late",
      operation: { status: "rejected" },
    });
    await handle.engine.idle();
    expect(w.mutations(instance.UHostId)).toEqual([]);
  });

  it("turns 200 simultaneous clicks by two approvers into exactly one run (two replicas on PostgreSQL)", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const replicas =
      w.store.driver === "postgres"
        ? [await w.engine(), await w.engine({ store: await w.openStore() })]
        : [await w.engine()];
    const op = await replicas[0]?.engine.request(
      w.request({ kind: "stop", approvalsRequired: 2, targets: [{ instanceId: instance.UHostId }] }),
    );
    if (!op) throw new Error("no request");
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        replicas[i % replicas.length]?.engine.approve(op.id, {
          ...approver,
          userId: Math.floor(i / 2) % 2 === 0 ? "U_ALICE" : "U_BOB",
        }),
      ),
    );
    expect(results.filter((r) => r?.kind === "done")).toHaveLength(1);
    for (const replica of replicas) await replica.engine.idle();
    expect(w.accepted(instance.UHostId, "StopCompShareInstance")).toBe(1);
    expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);
    const after = await replicas[0]?.engine.get(TEAM, op.id);
    expect(after?.status).toBe("succeeded");
    expect(after?.approvals.map((a) => a.userId).sort()).toEqual(["U_ALICE", "U_BOB"]);
  });
});
