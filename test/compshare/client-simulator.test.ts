import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CompShareAccount,
  type CompShareApi,
  type CompShareClient,
  createCompShareApi,
} from "../../src/compshare/client.ts";
import {
  CompShareApiError,
  CompShareHttpError,
  CompShareInvalidResponseError,
  CompShareNetworkError,
  CompShareOutcomeUnknownError,
  CompShareTimeoutError,
} from "../../src/compshare/errors.ts";
import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN } from "../../src/compshare/schemas.ts";
import { type Fault, type Simulator, startSimulator } from "../../src/simulator/simulator.ts";

/** The client against the simulator: every action, every fault mode, and what the caller sees. */

const READ = "DescribeCompShareImages";
const UPDATE = "UpdateCompShareImage";
const REINSTALL = "ReinstallCompShareInstance";

let sim: Simulator;
let api: CompShareApi;
let demo: CompShareClient;
let sleeps: number[];

function accountFor(keys: { publicKey: string; privateKey: string }): CompShareAccount {
  return { publicKey: keys.publicKey, privateKey: keys.privateKey, region: "cn-wlcb", zone: "cn-wlcb-01" };
}

beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  sleeps = [];
  api = createCompShareApi({
    baseUrl: sim.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  demo = api.forAccount(accountFor(sim.demoAccount));
});

afterEach(async () => {
  await api.close();
  await sim.close();
});

function recorded(action: string) {
  return sim.requests.filter((r) => r.action === action);
}

/** The simulator records a request when it answers; a latency fault answers after the client gave up. */
async function recordedEventually(action: string, count: number) {
  for (let i = 0; i < 100 && recorded(action).length < count; i++) await new Promise((r) => setTimeout(r, 20));
  return recorded(action);
}

async function ownAvailableImage() {
  const page = await demo.describeCustomImages({ Limit: 100 });
  const image = page.ImageSet.find((i) => i.Status === "Available" && (i.SupportedGpuTypes ?? []).length === 0);
  if (!image) throw new Error("demo data has no plain Available custom image");
  return image;
}

async function stoppedInstance() {
  const page = await demo.describeInstances({ Limit: 100 });
  const instance = page.UHostSet.find((i) => i.State === "Stopped" && i.GpuType === "4090");
  if (!instance) throw new Error("demo data has no Stopped 4090 instance");
  return instance;
}

describe("every action against the simulator", () => {
  it("DescribeCompShareImages pages the platform catalogue and finds one image by id with its Readme", async () => {
    const first = await demo.describeImages({ Limit: 2 });
    expect(first.TotalCount).toBeGreaterThan(2);
    expect(first.ImageSet).toHaveLength(2);
    expect(first.requestId).toMatch(/[0-9a-f-]{36}/);
    for (const image of first.ImageSet) expect(image.CompShareImageId).toMatch(IMAGE_ID_PATTERN);
    const second = await demo.describeImages({ Limit: 2, Offset: 2 });
    expect(second.ImageSet[0]?.CompShareImageId).not.toBe(first.ImageSet[0]?.CompShareImageId);
    const id = first.ImageSet[0]?.CompShareImageId ?? "";
    const one = await demo.describeImages({ CompShareImageId: id });
    expect(one.ImageSet.map((i) => i.CompShareImageId)).toEqual([id]);
  });

  it("DescribeCompShareImages filters by type", async () => {
    const apps = await demo.describeImages({ ImageType: "App", Limit: 100 });
    expect(apps.ImageSet.length).toBeGreaterThan(0);
    expect(new Set(apps.ImageSet.map((i) => i.ImageType))).toEqual(new Set(["App"]));
  });

  it("DescribeCompShareCustomImages lists the account's own images only", async () => {
    const page = await demo.describeCustomImages({});
    expect(page.ImageSet.map((i) => i.Name)).toContain("llama3-8b-serving");
    for (const image of page.ImageSet) expect(image.Owner?.AccountId).toBe(sim.demoAccount.accountId);
  });

  it("DescribeCompShareSharingImages lists what the other account shares", async () => {
    const page = await demo.describeSharingImages({});
    expect(page.ImageSet.map((i) => i.Name)).toContain("shared-pytorch-env");
    for (const image of page.ImageSet) expect(image.Owner?.AccountId).toBe(sim.otherAccount.accountId);
  });

  it("DescribeCompShareInstance lists instances and filters by id", async () => {
    const all = await demo.describeInstances({});
    expect(all.UHostSet.length).toBeGreaterThan(1);
    for (const instance of all.UHostSet) expect(instance.UHostId).toMatch(INSTANCE_ID_PATTERN);
    const id = all.UHostSet[1]?.UHostId ?? "";
    const one = await demo.describeInstances({ UHostIds: [id] });
    expect(one.UHostSet.map((i) => i.UHostId)).toEqual([id]);
  });

  it("DescribeCompShareInstance: the password and SSH command the API returns never leave the parse step", async () => {
    const raw = await demo.call("DescribeCompShareInstance", { Limit: 100 });
    expect(JSON.stringify(raw.body)).toContain('"Password"');
    const page = await demo.describeInstances({ Limit: 100 });
    expect(page.UHostSet.length).toBeGreaterThan(1);
    for (const instance of page.UHostSet) {
      expect(instance).not.toHaveProperty("Password");
      expect(instance).not.toHaveProperty("SshLoginCommand");
    }
    const parsed = JSON.stringify(page);
    for (const secret of sim.state.instanceSecrets()) expect(parsed).not.toContain(secret);
  });

  it("UpdateCompShareImage changes the fields it sends, SDK-unknown ones included", async () => {
    const image = await ownAvailableImage();
    await demo.updateImage({
      CompShareImageId: image.CompShareImageId,
      Name: "renamed-by-test",
      Tags: ["深度学习", "PyTorch"],
      Visibility: 1,
      Price: 2.5,
      VersionName: "v9",
      SupportedGpuTypes: ["4090", "A100"],
      AutoStart: true,
    });
    const [after] = (await demo.describeCustomImages({ CompShareImageId: image.CompShareImageId })).ImageSet;
    expect(after).toMatchObject({
      Name: "renamed-by-test",
      Tags: ["深度学习", "PyTorch"],
      Visibility: 1,
      Price: 2.5,
      VersionName: "v9",
      AutoStart: true,
    });
    // Sent and kept, but not answered: it is in neither SDK's image model.
    expect(after).not.toHaveProperty("SupportedGpuTypes");
    expect(sim.state.getImage(image.CompShareImageId)?.SupportedGpuTypes).toEqual(["4090", "A100"]);
  });

  it("ReinstallCompShareInstance reinstalls, then the operation lock answers InstanceOperationInProgress", async () => {
    const image = await ownAvailableImage();
    const instance = await stoppedInstance();
    const result = await demo.reinstallInstance({
      UHostId: instance.UHostId,
      CompShareImageId: image.CompShareImageId,
    });
    expect(result.UHostId).toBe(instance.UHostId);
    expect(sim.state.lastReinstall()).toMatchObject({
      UHostId: instance.UHostId,
      CompShareImageId: image.CompShareImageId,
    });
    const again = await demo
      .reinstallInstance({ UHostId: instance.UHostId, CompShareImageId: image.CompShareImageId })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CompShareApiError);
    expect(again).toMatchObject({ isInstanceOperationInProgress: true, key: "INSTANCE_OPERATION_IN_PROGRESS" });
    expect(recorded(REINSTALL)).toHaveLength(2);
  });

  it("call() sends any action as given", async () => {
    const { body, requestId } = await demo.call(READ, { Limit: 1 });
    expect(body).toMatchObject({ Action: `${READ}Response`, RetCode: 0 });
    expect(requestId).toBeDefined();
    expect(recorded(READ)[0]?.params).toMatchObject({ Limit: "1", Region: "cn-wlcb" });
  });

  it("a wrong private key is RetCode 171, a credential error, sent once", async () => {
    const wrong = api.forAccount(accountFor({ ...sim.demoAccount, privateKey: "not-the-right-private-key" }));
    const error = await wrong.describeImages({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareApiError);
    expect(error).toMatchObject({ retCode: 171, key: "SIGNATURE_ERROR", isCredentialError: true });
    expect((error as CompShareApiError).requestId).toBeDefined();
    expect(recorded(READ)).toHaveLength(1);
  });
});

describe("faults on reads", () => {
  it("latency beyond the deadline: a timeout, and no retry", async () => {
    sim.faults.inject({ kind: "latency", ms: 300 });
    const error = await demo.describeImages({}, { deadlineMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompShareTimeoutError);
    expect(error).toMatchObject({ phase: "deadline" });
    expect(await recordedEventually(READ, 1)).toHaveLength(1);
  });

  it.each([
    [{ kind: "http", status: 502 }, CompShareHttpError],
    [{ kind: "http", status: 503 }, CompShareHttpError],
    [{ kind: "retcode", retCode: 153 }, CompShareApiError],
    [{ kind: "drop" }, CompShareNetworkError],
  ] as [Fault, new (...args: never[]) => Error][])(
    "%j every time: three attempts, then the last error",
    async (fault, type) => {
      sim.faults.inject(fault);
      await expect(demo.describeImages({})).rejects.toBeInstanceOf(type);
      expect(recorded(READ)).toHaveLength(3);
    },
  );

  it.each([
    { kind: "http", status: 502 },
    { kind: "http", status: 503 },
    { kind: "retcode", retCode: 153 },
    { kind: "drop" },
  ] as Fault[])("%j twice: the third attempt succeeds", async (fault) => {
    sim.faults.inject(fault, { times: 2 });
    const page = await demo.describeSharingImages({});
    expect(page.ImageSet.length).toBeGreaterThan(0);
    expect(recorded("DescribeCompShareSharingImages")).toHaveLength(3);
  });

  it("honours the simulator's Retry-After on 503", async () => {
    sim.faults.inject({ kind: "http", status: 503 }, { times: 1 });
    await demo.describeImages({});
    expect(sleeps).toEqual([1_000]);
  });

  it("malformed JSON: an invalid response, not retried", async () => {
    sim.faults.inject({ kind: "malformed" });
    await expect(demo.describeImages({})).rejects.toBeInstanceOf(CompShareInvalidResponseError);
    expect(recorded(READ)).toHaveLength(1);
  });
});

describe("faults on writes: never retried", () => {
  async function writes() {
    const image = await ownAvailableImage();
    const instance = await stoppedInstance();
    return {
      [UPDATE]: () => demo.updateImage({ CompShareImageId: image.CompShareImageId, Description: "changed by test" }),
      [REINSTALL]: () =>
        demo.reinstallInstance({ UHostId: instance.UHostId, CompShareImageId: image.CompShareImageId }),
    };
  }

  it.each([
    [{ kind: "http", status: 500 }, "outcome_unknown", "http"],
    [{ kind: "http", status: 502 }, "outcome_unknown", "http"],
    [{ kind: "http", status: 503 }, "outcome_unknown", "http"],
    [{ kind: "http", status: 429 }, "outcome_unknown", "http"],
    [{ kind: "retcode", retCode: 153 }, "retcode", undefined],
    [{ kind: "retcode", retCode: 150 }, "retcode", undefined],
    [{ kind: "drop" }, "outcome_unknown", "network"],
    [{ kind: "malformed" }, "outcome_unknown", "invalid_response"],
  ] as [Fault, string, string | undefined][])("%j: one request each, error %s (%s)", async (fault, code, reason) => {
    const calls = await writes();
    sim.faults.inject(fault, { actions: [UPDATE, REINSTALL] });
    for (const action of [UPDATE, REINSTALL] as const) {
      const error = await calls[action]().catch((e: unknown) => e);
      expect(error).toMatchObject({ code, action });
      if (reason !== undefined) expect(error).toMatchObject({ reason });
      expect(recorded(action)).toHaveLength(1);
    }
    expect(sleeps).toEqual([]);
  });

  it.each([
    { kind: "http", status: 500, afterAction: true },
    { kind: "drop", afterAction: true },
    { kind: "malformed", afterAction: true },
  ] as Fault[])("%j after the write took effect: unknown, never failed, and indeed it ran", async (fault) => {
    const image = await ownAvailableImage();
    const instance = await stoppedInstance();
    sim.faults.inject(fault, { actions: [UPDATE, REINSTALL] });
    const update = await demo
      .updateImage({ CompShareImageId: image.CompShareImageId, Name: "renamed-anyway" })
      .catch((e: unknown) => e);
    const reinstall = await demo
      .reinstallInstance({ UHostId: instance.UHostId, CompShareImageId: image.CompShareImageId })
      .catch((e: unknown) => e);
    for (const error of [update, reinstall]) expect(error).toBeInstanceOf(CompShareOutcomeUnknownError);
    expect(recorded(UPDATE)).toMatchObject([{ actedRetCode: 0 }]);
    expect(recorded(REINSTALL)).toMatchObject([{ actedRetCode: 0 }]);
    expect(sim.state.getImage(image.CompShareImageId)?.Name).toBe("renamed-anyway");
    expect(sim.state.lastReinstall()?.UHostId).toBe(instance.UHostId);
  });

  it("a timeout after sending is an unknown outcome, and indeed the simulator acted on it", async () => {
    const image = await ownAvailableImage();
    const instance = await stoppedInstance();
    sim.faults.inject({ kind: "latency", ms: 300 }, { actions: [UPDATE, REINSTALL] });

    const update = await demo
      .updateImage({ CompShareImageId: image.CompShareImageId, Name: "late-rename" }, { deadlineMs: 100 })
      .catch((e: unknown) => e);
    const reinstall = await demo
      .reinstallInstance({ UHostId: instance.UHostId, CompShareImageId: image.CompShareImageId }, { deadlineMs: 100 })
      .catch((e: unknown) => e);

    for (const error of [update, reinstall]) {
      expect(error).toBeInstanceOf(CompShareOutcomeUnknownError);
      expect(error).toMatchObject({ reason: "timeout" });
      expect((error as CompShareOutcomeUnknownError).cause).toMatchObject({ phase: "deadline", requestSent: true });
    }
    expect(await recordedEventually(UPDATE, 1)).toHaveLength(1);
    expect(await recordedEventually(REINSTALL, 1)).toHaveLength(1);
    expect(sim.state.getImage(image.CompShareImageId)?.Name).toBe("late-rename");
    expect(sim.state.lastReinstall()?.UHostId).toBe(instance.UHostId);
  });
});

describe("the operations engine's calls, by the simulator's injected clock", () => {
  const OP_SECONDS = 2;
  let timed: Simulator;
  let timedApi: CompShareApi;
  let client: CompShareClient;
  let now: number;

  beforeEach(async () => {
    now = Date.UTC(2026, 0, 1);
    timed = await startSimulator({ port: 0, clock: () => now, opSeconds: OP_SECONDS });
    timedApi = createCompShareApi({ baseUrl: timed.url, sleep: async () => {}, random: () => 0.5 });
    client = timedApi.forAccount(accountFor(timed.demoAccount));
  });

  afterEach(async () => {
    await timedApi.close();
    await timed.close();
  });

  const pass = () => {
    now += OP_SECONDS * 1000;
  };
  const current = async (uhostId: string) => (await client.describeInstances({ UHostIds: [uhostId] })).UHostSet[0];

  it("stop → snapshot → reinstall → start, each state and the image on the instance read back with describeInstances", async () => {
    const running = timed.state.addInstance(timed.demoAccount.accountId, { State: "Running", GpuType: "4090" });
    const target = (await client.describeImages({ Limit: 100 })).ImageSet.find(
      (i) =>
        i.Status === "Available" &&
        (i.SupportedGpuTypes ?? []).length === 0 &&
        i.CompShareImageId !== running.CompShareImageId,
    );
    if (target === undefined) throw new Error("no platform image to reinstall with");
    const id = running.UHostId;

    expect(await client.stopInstance({ UHostId: id })).toMatchObject({ UHostId: id });
    expect((await current(id))?.State).toBe("Stopping");
    const busy = await client.startInstance({ UHostId: id }).catch((e: unknown) => e);
    expect(busy).toMatchObject({ isInstanceOperationInProgress: true });
    pass();
    expect((await current(id))?.State).toBe("Stopped");

    const { CompShareImageId: snapshotId } = await client.createCustomImage({ UHostId: id, Name: "keep-a-copy" });
    expect(snapshotId).toMatch(IMAGE_ID_PATTERN);
    expect((await client.getImageCreateProgress({ CompShareImageId: snapshotId })).Process).toBe(0);
    now += (OP_SECONDS * 1000) / 2;
    expect((await client.getImageCreateProgress({ CompShareImageId: snapshotId })).Process).toBe(50);
    now += (OP_SECONDS * 1000) / 2;
    expect(await client.getImageCreateProgress({ CompShareImageId: snapshotId })).toMatchObject({
      Process: 100,
      RemainingDuration: 0,
      TotalDuration: OP_SECONDS,
    });
    const [snapshot] = (await client.describeCustomImages({ CompShareImageId: snapshotId })).ImageSet;
    expect(snapshot).toMatchObject({ Name: "keep-a-copy", Status: "Available" });

    await client.reinstallInstance({ UHostId: id, CompShareImageId: target.CompShareImageId });
    expect(await current(id)).toMatchObject({ State: "Initializing", CompShareImageId: target.CompShareImageId });
    pass();
    expect(await current(id)).toMatchObject({
      State: "Stopped",
      CompShareImageId: target.CompShareImageId,
      CompShareImageName: target.Name,
    });

    await client.startInstance({ UHostId: id });
    expect((await current(id))?.State).toBe("Starting");
    pass();
    expect((await current(id))?.State).toBe("Running");
    await client.rebootInstance({ UHostId: id });
    expect((await current(id))?.State).toBe("Rebooting");
    pass();
    expect((await current(id))?.State).toBe("Running");
  });
});
