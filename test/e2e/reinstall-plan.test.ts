import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { ALICE, everythingSentToSlack, type Harness, startHarness } from "./harness.ts";
import {
  APPROVAL_CHANNEL,
  BOB_ID,
  cardEdits,
  cardNow,
  clickCard,
  dmsTo,
  REINSTALL_ENV,
  REINSTALL_USERS,
  requestReinstall,
  settled,
  simCalls,
} from "./reinstall-steps.ts";

/**
 * Issue 10's Done-when, black box: a Running instance is reinstalled from Slack in one request
 * and one approval, through signed requests, against the simulator with short operation times.
 * The simulator refuses a reinstall unless the instance is Stopped and holds the operation lock
 * while an operation runs, so each mutation being accepted exactly once also proves the order.
 */

const BOB = { userId: BOB_ID, teamId: ALICE.teamId, channelId: APPROVAL_CHANNEL };
/** The engine's polls (2 s doubling in production) shortened to keep up with 0.4 s operations. */
const fastPolls = { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 100))) };

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: REINSTALL_ENV,
    users: REINSTALL_USERS,
    opSeconds: 0.4,
    engine: fastPolls,
    cardEditIntervalMs: 150,
  });
  await h.login(ALICE);
});
afterAll(() => h.stop());

function runningInstance(name: string) {
  return h.sim.state.addInstance(h.sim.demoAccount.accountId, {
    Name: name,
    State: "Running",
    GpuType: "4090",
    GPU: 2,
  });
}

function newImage(name: string) {
  const image = h.sim.state.listPlatformImages().find((i) => i.Status === "Available" && i.Name === name);
  return image ?? h.sim.state.listPlatformImages().find((i) => i.Status === "Available");
}

/** The recorded calls for one instance, as [action, index in the whole log]. */
function callsFor(instanceId: string) {
  return h.sim.requests
    .map((r, index) => ({ ...r, index }))
    .filter((r) => r.params.UHostId === instanceId || Object.values(r.params).includes(instanceId));
}

describe("stop → reinstall → start, after one approval", () => {
  it("sends each mutation exactly once, in order, edits the card as it goes and ends naming Running", async () => {
    const instance = runningInstance("plan-journey");
    const image = newImage("PyTorch 2.4");
    if (!image) throw new Error("no available platform image");
    const card = await requestReinstall(h, ALICE, {
      instanceId: instance.UHostId,
      imageId: image.CompShareImageId,
      reason: "fresh CUDA",
      stopFirst: true,
      startAfter: true,
    });

    // Before approval the card shows the plan, in order, and nothing has been sent.
    const before = JSON.stringify(cardNow(h, card));
    const order = ["Stop the instance", "Reinstall with", "Start the instance"].map((step) => before.indexOf(step));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(callsFor(instance.UHostId).filter((r) => r.action !== "DescribeCompShareInstance")).toEqual([]);
    // The requester's DM links the card.
    await h.slack.waitFor(
      () => dmsTo(h, ALICE.userId).some((dm) => dm.includes(`archives/${APPROVAL_CHANNEL}/p`)),
      5_000,
      "the requester's DM with the card's link",
    );

    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 30_000);
    expect(done.status).toBe("succeeded");

    const calls = callsFor(instance.UHostId);
    const mutations = calls.filter((r) => r.action !== "DescribeCompShareInstance");
    expect(mutations.map((r) => r.action)).toEqual([
      "StopCompShareInstance",
      "ReinstallCompShareInstance",
      "StartCompShareInstance",
    ]);
    expect(mutations.map((r) => r.retCode)).toEqual([0, 0, 0]);
    expect(mutations[1]?.params.CompShareImageId).toBe(image.CompShareImageId);
    // Between each mutation the engine read the instance's state before going on.
    const [stop, reinstall, start] = mutations.map((r) => r.index);
    const describedBetween = (from = 0, to = 0) =>
      calls.some((r) => r.action === "DescribeCompShareInstance" && r.index > from && r.index < to);
    expect(describedBetween(stop, reinstall)).toBe(true);
    expect(describedBetween(reinstall, start)).toBe(true);

    const now = h.sim.state.getInstance(instance.UHostId);
    expect(now?.State).toBe("Running");
    expect(now?.CompShareImageId).toBe(image.CompShareImageId);

    // The card followed the plan in place and ends in a summary naming Running and the image now on it.
    await h.slack.waitFor(() => JSON.stringify(cardNow(h, card)).includes("Every step is done"), 5_000, "final card");
    expect(cardEdits(h, card).length).toBeGreaterThanOrEqual(3);
    const final = JSON.stringify(cardNow(h, card));
    expect(final).toContain("now *Running*");
    expect(final).toContain(image.CompShareImageId);
    expect(final).not.toContain("approval_approve");
    expect(checkBlockKit(cardNow(h, card), "message")).toEqual([]);
    expect(
      h.slack
        .callsTo("chat.postMessage")
        .filter((c) => c.args.channel === APPROVAL_CHANNEL && JSON.stringify(c.args).includes(card.requestId)),
    ).toHaveLength(1);
    // The requester hears where it ended.
    await h.slack.waitFor(() => dmsTo(h, ALICE.userId).some((dm) => dm.includes("done")), 5_000, "final DM");
  });

  it("with the snapshot option, keeps a custom image first and the card shows its id", async () => {
    const instance = runningInstance("plan-snapshot");
    const image = newImage("TensorFlow");
    if (!image) throw new Error("no available platform image");
    const card = await requestReinstall(h, ALICE, {
      instanceId: instance.UHostId,
      imageId: image.CompShareImageId,
      reason: "keep a copy first",
      stopFirst: true,
      startAfter: true,
      snapshotName: "before-cuda-12",
    });
    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 30_000);
    expect(done.status).toBe("succeeded");

    const mutations = callsFor(instance.UHostId).filter(
      (r) => r.action !== "DescribeCompShareInstance" && r.action !== "GetCompShareImageCreateProgress",
    );
    expect(mutations.map((r) => r.action)).toEqual([
      "StopCompShareInstance",
      "CreateCompShareCustomImage",
      "ReinstallCompShareInstance",
      "StartCompShareInstance",
    ]);
    expect(simCalls(h, "GetCompShareImageCreateProgress").length).toBeGreaterThan(0);
    const copy = h.sim.state.listCustomImages(h.sim.demoAccount.accountId).find((i) => i.Name === "before-cuda-12");
    expect(copy?.Status).toBe("Available");
    await h.slack.waitFor(() => JSON.stringify(cardNow(h, card)).includes("Every step is done"), 5_000, "final card");
    expect(JSON.stringify(cardNow(h, card))).toContain(copy?.CompShareImageId ?? "missing");
  });

  it("several instances in one zone: one approval, one card, each instance's outcome", async () => {
    const a = runningInstance("plan-multi-a");
    const b = runningInstance("plan-multi-b");
    const image = newImage("PyTorch 2.4");
    if (!image) throw new Error("no available platform image");
    const card = await requestReinstall(h, ALICE, {
      instanceIds: [a.UHostId, b.UHostId],
      imageId: image.CompShareImageId,
      reason: "both",
      stopFirst: true,
      startAfter: false,
    });
    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 30_000);
    expect(
      done.steps
        .filter((s) => s.status !== "done")
        .map((s) => [s.instanceId, s.action.kind, s.status, s.result?.problem]),
    ).toEqual([]);
    expect(done.status).toBe("succeeded");
    expect(
      simCalls(h, "ReinstallCompShareInstance").filter((r) => [a.UHostId, b.UHostId].includes(r.params.UHostId ?? "")),
    ).toHaveLength(2);
    expect(h.sim.state.getInstance(a.UHostId)?.CompShareImageId).toBe(image.CompShareImageId);
    expect(h.sim.state.getInstance(b.UHostId)?.CompShareImageId).toBe(image.CompShareImageId);
    await h.slack.waitFor(() => JSON.stringify(cardNow(h, card)).includes("Every step is done"), 5_000, "final card");
    const final = JSON.stringify(cardNow(h, card));
    expect(final).toContain(a.UHostId);
    expect(final).toContain(b.UHostId);
  });

  it("a Running and a Stopped instance in one request: only the Running one is stopped, both reinstalled", async () => {
    const running = runningInstance("mixed-running");
    const stopped = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "mixed-stopped", State: "Stopped" });
    const image = newImage("PyTorch 2.4");
    if (!image) throw new Error("no available platform image");
    const card = await requestReinstall(h, ALICE, {
      instanceIds: [running.UHostId, stopped.UHostId],
      imageId: image.CompShareImageId,
      reason: "mixed",
      stopFirst: true,
    });
    // The plan on the card already shows no stop for the Stopped one.
    const plan = JSON.stringify(cardNow(h, card));
    expect(plan.split("Stop the instance").length - 1).toBe(1);
    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 30_000);
    expect(done.status).toBe("succeeded");
    const calls = (action: string, id: string) => simCalls(h, action).filter((r) => r.params.UHostId === id);
    expect(calls("StopCompShareInstance", running.UHostId)).toHaveLength(1);
    expect(calls("StopCompShareInstance", stopped.UHostId)).toHaveLength(0);
    expect(calls("ReinstallCompShareInstance", running.UHostId)).toHaveLength(1);
    expect(calls("ReinstallCompShareInstance", stopped.UHostId)).toHaveLength(1);
  });

  it("leaks no secret into anything sent to Slack", () => {
    const sent = everythingSentToSlack(h.slack);
    for (const secret of h.secrets) expect(sent).not.toContain(secret);
  });
});
