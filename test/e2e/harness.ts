import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningBot, type StartBotOptions, startBot } from "../../src/bot.ts";
import { parseConfig } from "../../src/config.ts";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import type { WebClientPolicy } from "../../src/slack/app.ts";
import { LOGIN_ACTION, LOGIN_BLOCKS, LOGIN_CALLBACK } from "../../src/slack/views/keys.ts";
import { memoryLogger } from "../helpers/memory-log.ts";
import { FAKE_TEAM_ID, FakeSlack } from "./fake-slack.ts";
import { type Actor, SlackSender } from "./slack-requests.ts";

/**
 * The end-to-end rig: the real bot (real Bolt HTTP receiver, real store on a SQLite file in a
 * temp dir, real CompShare client) on a loopback port, a fake Slack Web API that records every
 * call, and the CompShare simulator. Tests speak to the bot only as Slack would.
 */
export interface Harness {
  bot: RunningBot;
  slack: FakeSlack;
  sim: Simulator;
  send: SlackSender;
  logs: ReturnType<typeof memoryLogger>;
  /** Every secret the rig created (instance passwords included), for the leak scans. */
  secrets: string[];
  dataDir: string;
  baseUrl: string;
  env: Record<string, string>;
  stop(): Promise<void>;
  /** Links the simulator's demo keys (or the given pair) to a Slack user through the real modal. */
  login(actor: Actor, keys?: { publicKey: string; privateKey: string }): Promise<void>;
  /** Every byte of the database files (SQLite file, WAL, SHM). */
  databaseBytes(): Promise<Buffer>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Slack users and their locales. */
  users?: Record<string, string>;
  /** Reuse a simulator (several bots on one cloud). */
  sim?: Simulator;
  /** Reuse a fake Slack (several bots on one workspace). */
  slack?: FakeSlack;
  clock?: () => number;
  /** Slack Web API retries; none by default so failures show at once. */
  webClient?: WebClientPolicy;
  /** Each CompShare call's deadline, to reach a timeout without waiting the production 15 s. */
  compshareDeadlineMs?: number;
  /** How long the rig's own simulator takes per instance operation; instant (0) unless a test wants to watch. */
  opSeconds?: number;
  /** Engine settings (poll sleeps, deadlines, claim time) a test shortens. */
  engine?: StartBotOptions["engine"];
  /** At most one card edit this often; the production 2 s unless a test needs it faster. */
  cardEditIntervalMs?: number;
}

export const ALICE: Actor = { userId: "U0ALICE01", teamId: FAKE_TEAM_ID, channelId: "C0WORK001" };
export const BOB: Actor = { userId: "U0BOB0001", teamId: FAKE_TEAM_ID, channelId: "C0WORK001" };
export const WEI: Actor = { userId: "U0WEI0001", teamId: FAKE_TEAM_ID, channelId: "C0WORK001" };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = options.slack ?? (await FakeSlack.start());
  const sim = options.sim ?? (await startSimulator({ port: 0, opSeconds: options.opSeconds ?? 0 }));
  for (const [userId, locale] of Object.entries({
    [ALICE.userId]: "en-US",
    [BOB.userId]: "en-GB",
    [WEI.userId]: "zh-CN",
    ...options.users,
  })) {
    if (!slack.users.has(userId)) slack.users.set(userId, { locale });
  }
  const dataDir = await mkdtemp(join(tmpdir(), "compshare-bot-e2e-"));
  const signingSecret = randomBytes(16).toString("hex");
  const botToken = `xoxb-fake-bot-token-${randomBytes(12).toString("hex")}`;
  const credentialsKey = randomBytes(32).toString("base64");
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    COMPSHARE_API_URL: sim.url,
    CREDENTIALS_KEY: credentialsKey,
    DATABASE_URL: `sqlite:${join(dataDir, "bot.sqlite")}`,
    LOG_LEVEL: "debug",
    ...options.env,
  };
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(`harness config: ${JSON.stringify(parsed.problems)}`);
  const logs = memoryLogger(parsed.config.logLevel);
  const secrets = [signingSecret, botToken, credentialsKey, sim.demoAccount.privateKey, sim.otherAccount.privateKey];
  logs.scrubber.add(signingSecret, botToken, credentialsKey);
  const bot = await startBot({
    config: parsed.config,
    logger: logs.logger,
    scrubber: logs.scrubber,
    port: 0,
    webClient: options.webClient ?? { retries: 0, timeoutMs: 5_000 },
    drainTimeoutMs: 5_000,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.compshareDeadlineMs !== undefined ? { compshareDeadlineMs: options.compshareDeadlineMs } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.cardEditIntervalMs !== undefined ? { cardEditIntervalMs: options.cardEditIntervalMs } : {}),
  });
  const baseUrl = `http://127.0.0.1:${bot.port}`;
  const send = new SlackSender(baseUrl, signingSecret, slack);

  return {
    bot,
    slack,
    sim,
    send,
    logs,
    // Read at scan time: instances a test added since start have passwords too.
    get secrets() {
      return [...secrets, ...sim.state.instanceSecrets()];
    },
    dataDir,
    baseUrl,
    env,
    async stop() {
      await bot.stop();
      if (!options.sim) await sim.close();
      if (!options.slack) await slack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
    login: (actor, keys = sim.demoAccount) => linkKeys(send, actor, keys),
    async databaseBytes() {
      const files = (await readdir(dataDir)).filter((f) => f.startsWith("bot.sqlite"));
      return Buffer.concat(await Promise.all(files.map((f) => readFile(join(dataDir, f)))));
    },
  };
}

/**
 * Everything the bot put into Slack messages, views and replies, as one string, for assertions and
 * leak scans. The `token` argument is left out: it is how the Web API authenticates the bot, not content.
 */
export function everythingSentToSlack(slack: FakeSlack): string {
  const calls = slack.calls.map(({ method, args: { token: _token, ...args } }) => ({ method, args }));
  return JSON.stringify({ calls, responses: slack.responses });
}

/** Links a key pair to a Slack user through the real login modal's submission. */
export async function linkKeys(
  send: SlackSender,
  actor: Actor,
  keys: { publicKey: string; privateKey: string },
): Promise<void> {
  const response = await send.submitView(actor, {
    callback_id: LOGIN_CALLBACK,
    values: {
      [LOGIN_BLOCKS.publicKey]: { [LOGIN_ACTION]: { type: "plain_text_input", value: keys.publicKey } },
      [LOGIN_BLOCKS.privateKey]: { [LOGIN_ACTION]: { type: "plain_text_input", value: keys.privateKey } },
      [LOGIN_BLOCKS.region]: { [LOGIN_ACTION]: { type: "plain_text_input", value: "cn-wlcb" } },
      [LOGIN_BLOCKS.zone]: { [LOGIN_ACTION]: { type: "plain_text_input", value: "cn-wlcb-01" } },
      [LOGIN_BLOCKS.projectId]: { [LOGIN_ACTION]: { type: "plain_text_input", value: null } },
    },
  });
  const body = response.json() as { response_action?: string };
  if (response.status !== 200 || body.response_action !== "update") {
    throw new Error(`login failed: ${response.status} ${response.text}`);
  }
}
