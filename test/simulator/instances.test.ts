import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_OP_SECONDS,
  type InstanceRecord,
  type Simulator,
  startSimulator,
} from "../../src/simulator/simulator.ts";
import { call, manualClock, ZONE } from "./sim-client.ts";

/** Every operation takes the default time here; the injected clock moves past it. */
const OP_MS = DEFAULT_OP_SECONDS * 1000;

describe("simulator instances", () => {
  let sim: Simulator;
  const clock = manualClock();
  beforeEach(async () => {
    sim = await startSimulator({ clock: clock.now });
  });
  afterEach(() => sim.close());

  const demoInstance = (state: string): InstanceRecord => {
    const found = sim.state.listInstances(sim.demoAccount.accountId).find((i) => i.State === state);
    if (found === undefined) throw new Error(`no demo instance in state ${state}`);
    return found;
  };
  const platformImageId = (index = 0) =>
    sim.state.listPlatformImages().filter((i) => i.Status === "Available" && i.SupportedGpuTypes.length === 0)[index]
      ?.CompShareImageId ?? "";
  const reinstall = (uhostId: string, imageId: string, account = sim.demoAccount) =>
    call(sim, account, "ReinstallCompShareInstance", { Zone: ZONE, UHostId: uhostId, CompShareImageId: imageId });

  describe("DescribeCompShareInstance", () => {
    it("lists the caller's instances with their fields and TotalCount", async () => {
      const reply = await call(sim, sim.demoAccount, "DescribeCompShareInstance", { Limit: 100 });
      const expected = sim.state.listInstances(sim.demoAccount.accountId);
      expect(reply.body.TotalCount).toBe(expected.length);
      expect(reply.body.UHostSet).toEqual(expected);
      const [first] = reply.body.UHostSet as Record<string, unknown>[];
      for (const field of [
        "UHostId",
        "Name",
        "State",
        "GpuType",
        "GPU",
        "Zone",
        "CompShareImageId",
        "CompShareImageName",
        "CreateTime",
        "ChargeType",
      ]) {
        expect(first, field).toHaveProperty(field);
      }
      expect(typeof first?.GPU).toBe("number");
      // As the real API: the root password in Base64, and the SSH command beside it.
      expect(Buffer.from(String(first?.Password), "base64").toString("base64")).toBe(first?.Password);
      expect(String(first?.Password).length).toBeGreaterThanOrEqual(16);
      expect(first?.SshLoginCommand).toMatch(/^ssh -p \d+ root@[\d.]+$/);
      expect(sim.state.instanceSecrets()).toContain(first?.Password);
      const theirs = await call(sim, sim.otherAccount, "DescribeCompShareInstance", { Limit: 100 });
      const theirIds = (theirs.body.UHostSet as InstanceRecord[]).map((i) => i.UHostId);
      expect(theirIds.some((id) => expected.some((e) => e.UHostId === id))).toBe(false);
    });

    it("filters by UHostIds.N and pages", async () => {
      const all = sim.state.listInstances(sim.demoAccount.accountId);
      const wanted = [all[1]?.UHostId ?? "", all[3]?.UHostId ?? ""];
      const reply = await call(sim, sim.demoAccount, "DescribeCompShareInstance", { UHostIds: wanted });
      expect((reply.body.UHostSet as InstanceRecord[]).map((i) => i.UHostId)).toEqual(wanted);
      expect(reply.body.TotalCount).toBe(2);

      const paged = await call(sim, sim.demoAccount, "DescribeCompShareInstance", { Offset: 1, Limit: 2 });
      expect(paged.body.TotalCount).toBe(all.length);
      expect((paged.body.UHostSet as InstanceRecord[]).map((i) => i.UHostId)).toEqual(
        all.slice(1, 3).map((i) => i.UHostId),
      );

      const otherId = sim.state.listInstances(sim.otherAccount.accountId)[0]?.UHostId ?? "";
      const foreign = await call(sim, sim.demoAccount, "DescribeCompShareInstance", { UHostIds: [otherId] });
      expect(foreign.body).toMatchObject({ RetCode: 0, TotalCount: 0, UHostSet: [] });
    });
  });

  describe("StopCompShareInstance and StartCompShareInstance", () => {
    it("stops a Running instance and starts a Stopped one", async () => {
      const running = demoInstance("Running");
      const stop = await call(sim, sim.demoAccount, "StopCompShareInstance", { Zone: ZONE, UHostId: running.UHostId });
      expect(stop.body).toEqual({ Action: "StopCompShareInstanceResponse", RetCode: 0, UHostId: running.UHostId });
      clock.advance(OP_MS);
      expect(sim.state.getInstance(running.UHostId)?.State).toBe("Stopped");
      const start = await call(sim, sim.demoAccount, "StartCompShareInstance", { UHostId: running.UHostId });
      expect(start.body.RetCode).toBe(0);
      clock.advance(OP_MS);
      expect(sim.state.getInstance(running.UHostId)?.State).toBe("Running");
    });

    it("refuses the wrong starting state", async () => {
      const stopped = demoInstance("Stopped");
      const stop = await call(sim, sim.demoAccount, "StopCompShareInstance", { UHostId: stopped.UHostId });
      expect(stop.body.RetCode).not.toBe(0);
      expect(stop.body.Message).toContain("must be Running");
      const running = demoInstance("Running");
      const start = await call(sim, sim.demoAccount, "StartCompShareInstance", { UHostId: running.UHostId });
      expect(start.body.Message).toContain("must be Stopped");
      expect(sim.state.getInstance(running.UHostId)?.State).toBe("Running");
    });

    it("does not let one account drive another's instance", async () => {
      const theirs = sim.state.listInstances(sim.otherAccount.accountId).find((i) => i.State === "Running");
      const reply = await call(sim, sim.demoAccount, "StopCompShareInstance", { UHostId: theirs?.UHostId ?? "" });
      expect(reply.body.RetCode).not.toBe(0);
      expect(reply.body.Message).toContain("not found");
      expect(sim.state.getInstance(theirs?.UHostId ?? "")?.State).toBe("Running");
    });
  });

  describe("ReinstallCompShareInstance", () => {
    it("reinstalls a Stopped instance and records it", async () => {
      const stopped = demoInstance("Stopped");
      const imageId = platformImageId(3);
      const reply = await reinstall(stopped.UHostId, imageId);
      expect(reply.body).toEqual({
        Action: "ReinstallCompShareInstanceResponse",
        RetCode: 0,
        UHostId: stopped.UHostId,
      });
      const image = sim.state.getImage(imageId);
      clock.advance(OP_MS);
      expect(sim.state.getInstance(stopped.UHostId)).toMatchObject({
        CompShareImageId: imageId,
        CompShareImageName: image?.Name,
        State: "Stopped",
      });
      expect(sim.state.lastReinstall()).toEqual({
        UHostId: stopped.UHostId,
        CompShareImageId: imageId,
        previousImageId: stopped.CompShareImageId,
        accountId: sim.demoAccount.accountId,
        at: clock.now() - OP_MS,
      });
    });

    it.each(["Running", "Stopping", "Install Fail"])(
      "refuses an instance that is %s, saying it must be stopped",
      async (state) => {
        const instance = demoInstance(state);
        const reply = await reinstall(instance.UHostId, platformImageId());
        expect(reply.body.RetCode).not.toBe(0);
        expect(reply.body.Message).toContain("must be Stopped");
        expect(sim.state.lastReinstall()).toBeUndefined();
        expect(sim.state.operationLockedUntil(instance.UHostId)).toBeUndefined();
      },
    );

    it("holds the operation lock until the reinstall lands, by the injected clock", async () => {
      const stopped = demoInstance("Stopped");
      expect((await reinstall(stopped.UHostId, platformImageId(0))).body.RetCode).toBe(0);

      clock.advance(OP_MS - 1);
      const locked = await reinstall(stopped.UHostId, platformImageId(1));
      expect(locked.body.RetCode).not.toBe(0);
      expect(locked.body.Message).toContain("InstanceOperationInProgress");
      expect(sim.state.getInstance(stopped.UHostId)?.CompShareImageId).toBe(platformImageId(0));

      clock.advance(1);
      const again = await reinstall(stopped.UHostId, platformImageId(1));
      expect(again.body.RetCode).toBe(0);
      expect(sim.state.listReinstalls()).toHaveLength(2);
    });

    it("lets a test clear the lock", async () => {
      const stopped = demoInstance("Stopped");
      await reinstall(stopped.UHostId, platformImageId(0));
      expect(sim.state.operationLockedUntil(stopped.UHostId)).toBe(clock.now() + OP_MS);
      sim.state.clearOperationLock(stopped.UHostId);
      expect(sim.state.operationLockedUntil(stopped.UHostId)).toBeUndefined();
      const next = await reinstall(stopped.UHostId, platformImageId(1));
      expect(next.body.Message).not.toContain("InstanceOperationInProgress");
    });

    it("locks per instance, not per account", async () => {
      const [first, second] = sim.state.listInstances(sim.demoAccount.accountId).filter((i) => i.State === "Stopped");
      expect((await reinstall(first?.UHostId ?? "", platformImageId())).body.RetCode).toBe(0);
      expect((await reinstall(second?.UHostId ?? "", platformImageId())).body.RetCode).toBe(0);
    });

    it("accepts the caller's own and shared images, but not another account's private one", async () => {
      const stopped = sim.state
        .listInstances(sim.demoAccount.accountId)
        .filter((i) => i.State === "Stopped" && i.GpuType === "4090")[0];
      const own = sim.state
        .listCustomImages(sim.demoAccount.accountId)
        .find((i) => i.Status === "Available" && i.SupportedGpuTypes.length === 0);
      expect((await reinstall(stopped?.UHostId ?? "", own?.CompShareImageId ?? "")).body.RetCode).toBe(0);
      clock.advance(OP_MS);

      const shared = sim.state.listSharedImages(sim.demoAccount.accountId).find((i) => i.Status === "Available");
      expect((await reinstall(stopped?.UHostId ?? "", shared?.CompShareImageId ?? "")).body.RetCode).toBe(0);
      clock.advance(OP_MS);

      const sharedIds = new Set(sim.state.listSharedImages(sim.demoAccount.accountId).map((i) => i.CompShareImageId));
      const privateOther = sim.state
        .listCustomImages(sim.otherAccount.accountId)
        .find((i) => !sharedIds.has(i.CompShareImageId));
      const refused = await reinstall(stopped?.UHostId ?? "", privateOther?.CompShareImageId ?? "");
      expect(refused.body.RetCode).not.toBe(0);
      expect(refused.body.Message).toContain("does not exist");
    });

    it("refuses an image that is not Available", async () => {
      const stopped = demoInstance("Stopped");
      const making = sim.state.listCustomImages(sim.demoAccount.accountId).find((i) => i.Status === "Making");
      const reply = await reinstall(stopped.UHostId, making?.CompShareImageId ?? "");
      expect(reply.body.RetCode).not.toBe(0);
      expect(reply.body.Message).toContain("Making");
    });

    it("refuses an image that does not support the instance's GPU type", async () => {
      const h20 = sim.state.addInstance(sim.demoAccount.accountId, { GpuType: "H20" });
      const image = sim.state.addCustomImage(sim.demoAccount.accountId, { SupportedGpuTypes: ["4090", "A100"] });
      const reply = await reinstall(h20.UHostId, image.CompShareImageId);
      expect(reply.body.RetCode).toBe(226603);
      expect(reply.body.Message).toContain("H20");
    });

    it("refuses another account's instance and an instance in another zone", async () => {
      const theirs = sim.state.listInstances(sim.otherAccount.accountId).find((i) => i.State === "Stopped");
      const foreign = await reinstall(theirs?.UHostId ?? "", platformImageId());
      expect(foreign.body.RetCode).not.toBe(0);
      expect(foreign.body.Message).toContain("not found");

      const elsewhere = sim.state.addInstance(sim.demoAccount.accountId, { Zone: "cn-wlcb-02" });
      const wrongZone = await reinstall(elsewhere.UHostId, platformImageId());
      expect(wrongZone.body.Message).toContain("not found");
      expect(sim.state.listReinstalls()).toEqual([]);
    });

    it("lets a fresh account drive its own instance from a test", async () => {
      const fresh = sim.addAccount();
      const instance = sim.state.addInstance(fresh.accountId, { State: "Running" });
      expect((await reinstall(instance.UHostId, platformImageId(), fresh)).body.Message).toContain("must be Stopped");
      sim.state.setInstanceState(instance.UHostId, "Stopped");
      expect((await reinstall(instance.UHostId, platformImageId(), fresh)).body.RetCode).toBe(0);
    });
  });
});
