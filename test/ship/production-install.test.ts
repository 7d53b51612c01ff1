import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.ts";
import { FakeSlack } from "../e2e/fake-slack.ts";
import { SlackSender } from "../e2e/slack-requests.ts";
import { copies, environment, execForm, healthcheckCommand, instructions, parseDockerfile } from "./dockerfile.ts";

/**
 * Docker does not run here, so this repeats the image's steps outside it: the runtime stage's
 * production install into an empty directory holding only what the Dockerfile copies, the build
 * stage's compile into that directory's dist/, then the image's CMD and HEALTHCHECK run from there.
 * Every step is read from the Dockerfile, so changing the image changes what is proven.
 */

const ROOT = new URL("../../", import.meta.url).pathname;
const stages = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const buildStage = stages.find((s) => s.name === "build");
const runtime = stages.at(-1);
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface Finished {
  code: number | null;
  output: string;
}

/** Runs a command to its end, stdout and stderr together. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/**
 * npm as the image runs it: on this project's Node 24 (not the machine's), and without the
 * npm_* variables the outer `npm test` exported, which would point it back at the repository.
 */
function npm(args: string[], cwd: string): Promise<Finished> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const cli = process.env.npm_execpath;
  return cli?.endsWith(".js") ? run(process.execPath, [cli, ...args], { cwd, env }) : run("npm", args, { cwd, env });
}

function commandAfter(marker: string, runLines: string[]): string[] {
  const line = runLines.find((l) => l.includes(marker));
  if (!line) throw new Error(`no RUN with ${marker}`);
  const segment = line.slice(line.indexOf(marker)).split("&&")[0] ?? "";
  return segment.trim().split(/\s+/);
}

describe("the Dockerfile", () => {
  it("builds on the official Node 24 slim image in two stages", () => {
    expect(stages.map((s) => s.image)).toEqual(["node:24-slim", "node:24-slim"]);
    if (!buildStage) throw new Error("no stage named build");
    const buildRuns = instructions(buildStage, "RUN").map((r) => r.args);
    expect(buildRuns).toContain("npm run build");
    expect(packageJson.scripts.build).toMatch(/^tsc -p tsconfig\.build\.json$/);
  });

  it("runs node itself as PID 1, as a non-root user, with a /data volume and the SQLite file on it", () => {
    if (!runtime) throw new Error("no stages");
    const cmd = execForm(instructions(runtime, "CMD").at(-1)?.args ?? "");
    expect(cmd[0]).toBe("node");
    expect(cmd.slice(-2)).toEqual(["dist/main.js", "start"]);
    expect(cmd.slice(1, -2).every((flag) => flag.startsWith("--"))).toBe(true);
    expect(instructions(runtime, "ENTRYPOINT")).toEqual([]);
    const user = instructions(runtime, "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    expect(execForm(instructions(runtime, "VOLUME").at(-1)?.args ?? "[]")).toEqual(["/data"]);
    expect(environment(runtime)).toMatchObject({
      NODE_ENV: "production",
      PORT: "3000",
      DATABASE_URL: "sqlite:/data/compshare-bot.sqlite",
    });
    expect(instructions(runtime, "EXPOSE").map((e) => e.args)).toEqual(["3000"]);
    expect(healthcheckCommand(runtime)[0]).toBe("node");
  });

  it("sends Docker only the files it copies: .dockerignore is an allow-list of exactly those", () => {
    const lines = readFileSync(join(ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    expect(lines[0]).toBe("*");
    const allowed = lines.filter((l) => l.startsWith("!")).map((l) => l.slice(1));
    const copied = stages.flatMap((s) => copies(s).filter((c) => c.from === undefined)).flatMap((c) => c.sources);
    expect([...new Set(copied)].sort()).toEqual([...allowed].sort());
  });
});

describe("the image's production install, repeated in a temporary directory", () => {
  let dir: string;
  let slack: FakeSlack;
  let sim: Simulator;

  beforeAll(async () => {
    if (!runtime) throw new Error("no stages");
    dir = await mkdtemp(join(tmpdir(), "compshare-image-"));
    for (const copy of copies(runtime).filter((c) => c.from === undefined)) {
      for (const source of copy.sources) {
        const target = copy.destination.endsWith("/")
          ? join(dir, copy.destination, basename(source))
          : join(dir, copy.destination);
        await cp(join(ROOT, source), target, { recursive: true });
      }
    }
    const [install, ...installArgs] = commandAfter(
      "npm ci",
      instructions(runtime, "RUN").map((r) => r.args),
    );
    expect(install).toBe("npm");
    // --prefer-offline only lets npm take tarballs from its cache; what gets installed is the same.
    const installed = await npm([...installArgs, "--prefer-offline"], dir);
    if (installed.code !== 0) throw new Error(`npm ${installArgs.join(" ")} failed:\n${installed.output}`);

    // The build stage's `npm run build`, written into the directory the runtime stage copies dist/ to.
    const distCopy = copies(runtime).find((c) => c.from === "build");
    expect(distCopy?.sources).toEqual(["/app/dist"]);
    const [tsc, ...tscArgs] = (packageJson.scripts.build ?? "").split(/\s+/);
    expect(tsc).toBe("tsc");
    const built = await run(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), ...tscArgs, "--outDir", join(dir, distCopy?.destination ?? "")],
      { cwd: ROOT, env: process.env },
    );
    if (built.code !== 0) throw new Error(`npm run build failed:\n${built.output}`);

    slack = await FakeSlack.start();
    sim = await startSimulator({ port: 0 });
  }, 240_000);

  afterAll(async () => {
    await slack?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("holds every production dependency and no devDependency", () => {
    const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; optional?: boolean }>;
    };
    const entries = Object.entries(lock.packages).filter(([path]) => path.startsWith("node_modules/"));
    const devOnly = entries.filter(([, entry]) => entry.dev).map(([path]) => path);
    const needed = entries.filter(([, entry]) => !entry.dev && !entry.optional).map(([path]) => path);
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.filter((path) => existsSync(join(dir, path)))).toEqual([]);
    expect(needed.filter((path) => !existsSync(join(dir, path)))).toEqual([]);
    // Named too, for the reader; @types/node is not among them because @slack/bolt's packages depend on it.
    for (const name of ["vitest", "typescript", "@biomejs/biome", "node", "ws", "ajv"]) {
      expect(packageJson.devDependencies[name]).toBeDefined();
      expect(existsSync(join(dir, "node_modules", name))).toBe(false);
    }
    for (const name of Object.keys(packageJson.dependencies))
      expect(existsSync(join(dir, "node_modules", name))).toBe(true);
    expect(existsSync(join(dir, "dist/main.js"))).toBe(true);
    expect(existsSync(join(dir, "src"))).toBe(false);
  });

  it("starts with the image's CMD, serves Slack and health, passes its HEALTHCHECK, and exits 0 on SIGTERM", async () => {
    if (!runtime) throw new Error("no stages");
    // The image's /data volume, here a directory of the temporary install.
    const dataDir = join(dir, "data");
    await mkdir(dataDir);
    const imageEnv = environment(runtime);
    const signingSecret = randomBytes(16).toString("hex");
    const botToken = `xoxb-1-2-${randomBytes(8).toString("hex")}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "",
      ...imageEnv,
      DATABASE_URL: (imageEnv.DATABASE_URL ?? "").replace("/data/", `${dataDir}/`),
      PORT: "0",
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      CREDENTIALS_KEY: randomBytes(32).toString("base64"),
      SLACK_API_URL: slack.apiUrl,
      COMPSHARE_API_URL: sim.url,
    };
    const [node, ...cmdArgs] = execForm(instructions(runtime, "CMD").at(-1)?.args ?? "");
    expect(node).toBe("node");
    const bot = spawn(process.execPath, cmdArgs, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    bot.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    bot.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => bot.on("exit", (code) => resolve(code)));
    try {
      const port = await listeningPort(() => output, bot);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      const { response, responseId } = await new SlackSender(base, signingSecret, slack).command("help", {
        userId: "U0SHIP001",
      });
      expect(response.status).toBe(200);
      const reply = await slack.waitFor(() => slack.responsesTo(responseId)[0], 10_000, "the help reply");
      expect(JSON.stringify(reply.body)).toContain("/compshare");
      expect(existsSync(join(dataDir, "compshare-bot.sqlite"))).toBe(true);

      const healthcheck = healthcheckCommand(runtime);
      const healthEnv = { PATH: process.env.PATH ?? "", PORT: String(port) };
      const healthy = await run(process.execPath, healthcheck.slice(1), { cwd: dir, env: healthEnv });
      expect(healthy).toEqual({ code: 0, output: "" });

      bot.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).toContain("compshare-bot stopped");
      expect(output).not.toContain(botToken);
      expect(output).not.toContain(signingSecret);
      expect((await run(process.execPath, healthcheck.slice(1), { cwd: dir, env: healthEnv })).code).toBe(1);
    } finally {
      if (bot.exitCode === null) bot.kill("SIGKILL");
    }
  }, 60_000);
});

async function listeningPort(read: () => string, child: ChildProcess): Promise<number> {
  for (let i = 0; i < 300; i += 1) {
    const match = /"port":(\d+)/.exec(read());
    if (match?.[1]) return Number(match[1]);
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the bot never said which port it listens on:\n${read()}`);
}
