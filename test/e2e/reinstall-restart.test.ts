import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATION_ACTIONS, OPERATION_ACTIONS_BLOCK } from "../../src/slack/views/operation-card.ts";
import { REINSTALL_CALLBACK } from "../../src/slack/views/reinstall-modal.ts";
import { type BotProcess, spawnBot } from "../helpers/bot-processes.ts";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";
import { postgresTarget } from "../store/harness.ts";
import { ALICE, linkKeys } from "./harness.ts";
import { APPROVAL_CHANNEL, BOB_ID, REINSTALL_ENV, requestValues } from "./reinstall-steps.ts";
import { SlackSender } from "./slack-requests.ts";

/**
 * Issue 10's Done-when: the bot killed (SIGKILL, a real process) during the reinstall step, and
 * started again, finishes the plan without a second ReinstallCompShareInstance. On SQLite the
 * restarted bot resumes what it finds running; on PostgreSQL two replicas share the database and
 * the survivor takes the plan over once the dead one's claim on the step runs out.
 */

// Each operation takes 1.2 s: time enough to be killed in the middle of any of them.
const world = useLoopbackWorld("restart", { opSeconds: 1.2 });
const BOB = { userId: BOB_ID, teamId: ALICE.teamId, channelId: APPROVAL_CHANNEL };
/** Polls, claims and sweeps shortened; production backs off 2 s → 20 s and claims for a minute. */
const TUNING = { pollCapMs: 150, claimMs: 1_500, sweepIntervalMs: 300, cardEditIntervalMs: 100 };

function envFor(databaseUrl: string, credentialsKey: string, signingSecret: string): Record<string, string> {
  return {
    ...REINSTALL_ENV,
    SLACK_BOT_TOKEN: "xoxb-fake-restart-token",
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: world.slack.apiUrl,
    COMPSHARE_API_URL: world.sim.url,
    CREDENTIALS_KEY: credentialsKey,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
  };
}

async function cardOf(instanceId: string): Promise<{ requestId: string; key: string }> {
  const slack = world.slack;
  const posted = await slack.waitFor(
    () =>
      slack
        .callsTo("chat.postMessage")
        .find((c) => c.args.channel === APPROVAL_CHANNEL && JSON.stringify(c.args).includes(instanceId)),
    10_000,
    "the card",
  );
  const requestId = /"value":"(req_[a-z2-7]{16})"/.exec(JSON.stringify(posted.args))?.[1] ?? "";
  const key = await slack.waitFor(() =>
    [...slack.messages.keys()].find((k) => JSON.stringify(slack.messages.get(k)).includes(requestId)),
  );
  return { requestId, key };
}

/** Asks for stop → (snapshot →) reinstall → start on a Running instance and approves it on `approveOn`. */
async function requestAndApprove(send: SlackSender, approveOn: SlackSender, snapshotName?: string) {
  const sim = world.sim;
  const instance = sim.state.addInstance(sim.demoAccount.accountId, { Name: "restart-box", State: "Running" });
  // Another image than the one on it, so the image on the instance proves where a reinstall stands.
  const imageId = newImage(instance.CompShareImageId);
  const submitted = await send.submitView(ALICE, {
    callback_id: REINSTALL_CALLBACK,
    private_metadata: "{}",
    values: requestValues({
      instanceId: instance.UHostId,
      imageId,
      reason: "restart safety",
      stopFirst: true,
      startAfter: true,
      ...(snapshotName ? { snapshotName } : {}),
    }),
  });
  expect(submitted.status).toBe(200);
  const card = await cardOf(instance.UHostId);
  const [channel, ts] = card.key.split("/");
  // The bot stores where the card is right after posting it; let it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const click = await approveOn.clickInMessage(
    BOB,
    { action_id: OPERATION_ACTIONS.approve, value: card.requestId, block_id: OPERATION_ACTIONS_BLOCK },
    { channelId: channel ?? APPROVAL_CHANNEL, ts: ts ?? "" },
  );
  expect(click.response.status).toBe(200);
  return { instance, card, imageId };
}

function callsOn(instanceId: string, action: string) {
  return world.sim.requests.filter((r) => r.action === action && r.params.UHostId === instanceId);
}

async function inFlight(instanceId: string, action: string) {
  await world.slack.waitFor(() => callsOn(instanceId, action).length > 0, 20_000, action);
}

async function finished(instanceId: string, imageId: string, card: { key: string }) {
  await world.slack.waitFor(
    () => {
      const now = world.sim.state.getInstance(instanceId);
      const text = JSON.stringify(world.slack.messages.get(card.key));
      return now?.State === "Running" && now.CompShareImageId === imageId && text.includes("Every step is done");
    },
    30_000,
    "the plan to finish on the new image, Running, and the card to say so",
  );
}

function newImage(besides?: string): string {
  const image = world.sim.state
    .listPlatformImages()
    .find((i) => i.Status === "Available" && i.CompShareImageId !== besides);
  if (!image) throw new Error("no available platform image");
  return image.CompShareImageId;
}

const running: BotProcess[] = [];
async function start(env: Record<string, string>): Promise<BotProcess> {
  const bot = await spawnBot(env, TUNING);
  running.push(bot);
  return bot;
}

describe("killed mid-plan (SIGKILL) and started again", () => {
  const MUTATIONS = [
    "StopCompShareInstance",
    "CreateCompShareCustomImage",
    "ReinstallCompShareInstance",
    "StartCompShareInstance",
  ];

  it.each(MUTATIONS)(
    "sqlite: killed while %s runs, the restarted bot finishes the plan and sends each mutation once",
    async (killDuring) => {
      const secret = randomBytes(16).toString("hex");
      const database = `sqlite:${join(world.dir, `restart-${killDuring}.sqlite`)}`;
      const env = envFor(database, randomBytes(32).toString("base64"), secret);
      try {
        const first = await start({ ...env });
        const send = new SlackSender(`http://127.0.0.1:${first.port}`, secret, world.slack);
        await linkKeys(send, ALICE, world.sim.demoAccount);
        const { instance, card, imageId } = await requestAndApprove(send, send, `copy-${killDuring.slice(0, 8)}`);
        await inFlight(instance.UHostId, killDuring);
        await first.kill();

        const second = await start({ ...env });
        await finished(instance.UHostId, imageId, card);
        for (const action of MUTATIONS) expect(callsOn(instance.UHostId, action), action).toHaveLength(1);
        await second.stop();
      } finally {
        for (const bot of running.splice(0)) await bot.kill();
      }
    },
    60_000,
  );

  it("postgres: two replicas, the one running the plan is killed, the other finishes it, one reinstall", async () => {
    const target = postgresTarget();
    const secret = randomBytes(16).toString("hex");
    const env = envFor(await target.newUrl(), randomBytes(32).toString("base64"), secret);
    try {
      const a = await start({ ...env });
      const b = await start({ ...env });
      const onA = new SlackSender(`http://127.0.0.1:${a.port}`, secret, world.slack);
      await linkKeys(onA, ALICE, world.sim.demoAccount);
      // Approved on A, so A runs the plan; B only sees A's claim in the shared database.
      const { instance, card, imageId } = await requestAndApprove(onA, onA);
      await inFlight(instance.UHostId, "ReinstallCompShareInstance");
      await a.kill();
      await finished(instance.UHostId, imageId, card);
      expect(callsOn(instance.UHostId, "ReinstallCompShareInstance")).toHaveLength(1);
      expect(callsOn(instance.UHostId, "StopCompShareInstance")).toHaveLength(1);
      expect(callsOn(instance.UHostId, "StartCompShareInstance")).toHaveLength(1);
      await b.stop();
    } finally {
      for (const bot of running.splice(0)) await bot.kill();
      await target.cleanup();
    }
  }, 60_000);
});
