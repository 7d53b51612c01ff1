import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FAKE_TEAM_ID, FakeSlack } from "./fake-slack.ts";
import { FakeSocketMode } from "./fake-socket-mode.ts";
import { ALICE, type Harness, startHarness } from "./harness.ts";

/** With SLACK_APP_TOKEN the bot takes Slack's requests over Socket Mode, found through SLACK_API_URL. */

let slack: FakeSlack;
let gateway: FakeSocketMode;
let h: Harness;
beforeAll(async () => {
  slack = await FakeSlack.start();
  gateway = await FakeSocketMode.start();
  slack.socketModeUrl = gateway.url;
  h = await startHarness({ slack, env: { SLACK_APP_TOKEN: "xapp-fake-app-token-abcdef", SLACK_SIGNING_SECRET: "" } });
});
afterAll(async () => {
  await h?.stop();
  await gateway?.close();
  await slack?.close();
});

it("connects through apps.connections.open on SLACK_API_URL with the app token", async () => {
  const open = await slack.waitFor(() => slack.callsTo("apps.connections.open")[0]);
  expect(open.token).toBe("xapp-fake-app-token-abcdef");
  await slack.waitFor(() => gateway.connections > 0);
});

it("answers a slash command delivered as an envelope, acking it over the socket", async () => {
  const responseId = randomUUID();
  const envelope = gateway.push("slash_commands", {
    team_id: FAKE_TEAM_ID,
    user_id: ALICE.userId,
    channel_id: "C0WORK001",
    command: "/compshare",
    text: "help",
    response_url: slack.responseUrl(responseId),
    trigger_id: "trigger-socket",
  });
  const [reply] = await slack.waitFor(() => slack.responsesTo(responseId).length > 0 && slack.responsesTo(responseId));
  expect(JSON.stringify(reply?.body)).toContain("/compshare login");
  expect(gateway.acks.map((a) => a.envelope_id)).toContain(envelope);
});

it("keeps health, readiness and metrics on PORT", async () => {
  expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
  expect(await (await fetch(`${h.baseUrl}/metrics`)).text()).toContain("compshare_bot_commands_total");
  expect((await fetch(`${h.baseUrl}/slack/events`, { method: "POST" })).status).toBe(404);
});
