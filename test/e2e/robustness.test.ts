import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRODUCTION_WEB_CLIENT } from "../../src/slack/app.ts";
import { ALICE, everythingSentToSlack, type Harness, startHarness, WEI } from "./harness.ts";

/** What reaches the bot that should not, what fails around it, and what must never leak out of it. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.login(ALICE);
  await h.login(WEI);
});
afterAll(async () => {
  await h?.stop();
});

async function replyTo(text: string, actor = ALICE) {
  const { responseId } = await h.send.command(text, actor);
  const [reply] = await h.slack.waitFor(
    () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
  );
  return JSON.stringify(reply?.body);
}

describe("request verification", () => {
  const form = new URLSearchParams({
    command: "/compshare",
    text: "help",
    user_id: ALICE.userId,
    team_id: "T0FAKE001",
  }).toString();

  it("rejects an unsigned request with 401 and runs nothing", async () => {
    const before = h.slack.responses.length;
    const response = await h.send.post(form, "application/x-www-form-urlencoded", { sign: false });
    expect(response.status).toBe(401);
    expect(h.slack.responses.length).toBe(before);
  });

  it("rejects a request signed with another secret", async () => {
    const response = await h.send.post(form, "application/x-www-form-urlencoded", { secret: "not-the-signing-secret" });
    expect(response.status).toBe(401);
  });

  it("rejects a correctly signed but stale request (older than 5 minutes)", async () => {
    const response = await h.send.post(form, "application/x-www-form-urlencoded", {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(response.status).toBe(401);
  });

  // With Bolt's own check off, any request target Bolt would route to its endpoint must meet the
  // guard first: the same pathname under a query, a fragment, absolute form, or a lower-case method.
  it.each([
    ["POST", "/slack/events?x=1"],
    ["POST", "/slack/events#x"],
    ["POST", "http://127.0.0.1/slack/events"],
    ["post", "/slack/events"],
  ])("refuses an unsigned %s %s with 401 and runs nothing", async (method, target) => {
    const before = h.slack.responses.length;
    const { port } = new URL(h.baseUrl);
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.end(
          `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
            `Content-Length: ${Buffer.byteLength(form)}\r\nConnection: close\r\n\r\n${form}`,
        );
      });
      let answer = "";
      socket.on("data", (chunk) => {
        answer += chunk.toString("latin1");
      });
      socket.on("end", () => resolve(answer.split(" ")[1] ?? ""));
      socket.on("error", reject);
    });
    // 401 from the guard; 400 or 404 would also mean Bolt never ran it, but nothing may pass.
    expect(["401", "400", "404"]).toContain(status);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.slack.responses.length).toBe(before);
  });

  // Bolt's own check is off; the receiver guard is the only one, and Slack signs its probe too.
  it("answers a signed ssl_check and refuses an unsigned one", async () => {
    const probe = { ssl_check: "1", token: "legacy-verification-token-unused" };
    expect((await h.send.postForm(probe)).status).toBe(200);
    expect((await h.send.postForm(probe, { sign: false })).status).toBe(401);
    expect((await h.send.postForm(probe, { secret: "not-the-signing-secret" })).status).toBe(401);
  });

  it("answers a malformed interactivity payload with 400 and no stack trace", async () => {
    const response = await h.send.postForm({ payload: "{not json" });
    expect(response.status).toBe(400);
    expect(response.text).not.toMatch(/at \w+/);
  });

  it("ignores a signed payload of an unknown shape without crashing", async () => {
    const response = await h.send.interaction({ type: "something_new", user: { id: ALICE.userId } });
    expect([200, 404]).toContain(response.status);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe("CompShare trouble", () => {
  it("an outage (HTTP 503 on every attempt) becomes a plain message, after the read retries", async () => {
    h.sim.faults.inject({ kind: "http", status: 503 });
    const before = h.sim.requests.length;
    try {
      const text = await replyTo("custom");
      expect(text).toContain("CompShare answered with HTTP 503");
      expect(text).not.toMatch(/CompShareHttpError|at \w+ \(/);
      expect(h.sim.requests.length - before).toBe(3);
    } finally {
      h.sim.faults.clear();
    }
  });

  it("a RetCode error is explained with RetCode and request id, in the user's language", async () => {
    h.sim.faults.inject({ kind: "retcode", retCode: 295, message: "account locked" }, { times: 1 });
    const text = await replyTo("shared", WEI);
    expect(text).toContain("安全锁定");
    expect(text).toMatch(/RetCode 295 · 请求 ID `[0-9a-f-]{36}`/);
  });

  it("a dropped connection and a malformed answer are each told plainly", async () => {
    h.sim.faults.inject({ kind: "drop" });
    try {
      expect(await replyTo("custom")).toContain("Could not reach CompShare");
    } finally {
      h.sim.faults.clear();
    }
    h.sim.faults.inject({ kind: "malformed" });
    try {
      expect(await replyTo("custom")).toContain("could not read");
    } finally {
      h.sim.faults.clear();
    }
  });

  it("rate limiting once is absorbed by the read retry", async () => {
    h.sim.faults.inject({ kind: "retcode", retCode: 153 }, { times: 1 });
    expect(await replyTo("custom")).toMatch(/My images: Showing/);
  });
});

describe("Slack trouble", () => {
  it("users.info failing falls back to the default language", async () => {
    h.slack.users.set("U0FAIL001", { locale: "zh-CN" });
    h.slack.fail("users.info", { kind: "error", error: "user_not_found" });
    expect(await replyTo("help", { userId: "U0FAIL001", teamId: "T0FAKE001" })).toContain("CompShare for Slack");
  });

  it("a 500 from views.open is logged and does not take the bot down", async () => {
    h.slack.fail("views.open", { kind: "status", status: 500 });
    const { response } = await h.send.command("login", ALICE);
    expect(response.status).toBe(200);
    await h.slack.waitFor(() => h.logs.text().includes("handler failed") || h.logs.text().includes("views.open"));
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe("an expired response_url", () => {
  it("is logged as an undeliverable reply, and the bot carries on", async () => {
    const id = randomUUID();
    h.slack.failResponseUrl(id, 404);
    const response = await h.send.postForm({
      team_id: "T0FAKE001",
      user_id: ALICE.userId,
      command: "/compshare",
      text: "help",
      response_url: h.slack.responseUrl(id),
      trigger_id: "trigger-expired",
    });
    expect(response.status).toBe(200);
    await h.slack.waitFor(() => h.logs.text().includes("Slack answered HTTP 404 to a response_url post"));
    expect(h.slack.responsesTo(id)).toEqual([]);
    expect(await replyTo("help")).toContain("CompShare for Slack");
  });
});

describe("Slack rate limiting, with the production retry policy", () => {
  it("a 429 is waited out (Retry-After) and retried, and the user gets an answer in their language", async () => {
    const prod = await startHarness({
      slack: h.slack,
      sim: h.sim,
      webClient: PRODUCTION_WEB_CLIENT,
      users: { U0RATE001: "zh-CN" },
    });
    try {
      h.slack.fail("users.info", { kind: "ratelimit", retryAfterSeconds: 1 });
      const { responseId } = await prod.send.command("help", { userId: "U0RATE001", teamId: "T0FAKE001" });
      const [reply] = await h.slack.waitFor(
        () => h.slack.responsesTo(responseId).length > 0 && h.slack.responsesTo(responseId),
      );
      expect(JSON.stringify(reply?.body)).toContain("优云智算");
      const lookups = h.slack.callsTo("users.info").filter((c) => c.args.user === "U0RATE001");
      expect(lookups).toHaveLength(2);
      expect((lookups[1]?.at ?? 0) - (lookups[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    } finally {
      await prod.stop();
    }
  });
});

describe("secrets", () => {
  it("appear in no log line, no Slack payload and no database byte", async () => {
    await replyTo("whoami");
    await replyTo("images");
    const logs = h.logs.text();
    const slack = everythingSentToSlack(h.slack);
    const db = await h.databaseBytes();
    expect(h.logs.lines.length).toBeGreaterThan(50);
    for (const secret of h.secrets) {
      expect(logs).not.toContain(secret);
      expect(slack).not.toContain(secret);
      expect(db.includes(Buffer.from(secret))).toBe(false);
    }
    // Signatures the client computed must not be logged either.
    for (const request of h.sim.requests) expect(JSON.stringify(request.params)).not.toContain("Signature");
    expect(logs).not.toMatch(/Signature["=:]+\s*"?[0-9a-f]{40}/);
  });
});
