import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { stripTypeScriptTypes } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOGIN_ACTION, LOGIN_BLOCKS, LOGIN_CALLBACK } from "../src/slack/views/keys.ts";
import { FAKE_TEAM_ID } from "../test/e2e/fake-slack.ts";
import { type Actor, signSlackBody } from "../test/e2e/slack-requests.ts";
import { execForm, instructions, parseDockerfile } from "../test/ship/dockerfile.ts";
import { BENCH_REGION, signedImagesBody } from "./compshare-body.ts";
import { type Fakes, startFakes } from "./fakes.ts";
import { type ServerProcess, startServer } from "./server-process.ts";

/**
 * How a server is run. source: TypeScript through Node's type stripping, as `npm start` runs the
 * bot. compiled: plain JavaScript, as the container image runs it (`node dist/main.js start`);
 * the baseline is stripped to JavaScript the same way so neither pays for the other's loader.
 */
export type Build = "source" | "compiled";

/** Everything the scenarios share: the fakes, the secrets, and how to start either server. */
export interface Rig {
  fakes: Fakes;
  signingSecret: string;
  account: { publicKey: string; privateKey: string; region: string; zone: string };
  /** The bot (`main.ts start` or `dist/main.js start`) on a fresh SQLite file; nodeFlags go before the script. */
  startBot(build?: Build, nodeFlags?: string[]): Promise<ServerProcess>;
  /** The bare Bolt baseline (bench/bare-bolt.ts). */
  startBare(build?: Build, nodeFlags?: string[]): Promise<ServerProcess>;
  /** Links the simulator's demo keys to a Slack user through the bot's real key modal. */
  login(bot: ServerProcess, actor: Actor): Promise<void>;
  close(): Promise<void>;
}

const ROOT = new URL("../", import.meta.url).pathname;
const MAIN = join(ROOT, "src/main.ts");
/** The V8 flags the image's CMD runs with; the compiled builds run with them, as in the image. */
const IMAGE_NODE_FLAGS = imageNodeFlags();
const BARE = join(ROOT, "bench/bare-bolt.ts");

export async function startRig(): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), "compshare-bench-"));
  const compiled = await compile(join(dir, "app"));
  const fakes = await startFakes();
  const signingSecret = randomBytes(16).toString("hex");
  const botToken = `xoxb-fake-bot-token-${randomBytes(12).toString("hex")}`;
  const account = { ...fakes.demo, ...BENCH_REGION };
  const slackEnv = { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: fakes.slackApiUrl };
  let starts = 0;

  return {
    fakes,
    signingSecret,
    account,
    startBot(build = "source", nodeFlags = []) {
      starts += 1;
      return startServer({
        name: `bot (${build})`,
        args: [...nodeFlags, ...(build === "source" ? [MAIN] : [...IMAGE_NODE_FLAGS, compiled.main]), "start"],
        logFile: join(dir, `bot-${starts}.log`),
        env: {
          ...slackEnv,
          COMPSHARE_API_URL: fakes.simUrl,
          CREDENTIALS_KEY: randomBytes(32).toString("base64"),
          DATABASE_URL: `sqlite:${join(dir, `bot-${starts}.sqlite`)}`,
          // As in production: info lines to stdout (here a file).
          LOG_LEVEL: "info",
        },
      });
    },
    startBare(build = "source", nodeFlags = []) {
      starts += 1;
      return startServer({
        name: `bare Bolt (${build})`,
        args: [...nodeFlags, ...(build === "source" ? [BARE] : [...IMAGE_NODE_FLAGS, compiled.bare])],
        logFile: join(dir, `bare-${starts}.log`),
        env: {
          ...slackEnv,
          COMPSHARE_API_URL: fakes.simUrl,
          BENCH_IMAGES_BODY: signedImagesBody(account),
        },
      });
    },
    async login(bot, actor) {
      const text = (value: string | null) => ({ [LOGIN_ACTION]: { type: "plain_text_input", value } });
      const payload = {
        type: "view_submission",
        team: { id: actor.teamId ?? FAKE_TEAM_ID, domain: "fake" },
        user: { id: actor.userId, username: actor.userId.toLowerCase(), team_id: actor.teamId ?? FAKE_TEAM_ID },
        api_app_id: "A0APP0001",
        token: "legacy-verification-token-unused",
        trigger_id: "trigger-bench-login",
        view: {
          id: "V0BENCH01",
          type: "modal",
          callback_id: LOGIN_CALLBACK,
          private_metadata: "",
          // Each submission its own view version, as in Slack: the bot handles a repeated view.id+hash once.
          hash: `hash-${actor.userId}-${Date.now()}-${Math.random()}`,
          state: {
            values: {
              [LOGIN_BLOCKS.publicKey]: text(account.publicKey),
              [LOGIN_BLOCKS.privateKey]: text(account.privateKey),
              [LOGIN_BLOCKS.region]: text(account.region),
              [LOGIN_BLOCKS.zone]: text(account.zone),
              [LOGIN_BLOCKS.projectId]: text(null),
            },
          },
        },
        response_urls: [],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(`${bot.baseUrl}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": signSlackBody(signingSecret, timestamp, body),
        },
        body,
      });
      const answer = (await response.json()) as { response_action?: string };
      if (answer.response_action !== "update") throw new Error(`login failed: ${JSON.stringify(answer)}`);
    },
    async close() {
      await fakes.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The image's build, into a scratch directory: `npm run build` (tsc -p tsconfig.build.json) with
 * --outDir, the baseline stripped to JavaScript beside it, and the repository's node_modules
 * linked in for both to resolve their packages.
 */
async function compile(appDir: string): Promise<{ main: string; bare: string }> {
  await mkdir(appDir, { recursive: true });
  await copyFile(join(ROOT, "package.json"), join(appDir, "package.json"));
  await symlink(join(ROOT, "node_modules"), join(appDir, "node_modules"));
  const tsc = spawn(
    process.execPath,
    [
      join(ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      join(ROOT, "tsconfig.build.json"),
      "--outDir",
      join(appDir, "dist"),
    ],
    { stdio: "inherit" },
  );
  const code = await new Promise<number | null>((resolve) => tsc.once("exit", resolve));
  if (code !== 0) throw new Error(`the build failed (tsc exited ${code})`);
  const bare = join(appDir, "bare-bolt.js");
  await writeFile(bare, stripTypeScriptTypes(await readFile(BARE, "utf8")));
  return { main: join(appDir, "dist/main.js"), bare };
}

export function imageNodeFlags(): string[] {
  const stages = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
  const runtime = stages.at(-1);
  const cmd = runtime ? execForm(instructions(runtime, "CMD").at(-1)?.args ?? "[]") : [];
  return cmd.slice(1).filter((arg) => arg.startsWith("--"));
}
