import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_ACTION, LOGIN_BLOCKS, LOGIN_CALLBACK } from "../../src/slack/views/keys.ts";
import { REINSTALL_CALLBACK } from "../../src/slack/views/reinstall-modal.ts";
import { FAKE_TEAM_ID } from "./fake-slack.ts";
import { ALICE, type Harness, startHarness } from "./harness.ts";
import {
  APPROVAL_CHANNEL,
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  requestValues,
} from "./reinstall-steps.ts";
import { signSlackBody } from "./slack-requests.ts";

/**
 * What stands between the network and Bolt (issue 12, items 1–4): signed bodies Slack would never
 * send, timestamps outside the window, and deliveries that come more than once.
 */

const FORM = "application/x-www-form-urlencoded";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: REINSTALL_ENV, users: REINSTALL_USERS });
  await h.login(ALICE);
});
afterAll(async () => {
  await h?.stop();
});

/** One signed POST, with exactly these bytes and headers, as often as a test repeats it. */
async function post(
  body: string,
  contentType: string,
  options: { timestamp?: number; headers?: Record<string, string> } = {},
) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const startedAt = performance.now();
  const response = await fetch(new URL("/slack/events", h.baseUrl), {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlackBody(h.env.SLACK_SIGNING_SECRET ?? "", timestamp, body),
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text(), ms: performance.now() - startedAt };
}

const payloadForm = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

function warningsSince(mark: number): string[] {
  return h.logs
    .records()
    .slice(mark)
    .filter((r) => r.level === 40)
    .map((r) => String(r.msg));
}

const user = { id: ALICE.userId, team_id: FAKE_TEAM_ID };
const team = { id: FAKE_TEAM_ID };

describe("bodies Slack would never send (items 1 and 2)", () => {
  it("a signed payload of JSON null, or a JSON body of null, is a 400 and the bot keeps serving", async () => {
    expect((await post(new URLSearchParams({ payload: "null" }).toString(), FORM)).status).toBe(400);
    expect((await post("null", "application/json")).status).toBe(400);
    expect((await post("[]", "application/json")).status).toBe(400);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await h.send.command("help", ALICE)).response.status).toBe(200);
  });

  const malformed: [string, unknown][] = [
    ["block_actions without user", { type: "block_actions", team, trigger_id: "t", actions: [{ action_id: "x" }] }],
    ["block_actions with empty actions", { type: "block_actions", user, team, trigger_id: "t", actions: [] }],
    ["view_submission without view", { type: "view_submission", user, team }],
    [
      "view_submission without state",
      { type: "view_submission", user, team, view: { id: "V0X", hash: "h", callback_id: "c", private_metadata: "" } },
    ],
    ["payload {}", {}],
    ["block_suggestion without value", { type: "block_suggestion", user, team, action_id: "a", block_id: "b" }],
    ["event_callback without event", { type: "event_callback", team_id: FAKE_TEAM_ID, event_id: "Ev1" }],
  ];

  it.each(malformed)("%s: 400 at once, one warning, nothing run", async (_what, payload) => {
    const mark = h.logs.lines.length;
    const calls = h.slack.calls.length;
    const answered = await post(payloadForm(payload), FORM);
    expect(answered.status).toBe(400);
    expect(answered.text).toBe("");
    // Measured well under 100 ms; the bound here only tells an answer from Bolt's 3-second wait.
    expect(answered.ms).toBeLessThan(1000);
    expect(warningsSince(mark)).toEqual([expect.stringMatching(/^refused a Slack request: /)]);
    expect(h.slack.calls.length).toBe(calls);
  });

  it("the warning names the missing fields but never a value", async () => {
    const mark = h.logs.lines.length;
    await post(payloadForm({ type: "view_submission", user: { id: "U0SECRETVALUE" }, team }), FORM);
    const line = h.logs.lines.slice(mark).join("\n");
    expect(line).toContain("view: invalid_type");
    expect(line).not.toContain("U0SECRETVALUE");
  });

  it("a slash command without its response_url is a 400", async () => {
    const form = new URLSearchParams({ command: "/compshare", text: "help", team_id: FAKE_TEAM_ID, user_id: "U0X" });
    expect((await post(form.toString(), FORM)).status).toBe(400);
  });

  it("a signed delivery of a kind the bot does not handle gets an empty 200 at once", async () => {
    const answered = await post(payloadForm({ type: "message_action", user, team }), FORM);
    expect(answered.status).toBe(200);
    expect(answered.ms).toBeLessThan(1000);
  });
});

describe("the signed timestamp (item 3)", () => {
  const form = () =>
    new URLSearchParams({
      command: "/compshare",
      text: "help",
      team_id: FAKE_TEAM_ID,
      user_id: ALICE.userId,
      response_url: h.slack.responseUrl(randomUUID()),
      trigger_id: "trigger-window",
    }).toString();
  const now = () => Math.floor(Date.now() / 1000);

  it("refuses a timestamp an hour ahead, and one just over 5 minutes ahead or behind", async () => {
    expect((await post(form(), FORM, { timestamp: now() + 3600 })).status).toBe(401);
    expect((await post(form(), FORM, { timestamp: now() + 5 * 60 + 30 })).status).toBe(401);
    expect((await post(form(), FORM, { timestamp: now() - 5 * 60 - 30 })).status).toBe(401);
  });

  it("accepts one a few minutes off either way (clock skew)", async () => {
    expect((await post(form(), FORM, { timestamp: now() + 4 * 60 })).status).toBe(200);
    expect((await post(form(), FORM, { timestamp: now() - 4 * 60 })).status).toBe(200);
  });
});

describe("each delivery handled once (item 4)", () => {
  it("the same signed view_submission three times makes one approval request and one card", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, {
      Name: "replayed-box",
      GpuType: "4090",
      GPU: 1,
    });
    const image = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4");
    const body = payloadForm({
      type: "view_submission",
      user,
      team,
      api_app_id: "A0APP0001",
      trigger_id: `trigger-${randomUUID()}`,
      view: {
        id: `VREPLAY${randomUUID().slice(0, 6)}`,
        type: "modal",
        callback_id: REINSTALL_CALLBACK,
        private_metadata: "{}",
        hash: randomUUID(),
        state: {
          values: requestValues({
            instanceId: instance.UHostId,
            imageId: image.CompShareImageId,
            reason: "replay check",
          }),
        },
      },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await post(body, FORM, { timestamp }));
    // Re-signed later (a double click on Submit sends the same view and hash again).
    answers.push(await post(body, FORM, { timestamp: timestamp + 2 }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(JSON.parse(answers[0]?.text ?? "{}").response_action).toBe("update");
    const cardsFor = () =>
      h.slack
        .callsTo("chat.postMessage")
        .filter((c) => c.args.channel === APPROVAL_CHANNEL && JSON.stringify(c.args).includes(instance.UHostId));
    await h.slack.waitFor(() => cardsFor().length > 0);
    await h.bot.services.inFlight.drain(5_000);
    const requests = (await h.bot.services.store.operations.listForRequester(FAKE_TEAM_ID, ALICE.userId)).filter((r) =>
      r.targets.some((t) => t.instanceId === instance.UHostId),
    );
    expect(requests).toHaveLength(1);
    expect(cardsFor()).toHaveLength(1);
  });

  it("a replayed slash command makes one CompShare call", async () => {
    const responseId = randomUUID();
    const body = new URLSearchParams({
      command: "/compshare",
      text: "custom",
      team_id: FAKE_TEAM_ID,
      user_id: ALICE.userId,
      channel_id: "C0WORK001",
      response_url: h.slack.responseUrl(responseId),
      trigger_id: `trigger-${randomUUID()}`,
    }).toString();
    const before = h.sim.requests.length;
    const timestamp = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 3; i += 1) expect((await post(body, FORM, { timestamp })).status).toBe(200);
    await h.slack.waitFor(() => h.slack.responsesTo(responseId).length > 0);
    await h.bot.services.inFlight.drain(5_000);
    expect(h.sim.requests.slice(before).filter((r) => r.action === "DescribeCompShareCustomImages")).toHaveLength(1);
    expect(h.slack.responsesTo(responseId)).toHaveLength(1);
    // The ledger keeps a digest of the delivery's identity, never the signature itself.
    const signature = signSlackBody(h.env.SLACK_SIGNING_SECRET ?? "", timestamp, body).slice(3);
    expect((await h.databaseBytes()).includes(signature)).toBe(false);
  });

  it("an event is handled once by event_id, and a retry (X-Slack-Retry-Num) is acknowledged without running", async () => {
    const publishes = () => h.slack.callsTo("views.publish").filter((c) => c.args.user_id === ALICE.userId).length;
    const event = (eventId: string) =>
      JSON.stringify({
        token: "legacy-verification-token-unused",
        team_id: FAKE_TEAM_ID,
        api_app_id: "A0APP0001",
        type: "event_callback",
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        event: { type: "app_home_opened", user: ALICE.userId, channel: "D0ALICE01", tab: "home" },
      });
    const before = publishes();
    const first = `Ev${randomUUID().replaceAll("-", "").slice(0, 10)}`;
    expect((await post(event(first), "application/json")).status).toBe(200);
    await h.slack.waitFor(() => publishes() > before);
    // Slack's retry of the same event (re-signed, with the retry headers), then a bare replay.
    const retryHeaders = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
    expect((await post(event(first), "application/json", { headers: retryHeaders })).status).toBe(200);
    expect(
      (await post(event(first), "application/json", { timestamp: Math.floor(Date.now() / 1000) - 1 })).status,
    ).toBe(200);
    const second = `Ev${randomUUID().replaceAll("-", "").slice(0, 10)}`;
    expect((await post(event(second), "application/json", { headers: retryHeaders })).status).toBe(200);
    await h.bot.services.inFlight.drain(5_000);
    expect(publishes()).toBe(before + 1);
  });

  it("a submission answered with field errors may be sent again once fixed", async () => {
    const view = { id: `VLOGIN${randomUUID().slice(0, 6)}`, hash: randomUUID() };
    const submit = (privateKey: string) =>
      h.send.submitView(
        { userId: "U0FIXER01", teamId: FAKE_TEAM_ID },
        {
          ...view,
          callback_id: LOGIN_CALLBACK,
          values: {
            [LOGIN_BLOCKS.publicKey]: {
              [LOGIN_ACTION]: { type: "plain_text_input", value: h.sim.demoAccount.publicKey },
            },
            [LOGIN_BLOCKS.privateKey]: { [LOGIN_ACTION]: { type: "plain_text_input", value: privateKey } },
            [LOGIN_BLOCKS.region]: { [LOGIN_ACTION]: { type: "plain_text_input", value: "cn-wlcb" } },
            [LOGIN_BLOCKS.zone]: { [LOGIN_ACTION]: { type: "plain_text_input", value: "cn-wlcb-01" } },
            [LOGIN_BLOCKS.projectId]: { [LOGIN_ACTION]: { type: "plain_text_input", value: null } },
          },
        },
      );
    const wrong = await submit("not-the-private-key");
    expect((wrong.json() as { response_action?: string }).response_action).toBe("errors");
    const fixed = await submit(h.sim.demoAccount.privateKey);
    expect((fixed.json() as { response_action?: string }).response_action).toBe("update");
  });
});
