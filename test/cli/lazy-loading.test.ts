import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";

/**
 * What only some deployments need loads only when configured (issue 13, item 3): `start` on
 * SQLite in HTTP mode loads neither the PostgreSQL driver, nor the simulator, nor Bolt's entry
 * point with its Express receiver. The sandbox run shows the recording sees the simulator when
 * it is needed.
 */

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const RECORDER = new URL("../fixtures/record-modules.mjs", import.meta.url).pathname;

describe("start loads what its configuration needs", () => {
  const world = useLoopbackWorld("cli-lazy");

  async function modulesLoadedBy(name: string, env: Record<string, string>): Promise<string[]> {
    const record = join(world.dir, `${name}.modules`);
    const child = spawn(process.execPath, ["--import", RECORDER, MAIN, "start"], {
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: `xoxb-1-2-${randomBytes(8).toString("hex")}`,
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        CREDENTIALS_KEY: randomBytes(32).toString("base64"),
        SLACK_API_URL: world.slack.apiUrl,
        COMPSHARE_API_URL: world.sim.url,
        DATABASE_URL: `sqlite:${join(world.dir, `${name}.sqlite`)}`,
        PORT: "0",
        RECORD_MODULES_TO: record,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (child.signalCode === null && !child.killed && output.includes("compshare-bot is listening")) {
          child.kill("SIGTERM");
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", () => reject(new Error(`the bot exited before listening:\n${output}`)));
    });
    const code = await new Promise((resolve) => child.once("close", resolve));
    expect(code, output).toBe(0);
    return readFileSync(record, "utf8").split("\n");
  }

  const loaded = (modules: string[], pattern: RegExp) => modules.filter((url) => pattern.test(url));

  it("on SQLite, over HTTP: no pg, no simulator, no Express", async () => {
    const modules = await modulesLoadedBy("plain", {});
    expect(loaded(modules, /\/src\/slack\/app\.ts$/)).toHaveLength(1);
    expect(loaded(modules, /\/node_modules\/pg\//)).toEqual([]);
    expect(loaded(modules, /\/src\/simulator\//)).toEqual([]);
    expect(loaded(modules, /\/node_modules\/express\//)).toEqual([]);
    expect(loaded(modules, /\/node_modules\/@slack\/bolt\/dist\/index\.js$/)).toEqual([]);
  }, 60_000);

  it("in the sandbox, the simulator comes along", async () => {
    const modules = await modulesLoadedBy("sandbox", { COMPSHARE_SANDBOX: "true" });
    expect(loaded(modules, /\/src\/simulator\/simulator\.ts$/)).toHaveLength(1);
  }, 60_000);
});
