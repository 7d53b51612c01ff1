import { describe, expect, it } from "vitest";
import type { CompShareClient } from "../../src/compshare/client.ts";
import { migrate } from "../../src/store/migrate.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";
import type { Store } from "../../src/store/types.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import { openRawDriver, storeTargets } from "../store/harness.ts";
import { approver, type EngineHandle, REQUESTER, stepStatuses, TEAM, type World, worldsOn } from "./engine-world.ts";

/**
 * The bot dies (its store connection cut mid-flight, nothing it does afterwards reaches the
 * database) and starts again, or a second replica carries on. Either way the plan finishes and
 * no write reaches CompShare twice. On SQLite the restarted process takes over at once (one
 * process owns the file); on PostgreSQL the other replica takes over once the dead one's claim
 * has lapsed.
 */

const targets = await storeTargets("test/domain/operations-resume.test.ts");
const PLAN = ["stop", "wait-for-state", "reinstall", "wait-for-state", "start", "wait-for-state"];
const CLAIM_MS = 60_000;

describe.each(targets)("resuming plans on $name", ({ make }) => {
  const { fresh, newUrl } = worldsOn(make);

  /** Engine A on its own store, which `kill()` closes: the process is gone. */
  async function doomed(w: World, wrapClient?: (client: CompShareClient, kill: () => void) => CompShareClient) {
    const store: Store = await w.openStore();
    const kill = () => {
      void store.close();
    };
    const handle = await w.engine({
      store,
      claimMs: CLAIM_MS,
      ...(wrapClient ? { wrapClient: (client: CompShareClient) => wrapClient(client, kill) } : {}),
    });
    return { handle, kill };
  }

  /** What takes over: a restarted process (SQLite) or the other replica (PostgreSQL). */
  async function successor(w: World): Promise<EngineHandle> {
    return w.engine({ store: await w.openStore(), claimMs: CLAIM_MS });
  }

  async function takeOver(w: World, next: EngineHandle) {
    await next.engine.sweep();
    if (w.store.driver === "postgres") {
      // The dead replica's claim (if it held one) must lapse before anyone may take its step.
      w.clock.advance(CLAIM_MS + 1);
      await next.engine.sweep();
    }
    await next.engine.idle();
  }

  async function reinstallRequest(w: World, a: EngineHandle) {
    const instance = w.instance({ State: "Running" });
    const image = w.image();
    const op = await a.engine.request(
      w.request({
        targets: [{ instanceId: instance.UHostId }],
        options: { image: { id: image }, stopFirst: true, startAfter: true },
      }),
    );
    return { instance, image, op };
  }

  for (const [k, kind] of PLAN.slice(0, -1).entries()) {
    it(`finishes the plan without resending when the bot dies after step ${k + 1} (${kind})`, async () => {
      const w = await fresh();
      const { handle: a, kill } = await doomed(w);
      a.engine.subscribe((event) => {
        if (event.type === "step-changed" && event.step.position === k && event.step.status === "done") kill();
      });
      const { instance, image, op } = await reinstallRequest(w, a);
      await a.engine.approve(op.id, approver);
      await a.engine.idle();
      const stranded = await w.store.operations.get(op.id);
      expect(stranded?.status).toBe("executing");
      expect(stranded?.steps[k]?.status).toBe("done");
      expect(stranded?.steps[k + 1]?.status).toBe("pending");

      const b = await successor(w);
      await takeOver(w, b);

      const done = await b.engine.get(TEAM, op.id);
      expect(done?.status).toBe("succeeded");
      expect(stepStatuses(done ?? stranded ?? op)).toEqual(PLAN.map((p) => `${p}:done`));
      expect(w.mutations(instance.UHostId)).toEqual(["Stop", "Reinstall", "Start"]);
      expect(w.sim.state.getInstance(instance.UHostId)).toMatchObject({ State: "Running", CompShareImageId: image });
    });
  }

  it("reconciles a reinstall that was in flight when the bot died, and never sends a second one", async () => {
    const w = await fresh();
    const { handle: a } = await doomed(w, (client, kill) => ({
      ...client,
      async reinstallInstance(req, opts) {
        await client.reinstallInstance(req, opts);
        // The call went out and CompShare acted; the process dies before it hears the answer.
        kill();
        throw new Error("killed");
      },
    }));
    const { instance, op } = await reinstallRequest(w, a);
    await a.engine.approve(op.id, approver);
    await a.engine.idle();
    const stranded = await w.store.operations.get(op.id);
    expect(stranded?.steps[2]).toMatchObject({ action: { kind: "reinstall" }, status: "running", sent: true });

    const b = await successor(w);
    await takeOver(w, b);

    const done = await b.engine.get(TEAM, op.id);
    expect(done?.status).toBe("succeeded");
    expect(done?.steps[2]).toMatchObject({ status: "done", result: { reconciled: true } });
    expect(w.accepted(instance.UHostId, "ReinstallCompShareInstance")).toBe(1);
    expect(w.mutations(instance.UHostId)).toEqual(["Stop", "Reinstall", "Start"]);
    expect(b.log.text()).toMatch(/reconciling/);
  });

  it("sends a write the dead bot had claimed but not yet sent, exactly once", async () => {
    const w = await fresh();
    const { handle: a, kill } = await doomed(w);
    a.engine.subscribe((event) => {
      if (event.type === "step-changed" && event.step.position === 4 && event.step.status === "running") kill();
    });
    const { instance, op } = await reinstallRequest(w, a);
    await a.engine.approve(op.id, approver);
    await a.engine.idle();
    expect((await w.store.operations.get(op.id))?.steps[4]).toMatchObject({ status: "running", sent: false });

    const b = await successor(w);
    await takeOver(w, b);
    expect((await b.engine.get(TEAM, op.id))?.status).toBe("succeeded");
    expect(w.mutations(instance.UHostId)).toEqual(["Stop", "Reinstall", "Start"]);
  });

  it("carries on requests written by version 1: an executing one is reconciled, a pending one can be approved", async () => {
    const ids = { inFlight: "", waiting: "", image: "" };
    const url = await newUrl();
    const w = await fresh(
      {
        async beforeStoreOpens(sim, clock) {
          // The image that version 1's reinstall was putting on the first instance has landed.
          ids.image = sim.state.addCustomImage(sim.demoAccount.accountId, { Name: "v1-target" }).CompShareImageId;
          ids.inFlight = sim.state.addInstance(sim.demoAccount.accountId, { CompShareImageId: ids.image }).UHostId;
          ids.waiting = sim.state.addInstance(sim.demoAccount.accountId, {}).UHostId;
          const driver = openRawDriver(url);
          await migrate(driver, {
            now: clock.date,
            logger: memoryLogger("silent").logger,
            migrations: MIGRATIONS.slice(0, 1),
          });
          const at = clock.date().toISOString();
          const later = new Date(clock.now() + 3_600_000).toISOString();
          for (const [id, instance, status] of [
            ["req_vvvvvvvvvvvvvvv1", ids.inFlight, "executing"],
            ["req_vvvvvvvvvvvvvvv2", ids.waiting, "pending"],
          ] as const) {
            await driver.query(
              `INSERT INTO approval_requests (id, team_id, requester_id, instance_id, image_id, region, zone, reason, status,
               decided_by, created_at, updated_at, expires_at)
             VALUES (?, ?, ?, ?, ?, 'cn-wlcb', 'cn-wlcb-01', 'from v1', ?, ?, ?, ?, ?)`,
              [id, TEAM, REQUESTER, instance, ids.image, status, status === "pending" ? null : "U_BOSS", at, at, later],
            );
          }
          await driver.close();
        },
      },
      url,
    );
    const handle = await w.engine();
    expect((await handle.engine.sweep()).resumed).toBe(1);
    await handle.engine.idle();
    expect(await handle.engine.get(TEAM, "req_vvvvvvvvvvvvvvv1")).toMatchObject({
      status: "succeeded",
      steps: [{ status: "done", result: { reconciled: true } }],
    });
    expect(w.mutations(ids.inFlight)).toEqual([]);

    const approved = await handle.engine.approve("req_vvvvvvvvvvvvvvv2", approver);
    expect(approved.kind).toBe("done");
    await handle.engine.idle();
    expect((await handle.engine.get(TEAM, "req_vvvvvvvvvvvvvvv2"))?.status).toBe("succeeded");
    expect(w.mutations(ids.waiting)).toEqual(["Reinstall"]);
  });

  it("leaves a live replica's step alone", async () => {
    const w = await fresh();
    if (w.store.driver === "sqlite") return; // one process per SQLite file: there is no live other replica
    const a = await w.engine({ claimMs: CLAIM_MS });
    const { op } = await reinstallRequest(w, a);
    // A claims the first step; B sweeps while A's claim is fresh.
    await a.engine.approve(op.id, approver);
    const b = await successor(w);
    const report = await b.engine.sweep();
    await a.engine.idle();
    await b.engine.idle();
    expect(report.resumed).toBeLessThanOrEqual(1);
    expect((await a.engine.get(TEAM, op.id))?.status).toBe("succeeded");
    expect(w.mutations((op.targets[0] ?? { instanceId: "" }).instanceId)).toEqual(["Stop", "Reinstall", "Start"]);
  });

  it("picks a paused poll up again after a clean stop and restart", async () => {
    const w = await fresh();
    const a = await w.engine({ store: await w.openStore(), claimMs: CLAIM_MS });
    let stopping: Promise<void> | undefined;
    a.engine.subscribe((event) => {
      if (event.type === "step-changed" && event.step.position === 1 && event.step.status === "running") {
        stopping ??= a.engine.stop();
      }
    });
    const { instance, op } = await reinstallRequest(w, a);
    await a.engine.approve(op.id, approver);
    await a.engine.idle();
    await stopping;
    expect((await w.store.operations.get(op.id))?.steps[1]?.status).toBe("running");
    // A clean stop lets go of the claim: the successor (or the other replica) takes over at once.
    const b = await successor(w);
    expect((await b.engine.sweep()).resumed).toBe(1);
    await b.engine.idle();
    expect((await b.engine.get(TEAM, op.id))?.status).toBe("succeeded");
    expect(w.mutations(instance.UHostId)).toEqual(["Stop", "Reinstall", "Start"]);
  });
});
