import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";

/** The real entry point as a process: an unhandled rejection is logged and counted, and the bot keeps serving. */

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const STRAY = new URL("./fixtures/stray-rejection.ts", import.meta.url).pathname;

async function eventually<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${what}`);
}

describe("the last-resort handler in main.ts", () => {
  const world = useLoopbackWorld("last-resort");

  it("logs an unhandled rejection, counts it on /metrics, and keeps serving", async () => {
    const child = spawn(process.execPath, ["--import", STRAY, MAIN, "start"], {
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: `xoxb-1-2-${randomBytes(8).toString("hex")}`,
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        CREDENTIALS_KEY: randomBytes(32).toString("base64"),
        SLACK_API_URL: world.slack.apiUrl,
        COMPSHARE_API_URL: world.sim.url,
        DATABASE_URL: `sqlite:${join(world.dir, "bot.sqlite")}`,
        PORT: "0",
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const port = await eventually(() => /"port":(\d+)/.exec(output)?.[1], "the port");
      child.kill("SIGUSR2");
      await eventually(() => (output.includes("unhandled promise rejection") ? true : undefined), "the log line");
      expect(output).toContain("a stray rejection inside a request");
      expect(child.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^compshare_bot_unhandled_rejections_total 1$/m);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
