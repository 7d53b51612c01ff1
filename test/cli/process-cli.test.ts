import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useLoopbackWorld } from "../helpers/loopback-world.ts";

/**
 * The command line as a Unix tool, through the real entry point as a process: --help and
 * --version for every command without side effects, unknown flags named with exit 2, and a
 * reader that closes the pipe early ending the command quietly.
 */

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  env?: Record<string, string>;
  /** Close our end of the child's stdout once this much of it has arrived (0: at once). */
  closeStdoutAfter?: RegExp | 0;
  /** Sent once stdout was closed. */
  thenSignal?: NodeJS.Signals;
}

function run(args: string[], options: RunOptions = {}): Promise<Run> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  const closeStdout = () => {
    child.stdout.destroy();
    if (options.thenSignal) child.kill(options.thenSignal);
  };
  if (options.closeStdoutAfter === 0) closeStdout();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.closeStdoutAfter instanceof RegExp && options.closeStdoutAfter.test(stdout)) closeStdout();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("--help and --version", () => {
  const world = useLoopbackWorld("cli-help");

  it.each([
    ["start", "--help"],
    ["simulator", "--help"],
    ["call", "--help"],
    ["doctor", "-h"],
  ])("%s %s prints its usage and exits 0", async (command, flag) => {
    const result = await run([command, flag]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Usage: compshare-bot ${command}`);
    expect(result.stdout).toContain("-h, --help");
    expect(result.stderr).toBe("");
  });

  it("start --help with a full configuration neither talks to Slack nor opens the store", async () => {
    const database = join(world.dir, "help.sqlite");
    const result = await run(["start", "--help"], {
      env: {
        SLACK_BOT_TOKEN: `xoxb-1-2-${randomBytes(8).toString("hex")}`,
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        CREDENTIALS_KEY: randomBytes(32).toString("base64"),
        SLACK_API_URL: world.slack.apiUrl,
        DATABASE_URL: `sqlite:${database}`,
        PORT: "0",
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: compshare-bot start");
    expect(world.slack.calls).toEqual([]);
    expect(existsSync(database)).toBe(false);
  });

  it("start with a bad POLICY_FILE exits 1 naming every problem and its line, before opening the store", async () => {
    const database = join(world.dir, "bad-policy.sqlite");
    const policy = join(world.dir, "bad-policy.yml");
    writeFileSync(
      policy,
      'reinstall:\n  approvers: [U0A1]\n  approval_channel: C0A\n  approvals: 2\n  windows: ["Sat 06:00-01:00 UTC"]\n',
    );
    const result = await run(["start"], {
      env: {
        SLACK_BOT_TOKEN: `xoxb-1-2-${randomBytes(8).toString("hex")}`,
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        CREDENTIALS_KEY: randomBytes(32).toString("base64"),
        SLACK_API_URL: world.slack.apiUrl,
        DATABASE_URL: `sqlite:${database}`,
        POLICY_FILE: policy,
        PORT: "0",
        LOG_LEVEL: "silent",
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`POLICY_FILE ${policy} has 2 problems to fix`);
    expect(result.stderr).toContain(`${policy}:4: reinstall needs 2 approvals but lists only 1 approver`);
    expect(result.stderr).toContain(`${policy}:5: reinstall.windows[0] 06:00-01:00 ends before it starts`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(database)).toBe(false);
  });

  it("doctor --help does not run the checks", async () => {
    const result = await run(["doctor", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/FAIL|ok {2}/);
  });

  it("help lists every command with its flags, and help <command> is that command's --help", async () => {
    const all = await run(["help"]);
    expect(all.code).toBe(0);
    for (const line of ["start", "simulator [--port N]", "call <Action> [Key=Value ...]", "doctor"])
      expect(all.stdout).toContain(`  ${line}`);
    expect((await run(["--help"])).stdout).toBe(all.stdout);
    expect((await run(["help", "simulator"])).stdout).toBe((await run(["simulator", "--help"])).stdout);
  });

  it.each([[["--version"]], [["start", "--version"]], [["doctor", "--version"]]])(
    "%j prints the package version",
    async (args) => {
      const result = await run(args);
      expect(result).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    },
  );
});

describe("bad arguments", () => {
  it.each([
    [
      ["start", "--port", "4000", "--frobnicate"],
      ["unknown option --port", "unknown option --frobnicate"],
    ],
    [["start", "now"], ['unexpected argument "now"']],
    [["doctor", "--verbose"], ["unknown option --verbose"]],
    [["doctor", "all"], ['unexpected argument "all"']],
    [["simulator", "--port"], ["--port needs a value"]],
    [["simulator", "--port", "8787", "extra"], ['unexpected argument "extra"']],
    [["simulator", "-p", "8787"], ["unknown option -p"]],
    [["call", "DescribeCompShareImages", "--limit=5"], ["unknown option --limit"]],
    [["call", "DescribeCompShareImages", "Limit=5", "Limit=10"], ["Limit is given more than once"]],
    [["frobnicate"], ['unknown command "frobnicate"']],
    [["--frobnicate"], ["unknown option --frobnicate"]],
  ])("%j exits 2 naming %j, with usage", async (args, named) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    for (const problem of named) expect(result.stderr).toContain(problem);
    expect(result.stderr).toContain("Usage: compshare-bot");
    expect(result.stdout).toBe("");
  });
});

describe("a reader that closes the pipe early", () => {
  const world = useLoopbackWorld("cli-epipe");
  const noStackTrace = (result: Run) => {
    expect(result.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  };

  it("call … | head -1 ends quietly with the call's own exit code", async () => {
    const result = await run(["call", "DescribeCompShareImages", "Region=cn-wlcb", "Limit=100"], {
      env: {
        COMPSHARE_API_URL: world.sim.url,
        COMPSHARE_PUBLIC_KEY: world.sim.demoAccount.publicKey,
        COMPSHARE_PRIVATE_KEY: world.sim.demoAccount.privateKey,
      },
      closeStdoutAfter: 0,
    });
    noStackTrace(result);
    expect(result.stderr).toMatch(/^request id /);
    expect(result.code).toBe(0);
  });

  it("doctor | head -1 ends quietly", async () => {
    const result = await run(["doctor"], {
      env: {
        SLACK_BOT_TOKEN: `xoxb-1-2-${randomBytes(8).toString("hex")}`,
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        CREDENTIALS_KEY: randomBytes(32).toString("base64"),
        SLACK_API_URL: world.slack.apiUrl,
        COMPSHARE_API_URL: world.sim.url,
        DATABASE_URL: `sqlite:${join(world.dir, "doctor.sqlite")}`,
      },
      closeStdoutAfter: 0,
    });
    noStackTrace(result);
    expect(result.code).toBe(0);
  });

  it("the simulator, its banner read and the pipe closed, stops on SIGINT without a trace", async () => {
    const result = await run(["simulator", "--port", "0"], {
      env: { LOG_LEVEL: "warn" },
      closeStdoutAfter: /Press Ctrl\+C to stop\./,
      thenSignal: "SIGINT",
    });
    noStackTrace(result);
    expect(result.code).toBe(0);
  });
});
