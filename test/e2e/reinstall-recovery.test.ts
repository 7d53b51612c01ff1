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

const fastPolls = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 50)));

describe("a reinstall call whose answer is lost", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: REINSTALL_ENV,
      users: REINSTALL_USERS,
      compshareDeadlineMs: 300,
      engine: { sleep: fastPolls, deadlines: { reinstall: 3_000, "wait-for-state": 3_000 } },
      cardEditIntervalMs: 50,
    });
    await h.login(ALICE);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("landed anyway: settled from DescribeCompShareInstance as done, never sent again", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "slow-box" });
    // Another image than the one on it: only then does the image on the instance prove the reinstall landed.
    const imageId =
      h.sim.state
        .listPlatformImages()
        .find((i) => i.Status === "Available" && i.CompShareImageId !== instance.CompShareImageId)?.CompShareImageId ??
      "";
    const card = await requestReinstall(h, ALICE, { instanceId: instance.UHostId, imageId, reason: "slow" });
    h.sim.faults.inject({ kind: "latency", ms: 600 }, { actions: ["ReinstallCompShareInstance"], times: 1 });
    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"]);
    expect(done.status).toBe("succeeded");
    expect(done.steps.find((s) => s.action.kind === "reinstall")?.result?.reconciled).toBe(true);
    // The simulator records a request when it answers it, after the injected latency.
    await until(async () => reinstallCalls(h).some((r) => r.params.UHostId === instance.UHostId));
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId)).toHaveLength(1);
    const failure = h.logs
      .records()
      .find((r) => r.action === "ReinstallCompShareInstance" && r.code === "outcome_unknown");
    expect(failure).toMatchObject({ attempts: 1 });
  });

  it("no sign of it: unknown, says so plainly, offers Check again, and finishes once the evidence is there", async () => {
    const instance = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "lost-box" });
    // Another image than the one on it, so the instance as it is proves nothing either way.
    const imageId =
      h.sim.state
        .listPlatformImages()
        .find((i) => i.Status === "Available" && i.CompShareImageId !== instance.CompShareImageId)?.CompShareImageId ??
      "";
    const card = await requestReinstall(h, ALICE, { instanceId: instance.UHostId, imageId, reason: "lost" });
    h.sim.faults.inject({ kind: "drop" }, { actions: ["ReinstallCompShareInstance"], times: 1 });
    await clickCard(h, BOB, card, "approve");
    const done = await settled(h, card.requestId, ["succeeded", "failed", "unknown"]);
    expect(done.status).toBe("unknown");
    const shown = await h.slack.waitFor(() => {
      const text = JSON.stringify(cardNow(h, card));
      return text.includes("outcome is unknown") && text;
    });
    expect(shown).toContain("Nothing was sent twice");
    expect(shown).toContain("operation_check_again");
    expect(checkBlockKit(cardNow(h, card), "message")).toEqual([]);
    const dm = await h.slack.waitFor(() =>
      dmsTo(h, ALICE.userId).find((d) => d.includes("lost-box") && d.includes("unknown")),
    );
    expect(dm).toContain("lost-box");

    // Someone makes sure in the console; then an approver checks again and the plan is settled from evidence.
    h.sim.state.reinstall(instance.UHostId, imageId, h.sim.demoAccount.accountId);
    const { responseId } = await h.send.clickInMessage(
      BOB,
      { action_id: "operation_check_again", value: card.requestId, block_id: "approval_actions" },
      { channelId: card.channel, ts: card.ts },
    );
    await h.slack.waitFor(() => h.slack.responsesTo(responseId).length > 0);
    expect((await settled(h, card.requestId, ["succeeded"])).status).toBe("succeeded");
    expect(reinstallCalls(h).filter((r) => r.params.UHostId === instance.UHostId)).toHaveLength(1);
    await h.slack.waitFor(() => JSON.stringify(cardNow(h, card)).includes("Every step is done"));
  });
});

describe("a restart after requests ran out", () => {
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

  it("expires at start what ran out while it was down, and tells the card and the requester in the workspace's language", async () => {
    const before = await startHarness({ slack, sim, env: env(), users: REINSTALL_USERS });
    let cardAt: { channel: string; ts: string; requestId: string };
    try {
      await before.login(WEI);
      const imageId = platformImageNamed(before, "Ubuntu 22.04 CUDA 12.4").CompShareImageId;
      const idle = sim.state.addInstance(sim.demoAccount.accountId, { Name: "idle-box" });
      cardAt = await requestReinstall(before, WEI, { instanceId: idle.UHostId, imageId, reason: "等待" });
    } finally {
      await before.stop();
    }

    const offsetMs = 25 * 3_600_000;
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
        return text.includes("无人审批") && text;
      });
      expect(shown).not.toContain("approval_approve");
      expect(checkBlockKit(cardNow(after, cardAt), "message")).toEqual([]);
      expect(await storedRequest(after, cardAt.requestId)).toMatchObject({ status: "expired" });
      const dm = await slack.waitFor(() => dmsTo(after, WEI.userId).find((d) => d.includes("无人审批")));
      expect(dm).toContain("idle-box");
      expect(reinstallCalls(after)).toHaveLength(0);
      const audit = await after.bot.services.store.audit.query({ teamId: ALICE.teamId ?? "" });
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["reinstall.expire"]));
    } finally {
      await after.stop();
    }
  });
});
