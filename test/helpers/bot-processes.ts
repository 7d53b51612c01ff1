import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Starts test/helpers/bot-process.ts as a child process; resolves once it listens. */
export interface BotProcess {
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL: the process ends between two instructions, as a crash or an OOM kill would end it. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful stop. */
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL("./bot-process.ts", import.meta.url));

export async function spawnBot(env: Record<string, string>, tuning: Record<string, number> = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH ?? "", ...env, TEST_BOT_TUNING: JSON.stringify(tuning) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${output}`)), 20_000);
    const look = () => {
      const found = /LISTENING (\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    };
    child.stdout?.on("data", look);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    port,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
