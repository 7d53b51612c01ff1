import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_NOTES } from "../../src/domain/operations/index.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { REINSTALL_BLOCKS } from "../../src/slack/views/reinstall-modal.ts";
import { ALICE, type Harness, startHarness } from "./harness.ts";
import {
  APPROVAL_CHANNEL,
  BOB_ID,
  cardEdits,
  cardFor,
  cardNow,
  clickCard,
  REINSTALL_ENV,
  REINSTALL_USERS,
  requestReinstall,
  settled,
  simCalls,
  submitRequest,
} from "./reinstall-steps.ts";

/**
 * Issue 10's bad input and faults, and issue 12 items 5 and 11: each ends in a clear message on
 * the card (or in the form) and in the store, nothing sent twice, nothing stranded.
 */

const BOB = { userId: BOB_ID, teamId: ALICE.teamId, channelId: APPROVAL_CHANNEL };
const fastPolls = { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 100))) };

let h: Harness;
let imageId = "";

beforeAll(async () => {
  h = await startHarness({
    env: REINSTALL_ENV,
    users: REINSTALL_USERS,
    opSeconds: 0.3,
    engine: fastPolls,
    cardEditIntervalMs: 100,
    // The production policy: the Web API client would retry a 500, which is how two cards got posted.
    webClient: { retries: 2, timeoutMs: 5_000 },
  });
  await h.login(ALICE);
  imageId = h.sim.state.listPlatformImages().find((i) => i.Status === "Available")?.CompShareImageId ?? "";
});
afterAll(() => h.stop());

function runningInstance(name: string, fields: { Zone?: string } = {}) {
  return h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: name, State: "Running", ...fields });
}

function text(value: unknown): string {
  return JSON.stringify(value);
}

function cardsFor(instanceId: string) {
  return [...h.slack.messages.entries()].filter(
    ([key, message]) => key.startsWith(`${APPROVAL_CHANNEL}/`) && text(message).includes(instanceId),
  );
}

describe("posting the card", () => {
  it("one card for one request when chat.postMessage posts and then answers 500", async () => {
    const instance = runningInstance("post-500");
    h.slack.fail(
      "chat.postMessage",
      { kind: "statusAfterEffect", status: 500 },
      1,
      (a) => a.channel === APPROVAL_CHANNEL,
    );
    const before = h.slack.callsTo("chat.postMessage").length;
    const response = await submitRequest(h, ALICE, { instanceId: instance.UHostId, imageId, reason: "flaky slack" });
    expect(response.status).toBe(200);
    const card = await cardFor(h, instance.UHostId, before);
    // Posted once (no client retry), found again by its marker, and stored: the request stays decidable.
    const posts = h.slack
      .callsTo("chat.postMessage")
      .slice(before)
      .filter((c) => c.args.channel === APPROVAL_CHANNEL);
    expect(posts).toHaveLength(1);
    expect(h.slack.callsTo("conversations.history").length).toBeGreaterThan(0);
    expect(cardsFor(instance.UHostId)).toHaveLength(1);
    const stored = await settled(h, card.requestId, ["pending"]);
    expect(stored.messageTs).toBe(card.ts);
  });

  it("a rate-limited post says Slack is rate limiting and when to try again, and withdraws the request", async () => {
    const instance = runningInstance("post-429");
    h.slack.fail(
      "chat.postMessage",
      { kind: "ratelimit", retryAfterSeconds: 42 },
      1,
      (a) => a.channel === APPROVAL_CHANNEL,
    );
    await submitRequest(h, ALICE, { instanceId: instance.UHostId, imageId, reason: "busy", viewId: "VREQ429" });
    const update = await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.update")
        .find((c) => c.args.view_id === "VREQ429" && text(c.args.view).includes("rate-limiting")),
    );
    expect(text(update.args.view)).toContain("Try again in 42 s");
    expect(text(update.args.view)).not.toContain("invite the bot");
    const mine = await h.bot.services.operations.listForRequester(ALICE.teamId ?? "", ALICE.userId);
    expect(mine.find((r) => r.targets[0]?.instanceId === instance.UHostId)).toMatchObject({
      status: "cancelled",
      note: OPERATION_NOTES.cardNotPosted,
    });
    expect(cardsFor(instance.UHostId)).toHaveLength(0);
  });
});

describe("bad input in the form", () => {
  it("more than 20 instances, and instances in different zones, are refused inline", async () => {
    const many = Array.from({ length: 21 }, (_, i) => `uhost-many${i}`);
    const tooMany = (await submitRequest(h, ALICE, { instanceIds: many, imageId, reason: "all" })).json() as {
      errors: Record<string, string>;
    };
    expect(tooMany.errors[REINSTALL_BLOCKS.instance]).toContain("at most 20");
    const a = runningInstance("zone-a");
    const b = runningInstance("zone-b", { Zone: "cn-wlcb-02" });
    const mixed = (
      await submitRequest(h, ALICE, { instanceIds: [a.UHostId, b.UHostId], imageId, reason: "two" })
    ).json() as {
      errors: Record<string, string>;
    };
    // DescribeCompShareInstance lists the whole region (the client sends it no Zone): both are seen, in two zones.
    expect(mixed.errors[REINSTALL_BLOCKS.instance]).toContain("one zone");
    expect(mixed.errors[REINSTALL_BLOCKS.instance]).toContain("cn-wlcb-01");
    expect(mixed.errors[REINSTALL_BLOCKS.instance]).toContain("cn-wlcb-02");
    expect(cardsFor(a.UHostId)).toHaveLength(0);
  });
});

describe("faults while the plan runs", () => {
  async function approved(name: string) {
    const instance = runningInstance(name);
    const card = await requestReinstall(h, ALICE, {
      instanceId: instance.UHostId,
      imageId,
      reason: name,
      stopFirst: true,
      startAfter: true,
    });
    return { instance, card };
  }

  it("an image that does not support the GPU type (226603): failed at the reinstall, said in words, nothing resent", async () => {
    const { instance, card } = await approved("gpu-mismatch");
    h.sim.faults.inject(
      { kind: "retcode", retCode: 226603, message: "image does not support this GPU type" },
      { actions: ["ReinstallCompShareInstance"], times: 1 },
    );
    await clickCard(h, BOB, card, "approve");
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000)).status).toBe("failed");
    const shown = text(await h.slack.waitFor(() => text(cardNow(h, card)).includes("failed step") && cardNow(h, card)));
    expect(shown).toContain(h.bot.services.config.defaultLocale === "en" ? "RetCode 226603" : "226603");
    expect(shown).not.toContain("approval_approve");
    const mine = (r: { params: Record<string, string> }) => r.params.UHostId === instance.UHostId;
    expect(simCalls(h, "ReinstallCompShareInstance").filter(mine)).toHaveLength(1);
    expect(simCalls(h, "StartCompShareInstance").filter(mine)).toHaveLength(0);
    expect(checkBlockKit(cardNow(h, card), "message")).toEqual([]);
  });

  it("an instance deleted mid-plan: the card says it no longer exists, nothing is sent after", async () => {
    const { instance, card } = await approved("deleted-mid-plan");
    h.sim.faults.inject({ kind: "deleteInstance" }, { actions: ["StopCompShareInstance"], times: 1 });
    await clickCard(h, BOB, card, "approve");
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000)).status).toBe("failed");
    await h.slack.waitFor(() => text(cardNow(h, card)).includes("no longer exists"), 5_000, "instance gone");
    const mine = (r: { params: Record<string, string> }) => r.params.UHostId === instance.UHostId;
    expect(simCalls(h, "ReinstallCompShareInstance").filter(mine)).toHaveLength(0);
  });

  it("a transition that ends in Install Fail: the card names the state", async () => {
    const { card } = await approved("install-fail");
    h.sim.faults.inject({ kind: "installFail" }, { actions: ["ReinstallCompShareInstance"], times: 1 });
    await clickCard(h, BOB, card, "approve");
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000)).status).toBe("failed");
    await h.slack.waitFor(() => text(cardNow(h, card)).includes("Install Fail"), 5_000, "Install Fail on the card");
  });

  it("chat.update rate-limited while progress flows: the card still ends in the final state", async () => {
    const { instance, card } = await approved("edit-429");
    const edits = cardEdits(h, card).length;
    h.slack.fail(
      "chat.update",
      { kind: "ratelimit", retryAfterSeconds: 1 },
      3,
      (a) => a.channel === card.channel && a.ts === card.ts,
    );
    await clickCard(h, BOB, card, "approve");
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"], 20_000)).status).toBe("succeeded");
    await h.slack.waitFor(() => text(cardNow(h, card)).includes("Every step is done"), 15_000, "final card after 429s");
    expect(cardEdits(h, card).length - edits).toBeGreaterThanOrEqual(4);
    expect(text(cardNow(h, card))).toContain("now *Running*");
    expect(h.sim.state.getInstance(instance.UHostId)?.State).toBe("Running");
  });
});
