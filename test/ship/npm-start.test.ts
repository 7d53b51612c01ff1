import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";

/**
 * `npm start` as an operator (or a container whose PID 1 is npm) runs it: npm starts the script's
 * process, and SIGTERM to that process (or to npm, which passes it on) must stop the bot. A shell
 * between npm and node would die of the signal and leave node running, still answering /healthz.
 */

const ROOT = new URL("../../", import.meta.url).pathname;

function npmStart(env: Record<string, string>): ChildProcess & { output: () => string } {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const cli = process.env.npm_execpath;
  const [command, args] = cli?.endsWith(".js") ? [process.execPath, [cli, "start"]] : ["npm", ["start"]];
  // A process group of its own, so a failed run can be cleaned up whole, orphans included.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return Object.assign(child, { output: () => output });
}

/** The process npm started for the script (Linux: /proc lists a task's children). */
function childOf(pid: number): number | undefined {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return children.length > 0 ? Number(children[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function listeningPort(child: ChildProcess & { output: () => string }): Promise<number> {
  for (let i = 0; i < 400; i += 1) {
    const match = /"port":(\d+)/.exec(child.output());
    if (match?.[1]) return Number(match[1]);
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`npm start never said which port it listens on:\n${child.output()}`);
}

describe.runIf(process.platform === "linux")("npm start", () => {
  const world = useLoopbackWorld("npm-start");
  const env = (name: string) => ({
    SLACK_BOT_TOKEN: `xoxb-1-2-${randomBytes(8).toString("hex")}`,
    SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
    CREDENTIALS_KEY: randomBytes(32).toString("base64"),
    SLACK_API_URL: world.slack.apiUrl,
    COMPSHARE_API_URL: world.sim.url,
    DATABASE_URL: `sqlite:${join(world.dir, `${name}.sqlite`)}`,
    PORT: "0",
  });

  it.each([
    ["the process npm started", (npm: ChildProcess) => childOf(npm.pid ?? 0)],
    ["npm itself", (npm: ChildProcess) => npm.pid],
  ])(
    "stops the bot on SIGTERM to %s",
    async (_target, target) => {
      const npm = npmStart(env(_target.replaceAll(" ", "-")));
      const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
      const script = () => childOf(npm.pid ?? 0);
      try {
        const port = await listeningPort(npm);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        const bot = script();
        expect(bot).toBeDefined();
        // exec in the script: npm's child is node itself, not a shell waiting on it.
        expect(readFileSync(`/proc/${bot}/cmdline`, "utf8").split("\0")).toContain("src/main.ts");
        const pid = target(npm);
        if (pid === undefined) throw new Error("no process to signal");
        process.kill(pid, "SIGTERM");
        await exited;
        expect(npm.output()).toContain("compshare-bot stopped");
        expect(alive(bot ?? 0)).toBe(false);
        await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow(TypeError);
      } finally {
        const leftover = npm.exitCode === null ? script() : undefined;
        if (leftover) process.kill(leftover, "SIGKILL");
        if (npm.exitCode === null) npm.kill("SIGKILL");
      }
    },
    60_000,
  );
});
