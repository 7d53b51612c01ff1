import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBlockKit } from "../../src/slack/views/limits.ts";
import { OPERATION_ACTIONS_BLOCK } from "../../src/slack/views/operation-card.ts";
import { REINSTALL_CALLBACK } from "../../src/slack/views/reinstall-modal.ts";
import { RUN_AT_ACTION, RUN_AT_BLOCK, SCHEDULE_ACTIONS } from "../../src/slack/views/run-time.ts";
import { FAKE_TEAM_ID } from "./fake-slack.ts";
import { ALICE, type Harness, startHarness } from "./harness.ts";
import {
  APPROVAL_CHANNEL,
  BOB_ID,
  CAROL,
  cardFor,
  cardNow,
  clickCard,
  DAVE,
  dmsTo,
  ephemeralTo,
  LEADS_GROUP,
  type PostedCard,
  type RequestInput,
  requestValues,
  settled,
  storedRequest,
} from "./reinstall-steps.ts";
import type { Actor } from "./slack-requests.ts";

/**
 * Change windows and scheduled runs through the real receiver (issue 11 item 4): the bot's one
 * clock is a test's (it starts Tuesday 2026-12-01 09:00 UTC) and reinstalls may run only on
 * Tuesdays 10:00–11:00 UTC. Every person in the fake Slack is in Asia/Shanghai.
 */

const BOB: Actor = { userId: BOB_ID, teamId: FAKE_TEAM_ID, channelId: APPROVAL_CHANNEL };
const START = Date.parse("2026-12-01T09:00:00Z");
const OPENS = Date.parse("2026-12-01T10:00:00Z");
const POLICY = `default:
  approvers: [${BOB_ID}, ${LEADS_GROUP}]
  approval_channel: ${APPROVAL_CHANNEL}
reinstall:
  windows: ["Tue 10:00-11:00 UTC"]
stop:
  approval: false
  windows: ["Tue 10:00-11:00 UTC"]
`;

let now = START;
let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "schedule-e2e-"));
  const policyFile = join(dir, "policy.yml");
  await writeFile(policyFile, POLICY);
  h = await startHarness({
    env: { POLICY_FILE: policyFile },
    users: { [CAROL.userId]: "en-US", [DAVE.userId]: "en-US" },
    clock: () => now,
  });
  h.slack.usergroups.set(LEADS_GROUP, [CAROL.userId]);
  await h.login(ALICE);
});
afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

function stoppedInstance(name: string) {
  return h.sim.state.addInstance(h.sim.demoAccount.accountId, {
    Name: name,
    State: "Stopped",
    GpuType: "4090",
    GPU: 1,
  });
}

function anImage() {
  const image = h.sim.state.listPlatformImages().find((i) => i.Status === "Available");
  if (!image) throw new Error("no available platform image");
  return image.CompShareImageId;
}

function submit(input: RequestInput, runAt?: number) {
  return h.send.submitView(ALICE, {
    id: `VREQ${Math.random().toString(36).slice(2, 8)}`,
    callback_id: REINSTALL_CALLBACK,
    private_metadata: "{}",
    values: {
      ...requestValues(input),
      [RUN_AT_BLOCK]: {
        [RUN_AT_ACTION]: {
          type: "datetimepicker",
          selected_date_time: runAt === undefined ? null : Math.floor(runAt / 1000),
        },
      },
    },
  });
}

async function request(name: string): Promise<{ card: PostedCard; instanceId: string }> {
  const instance = stoppedInstance(name);
  const before = h.slack.callsTo("chat.postMessage").length;
  const response = await submit({ instanceId: instance.UHostId, imageId: anImage(), reason: "new drivers" });
  expect((response.json() as { response_action?: string }).response_action).toBe("update");
  return { card: await cardFor(h, instance.UHostId, before), instanceId: instance.UHostId };
}

function clickSchedule(actor: Actor, card: PostedCard, move: keyof typeof SCHEDULE_ACTIONS) {
  return h.send.clickInMessage(
    actor,
    { action_id: SCHEDULE_ACTIONS[move], value: card.requestId, block_id: OPERATION_ACTIONS_BLOCK },
    { channelId: card.channel, ts: card.ts },
  );
}

const reinstallsOf = (instanceId: string) =>
  h.sim.requests.filter((r) => r.action === "ReinstallCompShareInstance" && r.params.UHostId === instanceId);

describe("the request form's time", () => {
  it("a time in the past is an inline error at the field, and nothing is requested", async () => {
    const instance = stoppedInstance("past-time");
    const response = await submit(
      { instanceId: instance.UHostId, imageId: anImage(), reason: "new drivers" },
      START - 3_600_000,
    );
    const body = response.json() as { response_action?: string; errors?: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors?.[RUN_AT_BLOCK]).toContain("already passed");
    expect(await h.bot.services.operations.listForRequester(FAKE_TEAM_ID, ALICE.userId)).toEqual([]);
  });

  it("a value no datetimepicker sends is an inline error too, never a 5xx", async () => {
    const instance = stoppedInstance("hostile-time");
    const response = await submit({ instanceId: instance.UHostId, imageId: anImage(), reason: "new drivers" }, 1e18);
    expect(response.status).toBe(200);
    const body = response.json() as { response_action?: string; errors?: Record<string, string> };
    expect(body.errors?.[RUN_AT_BLOCK]).toContain("not a date and time");
  });

  it("a time outside every window is an inline error naming the windows and the next opening in the requester's zone", async () => {
    const instance = stoppedInstance("outside-time");
    const response = await submit(
      { instanceId: instance.UHostId, imageId: anImage(), reason: "new drivers" },
      START + 3 * 3_600_000,
    );
    const body = response.json() as { response_action?: string; errors?: Record<string, string> };
    expect(body.response_action).toBe("errors");
    const error = body.errors?.[RUN_AT_BLOCK] ?? "";
    expect(error).toContain("outside every change window (Tue 10:00-11:00 UTC)");
    // Next Tuesday 10:00 UTC is 18:00 in Shanghai.
    expect(error).toMatch(/Dec 8, 2026.*18:00 \(Asia\/Shanghai\)/);
  });
});

describe("a request approved outside its window", () => {
  it("is scheduled: the card says when; Run now is refused while shut, then starts it once an approver clicks in the window", async () => {
    const { card, instanceId } = await request("scheduled-run-now");
    await clickCard(h, BOB, card, "approve");
    const scheduled = await settled(h, card.requestId, ["approved"]);
    expect(scheduled.runAt?.getTime()).toBe(OPENS);
    await h.slack.waitFor(
      () => JSON.stringify(cardNow(h, card)).includes(`<!date^${OPENS / 1000}^`),
      5_000,
      "the card naming when it runs",
    );
    const shown = JSON.stringify(cardNow(h, card));
    expect(shown).toContain("Scheduled to run");
    expect(shown).toContain(SCHEDULE_ACTIONS.runNow);
    expect(checkBlockKit(cardNow(h, card), "message")).toEqual([]);
    await h.bot.services.operations.sweep();
    await h.bot.services.operations.idle();
    expect(reinstallsOf(instanceId)).toEqual([]);

    const stranger = await clickSchedule(DAVE, card, "runNow");
    expect(await ephemeralTo(h, stranger.responseId)).toContain("approver");
    const shut = await clickSchedule(BOB, card, "runNow");
    expect(await ephemeralTo(h, shut.responseId)).toContain("Every change window is shut now");
    expect(reinstallsOf(instanceId)).toEqual([]);

    now = OPENS + 10 * 60_000; // 10:10, inside the window
    const ran = await clickSchedule(BOB, card, "runNow");
    expect(await ephemeralTo(h, ran.responseId)).toContain("Starting the plan now");
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"])).status).toBe("succeeded");
    expect(reinstallsOf(instanceId)).toHaveLength(1);
    now = START;
  });

  it("Cancel by an approver closes it before its time, and nothing runs when the window opens", async () => {
    const { card, instanceId } = await request("scheduled-cancel");
    await clickCard(h, BOB, card, "approve");
    await settled(h, card.requestId, ["approved"]);
    const cancelled = await clickSchedule(CAROL, card, "cancel");
    expect(cancelled.response.status).toBe(200);
    expect((await settled(h, card.requestId, ["cancelled"])).decidedBy).toBe(CAROL.userId);
    await h.slack.waitFor(
      () => JSON.stringify(cardNow(h, card)).includes(`Scheduled run cancelled by <@${CAROL.userId}>`),
      5_000,
      "the cancelled card",
    );
    expect(JSON.stringify(cardNow(h, card))).not.toContain(SCHEDULE_ACTIONS.runNow);
    // The requester did not click it, so they are told.
    await h.slack.waitFor(
      () => dmsTo(h, ALICE.userId).some((dm) => dm.includes(`Scheduled run cancelled by <@${CAROL.userId}>`)),
      5_000,
      "the requester's DM",
    );

    now = OPENS + 60_000;
    await h.bot.services.operations.sweep();
    await h.bot.services.operations.idle();
    expect(reinstallsOf(instanceId)).toEqual([]);
    expect((await storedRequest(h, card.requestId)).status).toBe("cancelled");
    now = START;
  });

  it("left alone, starts when the window opens, once", async () => {
    const { card, instanceId } = await request("scheduled-sweep");
    await clickCard(h, BOB, card, "approve");
    await settled(h, card.requestId, ["approved"]);
    now = OPENS + 2 * 60_000;
    await Promise.all([h.bot.services.operations.sweep(), h.bot.services.operations.sweep()]);
    expect((await settled(h, card.requestId, ["succeeded", "failed", "unknown"])).status).toBe("succeeded");
    await h.bot.services.operations.sweep();
    await h.bot.services.operations.idle();
    expect(reinstallsOf(instanceId)).toHaveLength(1);
    now = START;
  });
});

describe("a stop asked for outside its window", () => {
  it("is scheduled: the reply says when and offers Cancel, and the requester's Cancel means it never runs", async () => {
    const box = h.sim.state.addInstance(h.sim.demoAccount.accountId, { Name: "stop-later", State: "Running" });
    const { responseId } = await h.send.command(`stop ${box.UHostId}`, ALICE);
    const [reply] = await h.slack.waitFor(() => {
      const posts = h.slack.responsesTo(responseId);
      return posts.length > 0 ? posts : undefined;
    });
    const shown = JSON.stringify(reply?.body);
    expect(shown).toContain(`<!date^${OPENS / 1000}^`);
    expect(shown).toContain(SCHEDULE_ACTIONS.cancel);
    expect(checkBlockKit(reply?.body, "message")).toEqual([]);
    const requestId = /"value":"(req_[a-z2-7]{16})"/.exec(shown)?.[1] ?? "";
    expect((await storedRequest(h, requestId)).status).toBe("approved");

    const click = await h.send.clickInMessage(ALICE, { action_id: SCHEDULE_ACTIONS.cancel, value: requestId });
    expect(await ephemeralTo(h, click.responseId)).toContain("cancelled");
    expect((await storedRequest(h, requestId)).status).toBe("cancelled");
    now = OPENS + 60_000;
    await h.bot.services.operations.sweep();
    await h.bot.services.operations.idle();
    expect(
      h.sim.requests.filter((r) => r.action === "StopCompShareInstance" && r.params.UHostId === box.UHostId),
    ).toEqual([]);
    expect(h.sim.state.getInstance(box.UHostId)?.State).toBe("Running");
    now = START;
  });
});
