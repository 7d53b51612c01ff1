import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctorCommand } from "../../src/cli/doctor-command.ts";
import { runStartCommand } from "../../src/cli/start-command.ts";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";
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

describe("when Slack gives no WebSocket URL", () => {
  let lonely: FakeSlack;
  let bot: Harness;
  let lonelyGateway: FakeSocketMode;
  beforeAll(async () => {
    lonely = await FakeSlack.start();
    lonelyGateway = await FakeSocketMode.start();
    lonely.socketModeAnswer = { ok: true };
    bot = await startHarness({
      slack: lonely,
      env: { SLACK_APP_TOKEN: "xapp-fake-app-token-nourl", SLACK_SIGNING_SECRET: "" },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await lonelyGateway?.close();
    await lonely?.close();
  });

  it("serves health at once, and /readyz says why it is not ready until the socket connects", async () => {
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${bot.baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain("without a WebSocket URL");
    expect((await fetch(`${bot.baseUrl}/metrics`)).status).toBe(200);

    // Slack starts handing out a URL; the client's next attempt connects and the bot is ready.
    lonely.socketModeAnswer = undefined;
    lonely.socketModeUrl = lonelyGateway.url;
    const status = await waitForReadyz(bot.baseUrl, 200);
    expect(status).toBe(200);
    expect(lonelyGateway.connections).toBe(1);
  });

  it("logs what happened in words, never `[object Object]`", () => {
    const text = bot.logs.text();
    expect(text).toContain("Slack answered apps.connections.open without a WebSocket URL");
    expect(text).not.toContain("[object Object]");
  });
});

describe("a rejected app token", () => {
  const world = useLoopbackWorld("socket-token");
  const env = () => ({
    SLACK_BOT_TOKEN: `xoxb-1-2-${randomBytes(8).toString("hex")}`,
    SLACK_APP_TOKEN: `xapp-1-A1-${randomBytes(8).toString("hex")}`,
    CREDENTIALS_KEY: randomBytes(32).toString("base64"),
    SLACK_API_URL: world.slack.apiUrl,
    COMPSHARE_API_URL: world.sim.url,
    DATABASE_URL: `sqlite:${join(world.dir, "socket.sqlite")}`,
    LOG_LEVEL: "silent",
    PORT: "0",
  });
  const capture = () => {
    const lines: string[] = [];
    return {
      io: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) },
      text: () => lines.join("\n"),
    };
  };

  it("stops start with a message naming SLACK_APP_TOKEN, not the bot token that auth.test accepted", async () => {
    world.slack.fail("apps.connections.open", { kind: "error", error: "invalid_auth" });
    const c = capture();
    const code = await runStartCommand([], c.io, env(), { stop: AbortSignal.abort() });
    expect(code).toBe(1);
    expect(c.text()).toContain("Slack rejected SLACK_APP_TOKEN (invalid_auth) at apps.connections.open");
    expect(c.text()).toContain("App-Level Tokens");
    expect(c.text()).not.toContain("SLACK_BOT_TOKEN");
    expect(world.slack.callsTo("auth.test").length).toBeGreaterThan(0);
  });

  it("makes doctor fail its Socket Mode check, naming SLACK_APP_TOKEN", async () => {
    world.slack.fail("apps.connections.open", { kind: "error", error: "invalid_auth" });
    const c = capture();
    expect(await runDoctorCommand([], c.io, env())).toBe(1);
    expect(c.text()).toMatch(/ok {2}\s+slack\s+bot token works/);
    expect(c.text()).toMatch(/FAIL\s+socket mode\s+Slack rejected SLACK_APP_TOKEN \(invalid_auth\)/);
    expect(c.text()).not.toContain("All checks passed");
  });

  it("doctor passes the Socket Mode check when the app token opens a connection", async () => {
    world.slack.socketModeUrl = "ws://127.0.0.1:9/unused";
    const c = capture();
    const settings = env();
    expect(await runDoctorCommand([], c.io, settings)).toBe(0);
    expect(c.text()).toMatch(/ok {2}\s+socket mode\s+app token works/);
    expect(world.slack.callsTo("apps.connections.open").at(-1)?.token).toBe(settings.SLACK_APP_TOKEN);
  });
});

async function waitForReadyz(baseUrl: string, wanted: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(`${baseUrl}/readyz`)).status;
    if (status === wanted) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return status;
}
