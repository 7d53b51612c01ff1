import { type ChildProcess, spawn } from "node:child_process";
import { FAKE_TEAM_ID } from "../test/e2e/fake-slack.ts";
import type { Actor } from "../test/e2e/slack-requests.ts";

/** The parent's handle on bench/fakes-process.ts (fake Slack, simulators, fixed-body servers in a child process). */

/** The large simulator's platform catalogue, and the page asked of it (item 4 of issue 13). */
export const LARGE_CATALOGUE = 5000;
export const LARGE_CATALOGUE_PAGE = { Offset: 0, Limit: 20 } as const;

export type FakesMessage =
  | {
      type: "ready";
      slackApiUrl: string;
      /** A response_url is this plus an id. */
      responseUrlBase: string;
      simUrl: string;
      largeSimUrl: string;
      fixedUrl: string;
      fixedLargeUrl: string;
      demo: { publicKey: string; privateKey: string };
    }
  | { type: "response"; id: string }
  | { type: "latency-set"; apiLatencyMs: number };

export type FakesCommand = { apiLatencyMs: number };

export interface Fakes {
  slackApiUrl: string;
  /** The simulator with the demo data: what the bot and both baselines call. */
  simUrl: string;
  /** A simulator of LARGE_CATALOGUE platform images. */
  largeSimUrl: string;
  /** Replays the demo simulator's answer to the IMAGES_PAGE request. */
  fixedUrl: string;
  /** Replays the large simulator's answer to LARGE_CATALOGUE_PAGE. */
  fixedLargeUrl: string;
  demo: { publicKey: string; privateKey: string };
  /** Every simulator (demo data) call waits this long before it is answered, from now on. */
  setApiLatency(ms: number): Promise<void>;
  responseUrl(id: string): string;
  /** Resolves when the response_url post with this id arrives; call it before sending. */
  arrival(id: string): Promise<void>;
  /** response_url posts seen so far. */
  readonly responses: number;
  /** Resolves once at least `count` response_url posts have arrived in all. */
  responsesReach(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Users the fake Slack knows, so users.info answers as in a workspace. */
export const BENCH_USER_COUNT = 64;

export function benchUser(i: number): Actor {
  const n = String(i % BENCH_USER_COUNT).padStart(3, "0");
  return { userId: `U0BENCH${n}`, teamId: FAKE_TEAM_ID, channelId: "C0BENCH01" };
}

/** One in four speaks Chinese, so both catalogues are exercised. */
export function benchUserLocale(i: number): string {
  return i % 4 === 3 ? "zh-CN" : "en-US";
}

export async function startFakes(): Promise<Fakes> {
  const child = spawn(process.execPath, [new URL("./fakes-process.ts", import.meta.url).pathname], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<string, () => void>();
  let latencySet: (() => void) | undefined;
  let responses = 0;
  let countWaiters: { count: number; resolve: () => void }[] = [];
  const ready = new Promise<Extract<FakesMessage, { type: "ready" }>>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`fakes process exited early (${code})`)));
    child.on("message", (message: FakesMessage) => {
      if (message.type === "ready") {
        resolve(message);
        return;
      }
      if (message.type === "latency-set") {
        latencySet?.();
        return;
      }
      responses += 1;
      waiting.get(message.id)?.();
      waiting.delete(message.id);
      countWaiters = countWaiters.filter((w) => {
        if (responses < w.count) return true;
        w.resolve();
        return false;
      });
    });
  });
  const info = await ready;
  return {
    slackApiUrl: info.slackApiUrl,
    simUrl: info.simUrl,
    largeSimUrl: info.largeSimUrl,
    fixedUrl: info.fixedUrl,
    fixedLargeUrl: info.fixedLargeUrl,
    demo: info.demo,
    setApiLatency(ms) {
      return new Promise<void>((resolve) => {
        latencySet = resolve;
        child.send({ apiLatencyMs: ms } satisfies FakesCommand);
      });
    },
    responseUrl: (id) => info.responseUrlBase + id,
    arrival: (id) => new Promise<void>((resolve) => waiting.set(id, resolve)),
    get responses() {
      return responses;
    },
    responsesReach(count, timeoutMs) {
      if (responses >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${responses} of ${count} replies arrived in ${timeoutMs} ms`)),
          timeoutMs,
        );
        countWaiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.disconnect();
  });
}
