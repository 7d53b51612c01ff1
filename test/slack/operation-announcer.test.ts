import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { type Operation, type OperationEvent, planSteps } from "../../src/domain/operations/index.ts";
import { createWebClients } from "../../src/slack/app.ts";
import { createOperationAnnouncer, type Timers } from "../../src/slack/operation-announcer.ts";
import { FakeSlack } from "../e2e/fake-slack.ts";
import { memoryLogger } from "../helpers/memory-log.ts";

/**
 * The card's edits against a loopback Slack, with the clock and the timers injected: at most one
 * chat.update per card every 2 s, the newest state wins, and a 429 never loses the final state.
 */

class ManualTimers implements Timers {
  now = 0;
  #queue: { at: number; run: () => void; id: number }[] = [];
  #next = 0;
  setTimeout(run: () => void, ms: number): unknown {
    this.#next += 1;
    this.#queue.push({ at: this.now + ms, run, id: this.#next });
    return this.#next;
  }
  clearTimeout(handle: unknown): void {
    this.#queue = this.#queue.filter((t) => t.id !== handle);
  }
  /** Moves the clock and runs what came due, in order. */
  advance(ms: number): void {
    this.now += ms;
    for (;;) {
      const due = this.#queue.filter((t) => t.at <= this.now).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.#queue = this.#queue.filter((t) => t !== due);
      due.run();
    }
  }
  get armed(): number {
    return this.#queue.length;
  }
}

let slack: FakeSlack;
beforeAll(async () => {
  slack = await FakeSlack.start();
});
afterAll(() => slack.close());

function setUp() {
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: "xoxb-fake-announcer",
    SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
    SLACK_API_URL: slack.apiUrl,
    CREDENTIALS_KEY: Buffer.alloc(32, 1).toString("base64"),
  });
  if (!parsed.ok) throw new Error(`config: ${JSON.stringify(parsed.problems)}`);
  const timers = new ManualTimers();
  const { logger } = memoryLogger("silent");
  const clients = createWebClients(parsed.config, { retries: 0, timeoutMs: 5_000 });
  const announcer = createOperationAnnouncer({
    services: {
      config: parsed.config,
      logger,
      locales: { resolve: async () => "en", peek: () => "en" } as never,
    },
    cardClient: clients.card,
    client: clients.general,
    clock: () => timers.now,
    timers,
  });
  return { timers, announcer };
}

let serial = 0;
/** The card's operation at its `version`-th state; the version is written into the reason to see which was drawn. */
function operationAt(ts: string, version: number): Operation {
  const targets = [{ instanceId: "uhost-abc1", name: "box", stateBefore: "Running" }];
  const steps = planSteps("reinstall", targets, {
    image: { id: "compshareImage-x" },
    stopFirst: true,
    startAfter: true,
  });
  return {
    id: "req_abcdefghijklmnop",
    teamId: "T1",
    kind: "reinstall",
    requesterId: "U0ALICE01",
    region: "cn-wlcb",
    zone: "cn-wlcb-01",
    reason: `version ${version}`,
    status: "executing",
    decidedBy: "U0BOB0001",
    decidedAt: new Date(0),
    createdAt: new Date(0),
    updatedAt: new Date(version),
    expiresAt: new Date(86_400_000),
    channelId: "C0APPROVE1",
    messageTs: ts,
    approvalsRequired: 1,
    approvals: [],
    targets,
    steps: steps.map((step, position) => ({
      requestId: "req_abcdefghijklmnop",
      position,
      instanceId: step.instanceId,
      action: step.action,
      status: position < version ? "done" : "pending",
      attempts: 0,
      sent: position < version,
      updatedAt: new Date(version),
    })),
  };
}

function stepChanged(operation: Operation): OperationEvent {
  const step = operation.steps[0];
  if (!step) throw new Error("no step");
  return { type: "step-changed", operation, step };
}

async function postCard(): Promise<string> {
  serial += 1;
  const posted = (await (
    await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ channel: "C0APPROVE1", text: `card ${serial}` }),
    })
  ).json()) as { ts: string };
  return posted.ts;
}

function editsOf(ts: string) {
  return slack.callsTo("chat.update").filter((c) => c.args.ts === ts);
}

describe("card edits", () => {
  it("coalesce to at most one chat.update per card every 2 s, carrying the newest state", async () => {
    const { timers, announcer } = setUp();
    const ts = await postCard();
    for (let v = 1; v <= 5; v += 1) await announcer.hear(stepChanged(operationAt(ts, v)));
    timers.advance(0);
    await slack.waitFor(() => editsOf(ts).length === 1, 5_000, "first edit");
    expect(JSON.stringify(editsOf(ts)[0]?.args)).toContain("version 5");
    // Let Slack's answer arrive: the card is idle, and its last edit's time must still hold the next back.
    await new Promise((resolve) => setTimeout(resolve, 100));

    timers.advance(500);
    for (let v = 6; v <= 8; v += 1) await announcer.hear(stepChanged(operationAt(ts, v)));
    timers.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(editsOf(ts)).toHaveLength(1);
    timers.advance(500);
    await slack.waitFor(() => editsOf(ts).length === 2, 5_000, "second edit, 2 s after the first");
    expect(JSON.stringify(editsOf(ts)[1]?.args)).toContain("version 8");
    expect(timers.armed).toBe(0);
  });

  it("a 429 puts the edit back after Retry-After, and the final state still lands", async () => {
    const { timers, announcer } = setUp();
    const ts = await postCard();
    slack.fail("chat.update", { kind: "ratelimit", retryAfterSeconds: 5 }, 1, (a) => a.ts === ts);
    await announcer.hear(stepChanged(operationAt(ts, 1)));
    timers.advance(0);
    await slack.waitFor(() => editsOf(ts).length === 1, 5_000, "the refused edit");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The final state arrives while Slack still says wait.
    const final = { ...operationAt(ts, 6), status: "succeeded" as const };
    await announcer.hear({ type: "plan-finished", operation: final });
    timers.advance(4_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(editsOf(ts)).toHaveLength(1);
    timers.advance(1_000);
    await slack.waitFor(() => editsOf(ts).length === 2, 5_000, "the final edit");
    expect(JSON.stringify(editsOf(ts)[1]?.args)).toContain("Every step is done");
  });

  it("drain sends what is waiting at once (shutdown)", async () => {
    const { timers, announcer } = setUp();
    const ts = await postCard();
    await announcer.hear(stepChanged(operationAt(ts, 1)));
    timers.advance(0);
    await slack.waitFor(() => editsOf(ts).length === 1);
    await announcer.hear(stepChanged(operationAt(ts, 2)));
    await announcer.drain();
    expect(editsOf(ts)).toHaveLength(2);
    expect(timers.armed).toBe(0);
  });
});
