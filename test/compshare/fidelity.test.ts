import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CompShareApi,
  type CompShareApiOptions,
  type CompShareClient,
  createCompShareApi,
  isReadAction,
  READ_TIMEOUTS,
  USER_AGENT,
  WRITE_TIMEOUTS,
} from "../../src/compshare/client.ts";
import { CompShareApiError, CompShareOutcomeUnknownError, CompShareTimeoutError } from "../../src/compshare/errors.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";

/** Where the client follows the official SDKs: Zone, User-Agent, timeouts, RetCodes, arrays. */

let sim: Simulator;
let api: CompShareApi;
let demo: CompShareClient;

function start(options: Partial<CompShareApiOptions> = {}) {
  api = createCompShareApi({ baseUrl: sim.url, sleep: async () => {}, random: () => 0.5, ...options });
  demo = api.forAccount({ ...sim.demoAccount, region: "cn-wlcb", zone: "cn-wlcb-01" });
}

beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  start();
});

afterEach(async () => {
  await api.close();
  await sim.close();
});

const sent = (action: string) => sim.requests.filter((r) => r.action === action);

describe("Zone only where the action takes it", () => {
  it("lists instances in every zone of the region without sending Zone, and narrows only when asked", async () => {
    const account = sim.demoAccount.accountId;
    const first = sim.state.addInstance(account, { Name: "zone-one", Zone: "cn-wlcb-01" });
    const second = sim.state.addInstance(account, { Name: "zone-two", Zone: "cn-wlcb-02" });
    const elsewhere = sim.state.addInstance(account, { Name: "other-region", Zone: "cn-sh2-01" });

    const page = await demo.describeInstances({ Limit: 100 });
    const ids = page.UHostSet.map((i) => i.UHostId);
    expect(ids).toEqual(expect.arrayContaining([first.UHostId, second.UHostId]));
    expect(ids).not.toContain(elsewhere.UHostId);
    expect(sent("DescribeCompShareInstance")[0]?.params).not.toHaveProperty("Zone");

    const byId = await demo.describeInstances({ UHostIds: [second.UHostId] });
    expect(byId.UHostSet.map((i) => i.UHostId)).toEqual([second.UHostId]);

    const narrowed = await demo.describeInstances({ Zone: "cn-wlcb-02", Limit: 100 });
    expect(narrowed.UHostSet.map((i) => i.Zone)).toEqual(["cn-wlcb-02"]);
    expect(sent("DescribeCompShareInstance").at(-1)?.params).toMatchObject({ Zone: "cn-wlcb-02" });
  });

  it("sends Zone on the actions whose Zone both SDKs require, and not on the optional ones", async () => {
    await demo.describeImages({ Limit: 1 });
    await demo.describeSharingImages({ Limit: 1 });
    await demo.describeCustomImages({ Limit: 1 });
    const [image] = (await demo.describeCustomImages({ Limit: 100 })).ImageSet.filter((i) => i.Status === "Available");
    await demo.updateImage({ CompShareImageId: image?.CompShareImageId ?? "", Description: "zone check" });
    expect(sent("DescribeCompShareImages")[0]?.params).not.toHaveProperty("Zone");
    expect(sent("DescribeCompShareSharingImages")[0]?.params).not.toHaveProperty("Zone");
    expect(sent("DescribeCompShareCustomImages")[0]?.params).toMatchObject({ Zone: "cn-wlcb-01" });
    expect(sent("UpdateCompShareImage")[0]?.params).toMatchObject({ Zone: "cn-wlcb-01" });
  });
});

describe("User-Agent", () => {
  it("names the bot and the version in package.json on every request", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    await demo.describeImages({ Limit: 1 });
    await demo.call("DescribeCompShareInstance", {});
    expect(USER_AGENT).toBe(`compshare-bot/${version} Node.js/${process.versions.node}`);
    expect(sim.requests.map((r) => r.userAgent)).toEqual([USER_AGENT, USER_AGENT]);
  });
});

describe("per-action timeouts", () => {
  it("gives writes the SDKs' 30 s and keeps reads tighter", () => {
    expect(WRITE_TIMEOUTS).toEqual({ headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000, deadlineMs: 30_000 });
    expect(READ_TIMEOUTS.deadlineMs).toBeLessThan(WRITE_TIMEOUTS.deadlineMs);
    for (const action of ["DescribeCompShareImages", "DescribeCompShareInstance", "DescribeCompShareCustomImages"])
      expect(isReadAction(action), action).toBe(true);
    for (const action of [
      "UpdateCompShareImage",
      "ReinstallCompShareInstance",
      "StopCompShareInstance",
      "StartCompShareInstance",
    ])
      expect(isReadAction(action), action).toBe(false);
  });

  it("a write outlasts a latency that times a read out, on the same API", async () => {
    await api.close();
    start({ timeouts: { read: { deadlineMs: 150, headersTimeoutMs: 150 }, write: { deadlineMs: 10_000 } } });
    const [image] = (await demo.describeCustomImages({ Limit: 100 })).ImageSet.filter((i) => i.Status === "Available");
    sim.faults.inject({ kind: "latency", ms: 500 }, { times: 2 });

    const read = await demo.describeImages({ Limit: 1 }).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(CompShareTimeoutError);
    await demo.updateImage({ CompShareImageId: image?.CompShareImageId ?? "", Description: "slow but fine" });
    expect(sim.state.getImage(image?.CompShareImageId ?? "")?.Description).toBe("slow but fine");
  });
});

describe("RetCodes 110 and 130", () => {
  it("sends a read again after 130, as after 150", async () => {
    sim.faults.inject({ kind: "retcode", retCode: 130 }, { times: 1 });
    const page = await demo.describeImages({ Limit: 1 });
    expect(page.ImageSet).toHaveLength(1);
    expect(sent("DescribeCompShareImages").map((r) => r.retCode)).toEqual([130, 0]);
  });

  it("never sends a write again after 130, and calls a write answered 110 an unknown outcome", async () => {
    const [image] = (await demo.describeCustomImages({ Limit: 100 })).ImageSet.filter((i) => i.Status === "Available");
    const update = () => demo.updateImage({ CompShareImageId: image?.CompShareImageId ?? "", Description: "x" });
    sim.faults.inject({ kind: "retcode", retCode: 130 }, { times: 1 });
    const refused = await update().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CompShareApiError);
    expect((refused as CompShareApiError).key).toBe("GATEWAY_ERROR");

    sim.faults.inject({ kind: "retcode", retCode: 110 }, { times: 1 });
    const unknown = await update().catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(CompShareOutcomeUnknownError);
    expect((unknown as CompShareOutcomeUnknownError).cause).toMatchObject({ retCode: 110 });
    expect(sent("UpdateCompShareImage")).toHaveLength(2);
  });
});

describe("arrays holding null", () => {
  it("reach the server packed and signed, so it reads the list without a hole", async () => {
    const [image] = (await demo.describeCustomImages({ Limit: 100 })).ImageSet.filter((i) => i.Status === "Available");
    const imageId = image?.CompShareImageId ?? "";
    const { body } = await demo.call("UpdateCompShareImage", { CompShareImageId: imageId, Tags: ["a", null, "b"] });
    expect(body).toMatchObject({ RetCode: 0 });
    expect(sent("UpdateCompShareImage")[0]?.params).toMatchObject({ "Tags.0": "a", "Tags.1": "b" });
    expect(sent("UpdateCompShareImage")[0]?.params).not.toHaveProperty("Tags.2");
    expect(sim.state.getImage(imageId)?.Tags).toEqual(["a", "b"]);
  });
});
