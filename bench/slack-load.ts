import { randomUUID } from "node:crypto";
import { Pool } from "undici";
import type { Actor } from "../test/e2e/slack-requests.ts";
import { signSlackBody, slashCommandForm } from "../test/e2e/slack-requests.ts";

/**
 * Signed Slack requests prepared before the clock starts, sent over a keep-alive pool, so the
 * load generator's own work is small and the same for the bot and its baseline.
 */

export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
  /** The response_url id the bot's reply will arrive under. */
  responseId: string;
}

/** A slash command exactly as SlackSender.command sends it, signed in advance. */
export function prepareCommand(
  signingSecret: string,
  text: string,
  actor: Actor,
  responseUrl: (id: string) => string,
): PreparedRequest {
  const responseId = randomUUID();
  const body = new URLSearchParams(
    slashCommandForm({ text, actor, responseUrl: responseUrl(responseId), triggerId: `trigger-${randomUUID()}` }),
  ).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    responseId,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlackBody(signingSecret, timestamp, body),
    },
  };
}

export class SlackLoad {
  readonly #pool: Pool;

  constructor(baseUrl: string, connections: number) {
    this.#pool = new Pool(baseUrl, { connections, keepAliveTimeout: 60_000 });
  }

  /** POSTs to /slack/events; resolves with the status once the whole answer is read. */
  async send(request: PreparedRequest): Promise<number> {
    const response = await this.#pool.request({
      path: "/slack/events",
      method: "POST",
      headers: request.headers,
      body: request.body,
    });
    await response.body.dump();
    return response.statusCode;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * Runs the task once per item with `concurrency` of them in flight at every moment (a closed
 * loop) and returns each task's duration in ms. A task that throws stops the run.
 */
export async function closedLoop<T>(
  concurrency: number,
  items: readonly T[],
  task: (item: T, i: number) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const queue = items.entries();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (const [i, item] of queue) {
      const t0 = performance.now();
      await task(item, i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
