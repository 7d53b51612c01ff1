import { afterEach, describe, expect, it } from "vitest";
import { type InstanceRecord, type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { OPERATION_LOCK_MS } from "../../src/simulator/state.ts";
import { type ApiReply, call, manualClock, ZONE } from "./sim-client.ts";

/** Instance operations take time: transitional states, the lock while they run, image progress. */

const OP_SECONDS = 4;
const OP_MS = OP_SECONDS * 1000;

let sim: Simulator;
let clock: ReturnType<typeof manualClock>;

async function start(opSeconds = OP_SECONDS) {
  clock = manualClock();
  sim = await startSimulator({ clock: clock.now, opSeconds });
}

afterEach(() => sim?.close());

const demoInstance = (state: string, gpuType?: string): InstanceRecord => {
  const found = sim.state
    .listInstances(sim.demoAccount.accountId)
    .find((i) => i.State === state && (gpuType === undefined || i.GpuType === gpuType));
  if (found === undefined) throw new Error(`no demo instance in state ${state}`);
  return found;
};
const plainImageId = (index = 0) =>
  sim.state.listPlatformImages().filter((i) => i.Status === "Available" && i.SupportedGpuTypes.length === 0)[index]
    ?.CompShareImageId ?? "";

const act = (action: string, uhostId: string, extra: Record<string, string> = {}) =>
  call(sim, sim.demoAccount, action, { Zone: ZONE, UHostId: uhostId, ...extra });

/** What DescribeCompShareInstance says about one instance, over HTTP. */
async function described(uhostId: string): Promise<Record<string, unknown> | undefined> {
  const reply = await call(sim, sim.demoAccount, "DescribeCompShareInstance", { UHostIds: [uhostId] });
  expect(reply.body.RetCode).toBe(0);
  return (reply.body.UHostSet as Record<string, unknown>[])[0];
}

const stateOf = async (uhostId: string) => (await described(uhostId))?.State;

function expectLocked(reply: ApiReply) {
  expect(reply.body.RetCode).toBe(226695);
  expect(reply.body.Message).toMatch(/^InstanceOperationInProgress/);
}

describe("instance operations take time", () => {
  it.each([
    ["StopCompShareInstance", "Running", "Stopping", "Stopped"],
    ["StartCompShareInstance", "Stopped", "Starting", "Running"],
    ["RebootCompShareInstance", "Running", "Rebooting", "Running"],
  ])("%s: %s → %s → %s once opSeconds have passed", async (action, from, during, to) => {
    await start();
    const instance = demoInstance(from);
    const reply = await act(action, instance.UHostId);
    expect(reply.body).toEqual({ Action: `${action}Response`, RetCode: 0, UHostId: instance.UHostId });
    expect(await stateOf(instance.UHostId)).toBe(during);
    clock.advance(OP_MS - 1);
    expect(await stateOf(instance.UHostId)).toBe(during);
    clock.advance(1);
    expect(await stateOf(instance.UHostId)).toBe(to);
  });

  it("a reinstall passes through Initializing and lands Stopped, Describe showing the new image id and name", async () => {
    await start();
    const instance = demoInstance("Stopped", "4090");
    const imageId = plainImageId(7);
    const image = sim.state.getImage(imageId);
    expect(instance.CompShareImageId).not.toBe(imageId);
    expect(
      (await act("ReinstallCompShareInstance", instance.UHostId, { CompShareImageId: imageId })).body.RetCode,
    ).toBe(0);
    expect(await described(instance.UHostId)).toMatchObject({
      State: "Initializing",
      CompShareImageId: imageId,
      CompShareImageName: image?.Name,
    });
    clock.advance(OP_MS);
    expect(await described(instance.UHostId)).toMatchObject({
      State: "Stopped",
      CompShareImageId: imageId,
      CompShareImageName: image?.Name,
    });
  });

  it("refuses a reboot of an instance that is not Running", async () => {
    await start();
    const reply = await act("RebootCompShareInstance", demoInstance("Stopped").UHostId);
    expect(reply.body.RetCode).toBe(226693);
    expect(reply.body.Message).toContain("must be Running");
  });

  it("opSeconds 0 makes every operation land at once, with no lock left behind", async () => {
    await start(0);
    const instance = demoInstance("Running");
    expect((await act("StopCompShareInstance", instance.UHostId)).body.RetCode).toBe(0);
    expect(await stateOf(instance.UHostId)).toBe("Stopped");
    expect(sim.state.operationLockedUntil(instance.UHostId)).toBeUndefined();
    expect((await act("StartCompShareInstance", instance.UHostId)).body.RetCode).toBe(0);
    expect(await stateOf(instance.UHostId)).toBe("Running");
  });

  it("refuses a negative or non-finite opSeconds", async () => {
    await expect(startSimulator({ opSeconds: -1 })).rejects.toThrow(RangeError);
    await expect(startSimulator({ opSeconds: Number.NaN })).rejects.toThrow(RangeError);
  });
});

describe("the per-instance operation lock", () => {
  it("refuses any second operation while one runs, and frees when it ends", async () => {
    await start();
    const instance = demoInstance("Running");
    expect((await act("StopCompShareInstance", instance.UHostId)).body.RetCode).toBe(0);
    expect(sim.state.operationLockedUntil(instance.UHostId)).toBe(clock.now() + OP_MS);
    clock.advance(OP_MS - 1);
    expectLocked(await act("StartCompShareInstance", instance.UHostId));
    expectLocked(await act("StopCompShareInstance", instance.UHostId));
    expectLocked(await act("RebootCompShareInstance", instance.UHostId));
    expectLocked(await act("ReinstallCompShareInstance", instance.UHostId, { CompShareImageId: plainImageId() }));
    expectLocked(await act("CreateCompShareCustomImage", instance.UHostId, { Name: "while-stopping" }));
    expect(sim.state.listCustomImages(sim.demoAccount.accountId).some((i) => i.Name === "while-stopping")).toBe(false);

    clock.advance(1);
    expect(sim.state.operationLockedUntil(instance.UHostId)).toBeUndefined();
    const startAgain = await act("StartCompShareInstance", instance.UHostId);
    expect(startAgain.body.RetCode).toBe(0);
    expect(await stateOf(instance.UHostId)).toBe("Starting");
  });

  it("is per instance: another instance's operation is not held up", async () => {
    await start();
    const [first, second] = sim.state.listInstances(sim.demoAccount.accountId).filter((i) => i.State === "Running");
    expect((await act("StopCompShareInstance", first?.UHostId ?? "")).body.RetCode).toBe(0);
    expect((await act("StopCompShareInstance", second?.UHostId ?? "")).body.RetCode).toBe(0);
  });

  it("lasts 10 minutes at most: a longer operation frees the lock early, and its state still says it runs", async () => {
    const twentyMinutes = (2 * OPERATION_LOCK_MS) / 1000;
    await start(twentyMinutes);
    const instance = demoInstance("Running");
    expect((await act("StopCompShareInstance", instance.UHostId)).body.RetCode).toBe(0);
    expect(sim.state.operationLockedUntil(instance.UHostId)).toBe(clock.now() + OPERATION_LOCK_MS);
    clock.advance(OPERATION_LOCK_MS - 1);
    expectLocked(await act("StartCompShareInstance", instance.UHostId));
    clock.advance(1);
    const refused = await act("StartCompShareInstance", instance.UHostId);
    expect(refused.body.RetCode).toBe(226693);
    expect(refused.body.Message).toContain("is Stopping");
    clock.advance(OPERATION_LOCK_MS);
    expect(await stateOf(instance.UHostId)).toBe("Stopped");
  });

  it("is not taken by a refused operation", async () => {
    await start();
    const instance = demoInstance("Stopped");
    expect((await act("StopCompShareInstance", instance.UHostId)).body.RetCode).toBe(226693);
    expect(sim.state.operationLockedUntil(instance.UHostId)).toBeUndefined();
    expect((await act("StartCompShareInstance", instance.UHostId)).body.RetCode).toBe(0);
  });
});

describe("CreateCompShareCustomImage and GetCompShareImageCreateProgress", () => {
  const progress = (imageId: string, account = sim.demoAccount) =>
    call(sim, account, "GetCompShareImageCreateProgress", { Zone: ZONE, CompShareImageId: imageId });

  it("answers the new image's CompShareImageId; progress moves 0 → 100 while the image is Making, then Available", async () => {
    await start();
    const instance = demoInstance("Stopped", "4090");
    const created = await act("CreateCompShareCustomImage", instance.UHostId, {
      Name: "before-reinstall",
      Description: "copy of the system disk",
    });
    expect(created.body).toMatchObject({ Action: "CreateCompShareCustomImageResponse", RetCode: 0 });
    const imageId = created.body.CompShareImageId as string;
    expect(imageId).toMatch(/^compshareImage-[A-Za-z0-9]+$/);

    const listed = await call(sim, sim.demoAccount, "DescribeCompShareCustomImages", {
      Zone: ZONE,
      CompShareImageId: imageId,
    });
    expect((listed.body.ImageSet as Record<string, unknown>[])[0]).toMatchObject({
      CompShareImageId: imageId,
      Name: "before-reinstall",
      Description: "copy of the system disk",
      Status: "Making",
      ImageType: "Custom",
      SourceGpuType: "4090",
    });

    expect((await progress(imageId)).body).toEqual({
      Action: "GetCompShareImageCreateProgressResponse",
      RetCode: 0,
      Process: 0,
      RemainingDuration: String(OP_SECONDS),
      TotalDuration: String(OP_SECONDS),
    });
    clock.advance(OP_MS / 2);
    expect((await progress(imageId)).body).toMatchObject({ Process: 50, RemainingDuration: String(OP_SECONDS / 2) });
    expect(sim.state.getImage(imageId)?.Status).toBe("Making");
    clock.advance(OP_MS / 2);
    expect((await progress(imageId)).body).toMatchObject({ Process: 100, RemainingDuration: "0" });
    expect(sim.state.getImage(imageId)?.Status).toBe("Available");
    clock.advance(OP_MS);
    expect((await progress(imageId)).body).toMatchObject({ Process: 100 });
    expect(await stateOf(instance.UHostId)).toBe("Stopped");
  });

  it("holds the instance's lock while the image is made", async () => {
    await start();
    const instance = demoInstance("Stopped");
    expect((await act("CreateCompShareCustomImage", instance.UHostId, { Name: "snap" })).body.RetCode).toBe(0);
    expectLocked(await act("ReinstallCompShareInstance", instance.UHostId, { CompShareImageId: plainImageId() }));
    clock.advance(OP_MS);
    expect(
      (await act("ReinstallCompShareInstance", instance.UHostId, { CompShareImageId: plainImageId() })).body.RetCode,
    ).toBe(0);
  });

  it("takes the SDKs' Softwares.Application list, and otherwise the instance's image's software", async () => {
    await start(0);
    const instance = demoInstance("Running");
    const given = await act("CreateCompShareCustomImage", instance.UHostId, {
      Name: "with-apps",
      "Softwares.Application.0": "vLLM",
      "Softwares.Application.1": "Jupyter",
      "Softwares.CUDAVersion": "12.8",
    });
    expect(sim.state.getImage(given.body.CompShareImageId as string)?.Softwares).toEqual({
      CUDAVersion: "12.8",
      Framework: "",
      FrameworkVersion: "",
      Applications: ["vLLM", "Jupyter"],
    });
    const inherited = await act("CreateCompShareCustomImage", instance.UHostId, { Name: "inherited" });
    expect(sim.state.getImage(inherited.body.CompShareImageId as string)?.Softwares).toEqual(
      sim.state.getImage(instance.CompShareImageId)?.Softwares,
    );
  });

  it("refuses a missing or taken name, a missing Zone, an instance mid-transition and another account's instance", async () => {
    await start();
    const stopped = demoInstance("Stopped");
    expect((await act("CreateCompShareCustomImage", stopped.UHostId)).body.Message).toBe("Missing params [Name]");
    const noZone = await call(sim, sim.demoAccount, "CreateCompShareCustomImage", {
      UHostId: stopped.UHostId,
      Name: "x",
    });
    expect(noZone.body.Message).toBe("Missing params [Zone]");
    const takenName = sim.state.listCustomImages(sim.demoAccount.accountId)[0]?.Name ?? "";
    const taken = await act("CreateCompShareCustomImage", stopped.UHostId, { Name: takenName });
    expect(taken.body.RetCode).toBe(226696);
    expect(taken.body.Message).toContain("already exists");

    const stopping = demoInstance("Stopping");
    const busy = await act("CreateCompShareCustomImage", stopping.UHostId, { Name: "mid" });
    expect(busy.body.RetCode).toBe(226693);
    expect(busy.body.Message).toContain("must be Running or Stopped");

    const theirs = sim.state.listInstances(sim.otherAccount.accountId)[0];
    const foreign = await act("CreateCompShareCustomImage", theirs?.UHostId ?? "", { Name: "theirs" });
    expect(foreign.body.RetCode).toBe(226692);
  });

  it("answers progress only for the caller's own images", async () => {
    await start();
    const missing = await progress("compshareImage-nope");
    expect(missing.body.RetCode).toBe(226690);
    const theirs = sim.state.listCustomImages(sim.otherAccount.accountId)[0]?.CompShareImageId ?? "";
    expect((await progress(theirs)).body.RetCode).toBe(226690);
    const available = sim.state
      .listCustomImages(sim.demoAccount.accountId)
      .find((i) => i.Status === "Available")?.CompShareImageId;
    expect((await progress(available ?? "")).body).toMatchObject({ RetCode: 0, Process: 100 });
  });
});

describe("faults for the operations engine", () => {
  it.each([
    ["StopCompShareInstance", "Running"],
    ["StartCompShareInstance", "Stopped"],
    ["RebootCompShareInstance", "Running"],
    ["ReinstallCompShareInstance", "Stopped"],
  ])("installFail: %s is accepted, then ends in Install Fail", async (action, from) => {
    await start();
    const reinstalls = action === "ReinstallCompShareInstance";
    const instance = demoInstance(from, reinstalls ? "4090" : undefined);
    const params: Record<string, string> = reinstalls ? { CompShareImageId: plainImageId(2) } : {};
    sim.faults.inject({ kind: "installFail" }, { actions: [action], times: 1 });
    expect((await act(action, instance.UHostId, params)).body.RetCode).toBe(0);
    expect(sim.requests.at(-1)).toMatchObject({ action, retCode: 0, fault: "installFail" });
    expect(await stateOf(instance.UHostId)).not.toBe("Install Fail");
    clock.advance(OP_MS);
    expect(await stateOf(instance.UHostId)).toBe("Install Fail");
    expect(sim.state.operationLockedUntil(instance.UHostId)).toBeUndefined();
  });

  it("installFail applies only `times` times", async () => {
    await start();
    const [first, second] = sim.state.listInstances(sim.demoAccount.accountId).filter((i) => i.State === "Running");
    sim.faults.inject({ kind: "installFail" }, { actions: ["StopCompShareInstance"], times: 1 });
    await act("StopCompShareInstance", first?.UHostId ?? "");
    await act("StopCompShareInstance", second?.UHostId ?? "");
    clock.advance(OP_MS);
    expect(await stateOf(first?.UHostId ?? "")).toBe("Install Fail");
    expect(await stateOf(second?.UHostId ?? "")).toBe("Stopped");
  });

  it("deleteInstance: the call is answered, then the instance is gone for every later call", async () => {
    await start();
    const instance = demoInstance("Stopped", "4090");
    sim.faults.inject({ kind: "deleteInstance" }, { actions: ["ReinstallCompShareInstance"], times: 1 });
    const reinstall = await act("ReinstallCompShareInstance", instance.UHostId, { CompShareImageId: plainImageId(1) });
    expect(reinstall.body.RetCode).toBe(0);
    expect(await described(instance.UHostId)).toBeUndefined();
    const refused = await act("StartCompShareInstance", instance.UHostId);
    expect(refused.body.RetCode).toBe(226692);
    expect(refused.body.Message).toContain("not found");
    clock.advance(OP_MS);
    expect(sim.state.getInstance(instance.UHostId)).toBeUndefined();
  });

  it("a test can delete an instance mid-operation directly", async () => {
    await start();
    const instance = demoInstance("Running");
    await act("StopCompShareInstance", instance.UHostId);
    sim.state.deleteInstance(instance.UHostId);
    expect(sim.state.runningOperation(instance.UHostId)).toBeUndefined();
    expect(await described(instance.UHostId)).toBeUndefined();
    const all = await call(sim, sim.demoAccount, "DescribeCompShareInstance", { Limit: 100 });
    expect((all.body.UHostSet as InstanceRecord[]).map((i) => i.UHostId)).not.toContain(instance.UHostId);
  });

  it("an image being made finishes even when its instance is deleted meanwhile", async () => {
    await start();
    const instance = demoInstance("Stopped");
    const created = await act("CreateCompShareCustomImage", instance.UHostId, { Name: "orphan" });
    sim.state.deleteInstance(instance.UHostId);
    clock.advance(OP_MS);
    expect(sim.state.getImage(created.body.CompShareImageId as string)?.Status).toBe("Available");
  });
});
