import { Agent, type Dispatcher, request } from "undici";

/**
 * Posts replies to a Slack response_url. Bolt's respond() goes through the global fetch, whose
 * WHATWG streams cost about a third of the bot's CPU per slash command (bench/results); undici's
 * request on a keep-alive agent does the same POST for a fraction of that, which keeps acks fast
 * under load.
 */
export interface ResponseUrlPoster {
  post(url: string, payload: object): Promise<void>;
  close(): Promise<void>;
}

/** Slack refused the reply: the URL expired (30 minutes) or was used up (5 posts), or Slack failed. */
export class ResponseUrlError extends Error {
  readonly code = "slack_response_url_failed";
  readonly status: number;
  constructor(status: number) {
    super(`Slack answered HTTP ${status} to a response_url post`);
    this.name = "ResponseUrlError";
    this.status = status;
  }
}

export function createResponseUrlPoster(options: { timeoutMs: number; dispatcher?: Dispatcher }): ResponseUrlPoster {
  const agent = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connect: { timeout: options.timeoutMs } });
  return {
    async post(url, payload) {
      const { statusCode, body } = await request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        dispatcher: agent,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      await body.dump();
      if (statusCode >= 400) throw new ResponseUrlError(statusCode);
    },
    close: () => (options.dispatcher ? Promise.resolve() : agent.close()),
  };
}
