import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { FakeSlack } from "./fake-slack.ts";
import { ALICE, BOB, type Harness, startHarness, WEI } from "./harness.ts";
import {
  cardNow,
  clickCard,
  dmsTo,
  platformImageNamed,
  REINSTALL_ENV,
  REINSTALL_USERS,
  reinstallCalls,
  requestReinstall,
  settled,
  storedRequest,
  until,
} from "./reinstall-steps.ts";

/** When the outcome cannot be known: a call that times out after sending, and a bot that dies mid-call. */

describe("a reinstall call that times out after sending", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: REINSTALL_ENV, users: REINSTALL_USERS, compshareDeadlineMs: 300 });
    await h.login(ALICE);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("is recorded as unknown, says to check the console, and is never retried", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "slow-box" });
    const imageId = platformImageNamed(h, "Ubuntu 22.04 CUDA 12.4").CompShareImageId;
    const card = await requestReinstall(h, ALICE, { instanceId: instance.UHostId, imageId, reason: "slow" });
    h.sim.faults.inject({ kind: "latency", ms: 600 }, { actions: ["ReinstallCompShareInstance"], times: 1 });
    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"]);
    expect(done.status).toBe("unknown");
    const shown = await h.slack.waitFor(() => {
      const text = JSON.stringify(cardNow(h, card));
      return text.includes("outcome is unknown") && text;
    });
    expect(shown).toContain("Check the instance in the CompShare console");
    expect(shown).toContain("never retries");
    const dm = await h.slack.waitFor(() => dmsTo(h, ALICE.userId).find((d) => d.includes("outcome is unknown")));
    expect(dm).toContain("slow-box");
    // The simulator records a request when it answers it, after the injected latency.
    await until(async () => reinstallCalls(h).some((r) => r.params.UHostId === instance.UHostId));
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId)).toHaveLength(1);
    const failure = h.logs
      .records()
      .find((r) => r.action === "ReinstallCompShareInstance" && r.code === "outcome_unknown");
    expect(failure).toMatchObject({ attempts: 1 });
  });
});

describe("a restart while a reinstall was in flight", () => {
  let slack: FakeSlack;
  let sim: Simulator;
  let dir: string;
  const env = () => ({
    ...REINSTALL_ENV,
    DATABASE_URL: `sqlite:${join(dir, "shared.sqlite")}`,
    CREDENTIALS_KEY: credentialsKey,
  });
  const credentialsKey = randomBytes(32).toString("base64");

  beforeAll(async () => {
    slack = await FakeSlack.start();
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), "compshare-restart-"));
  });
  afterAll(async () => {
    await sim?.close();
    await slack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("marks it unknown at start and updates its card and the requester, in the workspace's language", async () => {
    const before = await startHarness({ slack, sim, env: env(), users: REINSTALL_USERS });
    let cardAt: { channel: string; ts: string; requestId: string };
    let expiringId: string;
    let offsetMs = 0;
    try {
      await before.login(WEI);
      const imageId = platformImageNamed(before, "Ubuntu 22.04 CUDA 12.4").CompShareImageId;
      const box = sim.state.addInstance(sim.demoAccount.accountId, { Name: "crash-box" });
      const card = await requestReinstall(before, WEI, { instanceId: box.UHostId, imageId, reason: "重启测试" });
      cardAt = card;
      // What a process that died mid-call leaves behind: the request executing, no outcome.
      const { approvals } = before.bot.services.store;
      expect((await approvals.transition(card.requestId, "pending", "approved", { decidedBy: BOB.userId })).ok).toBe(
        true,
      );
      expect((await approvals.transition(card.requestId, "approved", "executing")).ok).toBe(true);
      // And one nobody decided, whose time runs out while the bot is down.
      const idle = sim.state.addInstance(sim.demoAccount.accountId, { Name: "idle-box" });
      expiringId = (await requestReinstall(before, WEI, { instanceId: idle.UHostId, imageId, reason: "等待" }))
        .requestId;
    } finally {
      await before.stop();
    }

    offsetMs = 25 * 3_600_000;
    const after = await startHarness({
      slack,
      sim,
      env: { ...env(), DEFAULT_LOCALE: "zh-CN" },
      users: REINSTALL_USERS,
      clock: () => Date.now() + offsetMs,
    });
    try {
      const shown = await slack.waitFor(() => {
        const text = JSON.stringify(cardNow(after, cardAt));
        return text.includes("机器人重启了") && text;
      });
      expect(shown).toContain("结果未知");
      expect(checkBlockKit(cardNow(after, cardAt), "message")).toEqual([]);
      const crashed = await storedRequest(after, cardAt.requestId);
      expect(crashed.status).toBe("unknown");
      expect(await storedRequest(after, expiringId)).toMatchObject({ status: "expired" });
      const dms = await slack.waitFor(() => {
        const found = dmsTo(after, WEI.userId).filter((d) => d.includes("机器人重启了") || d.includes("无人审批"));
        return found.length === 2 && found;
      });
      expect(dms.join()).toContain("crash-box");
      expect(reinstallCalls(after).filter((r) => r.params.UHostId === crashed.instanceId)).toHaveLength(0);
      const audit = await after.bot.services.store.audit.query({ teamId: ALICE.teamId ?? "" });
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["reinstall.interrupted", "reinstall.expire"]));
    } finally {
      await after.stop();
    }
  });
});
