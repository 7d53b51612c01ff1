import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";

/** The real entry point as a process: what a user sees on a fresh machine, and how it stops. */

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function waitForOutput(read: () => string, pattern: RegExp, child: ChildProcess): Promise<RegExpMatchArray> {
  for (let i = 0; i < 200; i += 1) {
    const match = read().match(pattern);
    if (match) return match;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`output never matched ${pattern}: ${read()}`);
}

describe("compshare-bot start", () => {
  it("with no settings stops at once, naming each missing setting and how to get it", async () => {
    const p = run(["start"], {});
    expect(await p.exited).toBe(1);
    for (const name of ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "CREDENTIALS_KEY"])
      expect(p.stderr()).toContain(name);
    expect(p.stderr()).toContain("api.slack.com/apps");
    expect(p.stderr()).toContain("openssl rand -base64 32");
  });

  it("an unknown command prints usage and exits 2", async () => {
    const p = run(["frobnicate"], {});
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain("Usage: compshare-bot");
  });

  describe("with a fake Slack and the simulator", () => {
    const world = useLoopbackWorld("main");

    it("starts, answers /readyz, and on SIGTERM finishes and exits 0", async () => {
      const token = `xoxb-1-2-${randomBytes(8).toString("hex")}`;
      const p = run(["start"], {
        SLACK_BOT_TOKEN: token,
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        CREDENTIALS_KEY: randomBytes(32).toString("base64"),
        SLACK_API_URL: world.slack.apiUrl,
        COMPSHARE_API_URL: world.sim.url,
        DATABASE_URL: `sqlite:${join(world.dir, "bot.sqlite")}`,
        PORT: "0",
      });
      const [, port] = await waitForOutput(p.stdout, /"port":(\d+)/, p.child);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      expect(p.stdout()).toContain("compshare-bot stopped");
      expect(p.stdout() + p.stderr()).not.toContain(token);
    });

    it("says clearly when Slack rejects the token", async () => {
      world.slack.fail("auth.test", { kind: "error", error: "invalid_auth" });
      const p = run(["start"], {
        SLACK_BOT_TOKEN: "xoxb-1-2-revoked",
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        CREDENTIALS_KEY: randomBytes(32).toString("base64"),
        SLACK_API_URL: world.slack.apiUrl,
        DATABASE_URL: `sqlite:${join(world.dir, "bot2.sqlite")}`,
        PORT: "0",
      });
      expect(await p.exited).toBe(1);
      expect(p.stderr()).toContain("invalid_auth");
      expect(p.stderr(), p.stderr()).toContain("SLACK_BOT_TOKEN");
    });
  });
});
