import { describe, expect, it } from "vitest";
import type { CompShareClient } from "../../src/compshare/client.ts";
import { CompShareOutcomeUnknownError, CompShareTimeoutError } from "../../src/compshare/errors.ts";
import { instanceOutcomes } from "../../src/domain/operations/index.ts";
import { storeTargets } from "../store/harness.ts";
import { APPROVER, approveAndSettle, approver, REQUESTER, stepStatuses, TEAM, worldsOn } from "./engine-world.ts";

/** The engine against the simulator over real HTTP, on both stores, with one injected clock. */

const targets = await storeTargets("test/domain/operations-engine.test.ts");

describe.each(targets)("operations engine on $name", ({ make }) => {
  const { fresh } = worldsOn(make);

  it("reinstalls a Running instance: stop, wait for Stopped, reinstall, wait for it to land, start, wait for Running — each write once", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const image = w.image();
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId, stateBefore: "Running" }],
        options: { image: { id: image }, stopFirst: true, startAfter: true },
      }),
    );
    expect(op.status).toBe("pending");
    expect(w.mutations(instance.UHostId)).toEqual([]);

    const done = await approveAndSettle(handle, op);

    expect(done.status).toBe("succeeded");
    expect(stepStatuses(done)).toEqual([
      "stop:done",
      "wait-for-state:done",
      "reinstall:done",
      "wait-for-state:done",
      "start:done",
      "wait-for-state:done",
    ]);
    // The simulator refuses a reinstall unless Stopped and a start while the reinstall runs, so
    // one accepted call each, in this order, is the order the plan promises.
    expect(w.mutations(instance.UHostId)).toEqual(["Stop", "Reinstall", "Start"]);
    expect(w.accepted(instance.UHostId, "ReinstallCompShareInstance")).toBe(1);
    const reinstallAt = w.sim.requests.findIndex((r) => r.action === "ReinstallCompShareInstance");
    const describesBefore = w.sim.requests
      .slice(0, reinstallAt)
      .filter((r) => r.action === "DescribeCompShareInstance");
    expect(describesBefore.length).toBeGreaterThan(0);
    expect(w.sim.state.getInstance(instance.UHostId)).toMatchObject({ State: "Running", CompShareImageId: image });
    expect(instanceOutcomes(done)).toEqual([
      expect.objectContaining({ instanceId: instance.UHostId, status: "done", finalState: "Running", imageId: image }),
    ]);

    const kinds = handle.events.map((e) => e.type);
    expect(kinds.filter((k) => k === "plan-finished")).toHaveLength(1);
    expect(kinds.filter((k) => k === "step-changed").length).toBeGreaterThanOrEqual(12);
    const audit = await w.store.audit.query({ teamId: TEAM });
    expect(audit.map((a) => `${a.action}:${a.result}`)).toEqual(
      expect.arrayContaining([
        "reinstall.request:pending",
        "reinstall.approve:approved",
        "reinstall.execute:succeeded",
      ]),
    );
    expect(audit.filter((a) => a.action === "reinstall.step")).toHaveLength(6);
  });

  it("keeps a copy of the system disk first when asked, and names the image it made", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Stopped" });
    const image = w.image();
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId }],
        options: { image: { id: image }, snapshotName: "before-cuda12" },
      }),
    );
    const done = await approveAndSettle(handle, op);
    expect(done.status).toBe("succeeded");
    expect(stepStatuses(done)).toEqual(["snapshot:done", "reinstall:done", "wait-for-state:done"]);
    expect(w.mutations(instance.UHostId)).toEqual(["Create", "Reinstall"]);
    const [outcome] = instanceOutcomes(done);
    const copy = w.sim.state.listCustomImages(w.sim.demoAccount.accountId).find((i) => i.Name === "before-cuda12");
    expect(copy?.Status).toBe("Available");
    expect(outcome?.snapshotImageId).toBe(copy?.CompShareImageId);
    expect(w.sim.requests.some((r) => r.action === "GetCompShareImageCreateProgress")).toBe(true);
  });

  it("waits out InstanceOperationInProgress and sends again, within the step's deadline", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    // Another operation holds the instance's lock for the next 30 s (simulated).
    w.sim.state.startOperation(instance.UHostId, "createImage");
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }], approval: "none" }),
    );
    await handle.engine.idle();
    const done = await handle.engine.get(TEAM, op.id);
    expect(done?.status).toBe("succeeded");
    const stops = w.sim.requests.filter((r) => r.action === "StopCompShareInstance");
    expect(stops.length).toBeGreaterThan(1);
    expect(stops.slice(0, -1).every((r) => r.retCode !== 0)).toBe(true);
    expect(w.accepted(instance.UHostId, "StopCompShareInstance")).toBe(1);
    expect(done?.steps[0]?.attempts).toBe(stops.length - 1);
  });

  it("stops the plan on RetCode 226603: the reinstall is not retried, the start never sent, the rest skipped", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const image = w.image({ SupportedGpuTypes: ["A100"] });
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId }],
        options: { image: { id: image }, stopFirst: true, startAfter: true },
      }),
    );
    const done = await approveAndSettle(handle, op);
    expect(done.status).toBe("failed");
    expect(stepStatuses(done)).toEqual([
      "stop:done",
      "wait-for-state:done",
      "reinstall:failed",
      "wait-for-state:skipped",
      "start:skipped",
      "wait-for-state:skipped",
    ]);
    expect(done.steps[2]?.result?.problem).toMatchObject({ code: "refused", retCode: 226603 });
    expect(w.mutations(instance.UHostId)).toEqual(["Stop", "Reinstall"]);
    expect(instanceOutcomes(done)[0]).toMatchObject({ status: "failed", problem: { retCode: 226603 } });
  });

  it("fails clearly when the instance is deleted mid-plan, and sends nothing more", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const image = w.image();
    w.sim.faults.inject({ kind: "deleteInstance" }, { actions: ["StopCompShareInstance"], times: 1 });
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId }],
        options: { image: { id: image }, stopFirst: true, startAfter: true },
      }),
    );
    const done = await approveAndSettle(handle, op);
    expect(done.status).toBe("failed");
    expect(stepStatuses(done).slice(0, 3)).toEqual(["stop:done", "wait-for-state:failed", "reinstall:skipped"]);
    expect(done.steps[1]?.result?.problem).toEqual({ code: "instance_gone" });
    expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);
  });

  it("fails when the reinstall lands in Install Fail, and does not start the instance", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Stopped" });
    w.sim.faults.inject({ kind: "installFail" }, { actions: ["ReinstallCompShareInstance"], times: 1 });
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId }],
        options: { image: { id: w.image() }, startAfter: true },
      }),
    );
    const done = await approveAndSettle(handle, op);
    expect(done.status).toBe("failed");
    expect(stepStatuses(done)).toEqual([
      "reinstall:done",
      "wait-for-state:failed",
      "start:skipped",
      "wait-for-state:skipped",
    ]);
    expect(done.steps[1]?.result?.problem).toEqual({ code: "instance_failed", state: "Install Fail" });
    expect(w.mutations(instance.UHostId)).toEqual(["Reinstall"]);
  });

  it("reboots through the same engine: the write, then a wait for Running", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({ kind: "reboot", targets: [{ instanceId: instance.UHostId }], approval: "none" }),
    );
    expect(op.status).toBe("approved");
    await handle.engine.idle();
    const done = await handle.engine.get(TEAM, op.id);
    expect(done?.status).toBe("succeeded");
    expect(stepStatuses(done ?? op)).toEqual(["reboot:done", "wait-for-state:done"]);
    expect(w.mutations(instance.UHostId)).toEqual(["Reboot"]);
    const audit = await w.store.audit.query({ teamId: TEAM });
    expect(audit.find((a) => a.action === "reboot.approve")).toMatchObject({ actorId: REQUESTER, result: "approved" });
  });

  it("fails a wait that outlasts its deadline, saying what it waited for and what it saw", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    // The simulator's stop takes 30 s; this wait gives up after 10.
    const handle = await w.engine({ deadlines: { "wait-for-state": 10_000 } });
    const op = await handle.engine.request(
      w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }], approval: "none" }),
    );
    await handle.engine.idle();
    const timedOut = await handle.engine.get(TEAM, op.id);
    expect(timedOut?.status).toBe("failed");
    expect(timedOut?.steps[1]?.result?.problem).toEqual({
      code: "timed_out",
      wanted: "Stopped",
      lastState: "Stopping",
    });
    expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);
  });

  it("settles a write whose answer was lost from the instance's state, without sending it again", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Stopped" });
    const image = w.image();
    const handle = await w.engine({
      wrapClient: (client) => ({
        ...client,
        async reinstallInstance(req, opts) {
          const answer = await client.reinstallInstance(req, opts);
          throw new CompShareOutcomeUnknownError(
            new CompShareTimeoutError("headers", {
              action: "ReinstallCompShareInstance",
              requestSent: true,
              requestId: answer.requestId,
            }),
          );
        },
      }),
    });
    const op = await handle.engine.request(
      w.request({ targets: [{ instanceId: instance.UHostId }], options: { image: { id: image } } }),
    );
    const done = await approveAndSettle(handle, op);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({ status: "done", result: { reconciled: true, observedImageId: image } });
    expect(w.mutations(instance.UHostId)).toEqual(["Reinstall"]);
  });

  it("does not call a lost reinstall done because the instance already had that image", async () => {
    const w = await fresh();
    const image = w.image();
    const instance = w.instance({ State: "Stopped", CompShareImageId: image });
    const lose = (client: CompShareClient, send: boolean): CompShareClient => ({
      ...client,
      async reinstallInstance(req, opts) {
        if (send) await client.reinstallInstance(req, opts);
        throw new CompShareOutcomeUnknownError(
          new CompShareTimeoutError("headers", { action: "ReinstallCompShareInstance", requestSent: true }),
        );
      },
    });
    const target = [{ instanceId: instance.UHostId, imageBeforeId: image }];
    // Never reached CompShare: the instance shows the image it always had, which proves nothing.
    const lost = await w.engine({ wrapClient: (client) => lose(client, false), deadlines: { reinstall: 60_000 } });
    const op = await lost.engine.request(w.request({ targets: target, options: { image: { id: image } } }));
    expect((await approveAndSettle(lost, op)).steps[0]).toMatchObject({
      status: "unknown",
      result: { problem: { code: "no_evidence" } },
    });
    // Sent and acted on: it is seen reinstalling, then settled.
    const acted = await w.engine({ wrapClient: (client) => lose(client, true) });
    const op2 = await acted.engine.request(w.request({ targets: target, options: { image: { id: image } } }));
    const done = await approveAndSettle(acted, op2);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({ status: "done", result: { reconciled: true } });
    expect(w.mutations(instance.UHostId)).toEqual(["Reinstall"]);
  });

  it("treats an HTTP error after a write as unknown, never resends, and carries on when Check again finds the evidence", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const image = w.image();
    // CompShare answers 503 and (as far as anyone can tell) did nothing.
    w.sim.faults.inject({ kind: "http", status: 503 }, { actions: ["StopCompShareInstance"], times: 1 });
    const handle = await w.engine({ deadlines: { stop: 60_000 } });
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId }],
        options: { image: { id: image }, stopFirst: true },
      }),
    );
    const unknown = await approveAndSettle(handle, op);
    expect(unknown.status).toBe("unknown");
    expect(stepStatuses(unknown)).toEqual([
      "stop:unknown",
      "wait-for-state:pending",
      "reinstall:pending",
      "wait-for-state:pending",
    ]);
    expect(unknown.steps[0]?.result?.problem).toEqual({ code: "no_evidence", lastState: "Running" });
    expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);

    // Nothing new yet: still unknown, still not resent.
    const first = await handle.engine.checkAgain(op.id, approver);
    expect(first).toMatchObject({ kind: "checked", operation: { status: "unknown" } });
    expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);

    // The stop did happen after all (someone's console, or CompShare's late action).
    w.sim.state.setInstanceState(instance.UHostId, "Stopped");
    const second = await handle.engine.checkAgain(op.id, approver);
    expect(second.kind).toBe("checked");
    await handle.engine.idle();
    const done = await handle.engine.get(TEAM, op.id);
    expect(done?.status).toBe("succeeded");
    expect(done?.steps[0]).toMatchObject({ status: "done", result: { reconciled: true } });
    expect(w.mutations(instance.UHostId)).toEqual(["Stop", "Reinstall"]);
    const audit = await w.store.audit.query({ teamId: TEAM });
    expect(audit.filter((a) => a.action === "reinstall.check").map((a) => a.result)).toEqual(["done", "unknown"]);
  });

  it("lets only approvers and the requester check again", async () => {
    const w = await fresh();
    const handle = await w.engine();
    const instance = w.instance();
    const op = await handle.engine.request(w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }] }));
    expect(
      await handle.engine.checkAgain(op.id, { teamId: TEAM, userId: "U_STRANGER", check: "not_approver" }),
    ).toMatchObject({ kind: "refused", reason: "not_approver" });
    expect(
      await handle.engine.checkAgain(op.id, { teamId: TEAM, userId: REQUESTER, check: "not_approver" }),
    ).toMatchObject({ kind: "nothing_unknown" });
  });

  it("carries on when a listener throws (a card that cannot be edited does not stop a plan)", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const handle = await w.engine();
    handle.engine.subscribe(() => {
      throw new Error("message_not_found");
    });
    const op = await handle.engine.request(
      w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }], approval: "none" }),
    );
    await handle.engine.idle();
    expect((await handle.engine.get(TEAM, op.id))?.status).toBe("succeeded");
    expect(handle.log.text()).toContain("an operation listener failed");
  });

  it("sends nothing more once the requester's keys are removed mid-plan", async () => {
    const w = await fresh();
    const instance = w.instance({ State: "Running" });
    const handle = await w.engine();
    handle.engine.subscribe(async (event) => {
      if (event.type === "step-changed" && event.step.position === 0 && event.step.status === "done") {
        await w.store.credentials.delete(TEAM, REQUESTER);
      }
    });
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId }],
        options: { image: { id: w.image() }, stopFirst: true, startAfter: true },
      }),
    );
    const done = await approveAndSettle(handle, op);
    expect(done.status).toBe("failed");
    expect(done.steps.find((s) => s.status === "failed")?.result?.problem).toEqual({ code: "keys_removed" });
    expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);
  });

  it("runs several instances in one request, approved once, each with its own outcome", async () => {
    const w = await fresh();
    const good = w.instance({ State: "Running" });
    const other = w.instance({ State: "Stopped", GpuType: "H20" });
    const image = w.image();
    const handle = await w.engine();
    const op = await handle.engine.request(
      w.request({
        targets: [{ instanceId: good.UHostId }, { instanceId: other.UHostId }],
        options: { image: { id: image }, stopFirst: true, startAfter: true },
      }),
    );
    const done = await approveAndSettle(handle, op);
    expect(done.status).toBe("failed");
    const outcomes = instanceOutcomes(done);
    expect(outcomes[0]).toMatchObject({ instanceId: good.UHostId, status: "done", finalState: "Running" });
    // The H20 instance was already Stopped: its stop is refused, so nothing more is sent to it.
    expect(outcomes[1]).toMatchObject({ instanceId: other.UHostId, status: "failed" });
    expect(w.mutations(good.UHostId)).toEqual(["Stop", "Reinstall", "Start"]);
    expect(w.mutations(other.UHostId)).toEqual(["Stop"]);
  });

  describe("approval", () => {
    it("refuses when the requester's public key changed since the request was checked, and closes it", async () => {
      const w = await fresh();
      const instance = w.instance();
      const handle = await w.engine();
      const op = await handle.engine.request(
        w.request({ targets: [{ instanceId: instance.UHostId }], options: { image: { id: w.image() } } }),
      );
      const other = w.sim.addAccount();
      await w.store.credentials.upsert({
        teamId: TEAM,
        userId: REQUESTER,
        publicKey: other.publicKey,
        privateKey: other.privateKey,
        region: "cn-wlcb",
        zone: "cn-wlcb-01",
      });
      const result = await handle.engine.approve(op.id, approver);
      expect(result).toMatchObject({
        kind: "refused",
        reason: "keys_changed",
        operation: { status: "cancelled", note: "bot:keys_changed" },
      });
      await handle.engine.idle();
      expect(w.mutations(instance.UHostId)).toEqual([]);
      const audit = await w.store.audit.query({ teamId: TEAM });
      expect(audit.map((a) => `${a.action}:${a.actorId}:${a.result}`)).toContain(
        `reinstall.approve:${APPROVER}:refused:keys_changed`,
      );
      expect(handle.events.at(-1)).toMatchObject({ type: "request-moved", cause: "keys_changed" });
    });

    it("refuses when the requester's keys are gone", async () => {
      const w = await fresh();
      const handle = await w.engine();
      const op = await handle.engine.request(
        w.request({ targets: [{ instanceId: w.instance().UHostId }], options: { image: { id: w.image() } } }),
      );
      await w.store.credentials.delete(TEAM, REQUESTER);
      expect(await handle.engine.approve(op.id, approver)).toMatchObject({
        kind: "refused",
        reason: "keys_removed",
        operation: { status: "cancelled", note: "bot:keys_removed" },
      });
    });

    it("refuses non-approvers and self-approval, and audits the refusal", async () => {
      const w = await fresh();
      const handle = await w.engine();
      const op = await handle.engine.request(
        w.request({ targets: [{ instanceId: w.instance().UHostId }], options: { image: { id: w.image() } } }),
      );
      expect(await handle.engine.approve(op.id, { teamId: TEAM, userId: "U_X", check: "not_approver" })).toMatchObject({
        kind: "refused",
        reason: "not_approver",
      });
      expect(await handle.engine.approve(op.id, { teamId: TEAM, userId: REQUESTER, check: "approver" })).toMatchObject({
        kind: "refused",
        reason: "own_request",
      });
      expect(await handle.engine.approve(op.id, { teamId: "T_OTHER", userId: APPROVER, check: "approver" })).toEqual({
        kind: "late",
        operation: undefined,
      });
      expect((await handle.engine.get(TEAM, op.id))?.status).toBe("pending");
    });

    it("expires a request whose time is up when someone clicks it", async () => {
      const w = await fresh();
      const handle = await w.engine();
      const op = await handle.engine.request(
        w.request({
          targets: [{ instanceId: w.instance().UHostId }],
          options: { image: { id: w.image() } },
          ttlMs: 1000,
        }),
      );
      w.clock.advance(1000);
      expect(await handle.engine.approve(op.id, approver)).toMatchObject({
        kind: "expired",
        operation: { status: "expired" },
      });
    });

    it("cancels for the requester only, and rejects with a reason", async () => {
      const w = await fresh();
      const handle = await w.engine();
      const a = await handle.engine.request(
        w.request({ targets: [{ instanceId: w.instance().UHostId }], options: { image: { id: w.image() } } }),
      );
      const b = await handle.engine.request(
        w.request({ targets: [{ instanceId: w.instance().UHostId }], options: { image: { id: w.image() } } }),
      );
      expect(await handle.engine.cancel(TEAM, a.id, APPROVER)).toMatchObject({
        kind: "refused",
        reason: "not_requester",
      });
      expect(await handle.engine.cancel(TEAM, a.id, REQUESTER)).toMatchObject({
        kind: "done",
        operation: { status: "cancelled" },
      });
      expect(await handle.engine.reject(b.id, approver, "  not this week ")).toMatchObject({
        kind: "done",
        operation: { status: "rejected", note: "not this week", decidedBy: APPROVER },
      });
      expect(await handle.engine.approve(b.id, approver)).toMatchObject({
        kind: "late",
        operation: { status: "rejected" },
      });
    });

    it("turns 200 concurrent approvals into one execution", async () => {
      const w = await fresh();
      const instance = w.instance({ State: "Running" });
      const replicas =
        w.store.driver === "postgres"
          ? [await w.engine(), await w.engine({ store: await w.openStore() })]
          : [await w.engine()];
      const op = await replicas[0]?.engine.request(
        w.request({ kind: "stop", targets: [{ instanceId: instance.UHostId }] }),
      );
      if (!op) throw new Error("no request");
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          replicas[i % replicas.length]?.engine.approve(op.id, { ...approver, userId: `U_APPROVER_${i}` }),
        ),
      );
      expect(results.filter((r) => r?.kind === "done")).toHaveLength(1);
      expect(results.filter((r) => r?.kind === "late")).toHaveLength(199);
      for (const replica of replicas) await replica.engine.idle();
      expect(w.accepted(instance.UHostId, "StopCompShareInstance")).toBe(1);
      expect(w.mutations(instance.UHostId)).toEqual(["Stop"]);
      expect((await replicas[0]?.engine.get(TEAM, op.id))?.status).toBe("succeeded");
    });
  });
});
