import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { z } from "zod";
import type { Logger } from "../log.ts";
import type { DeliveryLedger } from "../store/types.ts";
import {
  blockActionsSchema,
  blockSuggestionSchema,
  eventCallbackSchema,
  slashCommandSchema,
  urlVerificationSchema,
  viewClosedSchema,
  viewSubmissionSchema,
} from "./slack-payloads.ts";

/**
 * Stands in front of Bolt's HTTPReceiver on the Slack endpoint. Bolt 5.1 trusts any signed body
 * (a `payload` of JSON null crashes its receiver) and only refuses old timestamps, so this guard
 * does, before Bolt sees a byte:
 *
 * - verifies the v0 signature and a timestamp within ±5 minutes of the wall clock (401);
 * - parses the body and checks the fields the bot reads against slack-payloads.ts (400, one
 *   warning naming the failed fields, never their values);
 * - claims the delivery in the store's ledger, keyed by Slack's own identity of it, so a replay
 *   or a retry is acknowledged (200, empty) without running again, on any replica.
 *
 * Deliveries that pass are handed to Bolt with the body already read.
 */

export const REPLAY_WINDOW_SECONDS = 5 * 60;
/** A claim outlives every timestamp still inside the window, whichever side of now it came from. */
const CLAIM_TTL_MS = 2 * REPLAY_WINDOW_SECONDS * 1000;
const PRUNE_EVERY_MS = 60_000;
const FORM = "application/x-www-form-urlencoded";

export interface ReceiverGuardOptions {
  signingSecret: string;
  endpoint: string;
  deliveries: DeliveryLedger;
  logger: Logger;
  /** Slack signs with the wall clock; tests that move the bot's own clock leave this alone. */
  wallClock?: () => number;
  bodyLimitBytes?: number;
}

/** Verdict on one request: refuse it, acknowledge it without running it, or let Bolt run it. */
type Verdict =
  | { kind: "refuse"; status: 400 | 401 | 413; why: string; problems?: string[] }
  | { kind: "ignore"; why: string }
  | { kind: "run"; deliveryKey?: string; releaseIfFormStaysOpen?: boolean };

/** Bolt keeps the body it buffered on the request; one read here serves both. */
type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

export function guardSlackEndpoint(bolt: RequestListener, options: ReceiverGuardOptions): RequestListener {
  const wallClock = options.wallClock ?? Date.now;
  const limit = options.bodyLimitBytes ?? 4 * 1024 * 1024;
  const log = options.logger.child({ component: "receiver-guard" });
  let lastPrune = 0;

  const pruneNowAndThen = () => {
    const now = wallClock();
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    options.deliveries
      .prune()
      .then((pruned) => pruned > 0 && log.debug({ pruned }, "pruned expired delivery claims"))
      .catch((error: unknown) => log.warn({ err: error }, "could not prune expired delivery claims"));
  };

  const decide = async (req: IncomingMessage, body: Buffer): Promise<Verdict> => {
    const signed = verifySignature(req, body, options.signingSecret, wallClock());
    if (!signed.ok) return { kind: "refuse", status: 401, why: signed.why };
    const parsed = parseBody(req.headers["content-type"], body);
    if (!parsed.ok) return { kind: "refuse", status: 400, why: parsed.why };
    const delivery = identify(parsed.value, req);
    if (delivery.kind !== "run" || delivery.identity === undefined) return delivery;
    const deliveryKey = createHash("sha256").update(delivery.identity).digest("hex");
    const claimed = await options.deliveries.claim(deliveryKey, CLAIM_TTL_MS);
    pruneNowAndThen();
    if (!claimed) return { kind: "ignore", why: "a delivery already handled came again" };
    return { kind: "run", deliveryKey, releaseIfFormStaysOpen: delivery.releaseIfFormStaysOpen ?? false };
  };

  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    // Bolt routes by the same pathname and upper-cased method: every POST it runs passes here first.
    if (path !== options.endpoint || req.method?.toUpperCase() !== "POST") {
      bolt(req, res);
      return;
    }
    const startedAt = wallClock();
    readBody(req, limit)
      .then(async (body) => {
        if (body === undefined) return answer(res, { kind: "refuse", status: 413, why: "body over the size limit" });
        // Bolt's own signature check is off (app.ts): this guard is the only one, ssl_check included.
        if (isSslCheck(req, body) && verifySignature(req, body, options.signingSecret, wallClock()).ok) {
          (req as BufferedRequest).rawBody = body;
          return bolt(req, res);
        }
        const verdict = await decide(req, body);
        if (verdict.kind === "refuse") {
          log.warn(
            { status: verdict.status, problems: verdict.problems, ms: wallClock() - startedAt },
            `refused a Slack request: ${verdict.why}`,
          );
          return answer(res, verdict);
        }
        if (verdict.kind === "ignore") {
          log.info({ ms: wallClock() - startedAt }, `acknowledged without running: ${verdict.why}`);
          return answer(res, verdict);
        }
        if (verdict.deliveryKey !== undefined && verdict.releaseIfFormStaysOpen) {
          releaseWhenTheFormStaysOpen(res, verdict.deliveryKey, options.deliveries, log);
        }
        (req as BufferedRequest).rawBody = body;
        bolt(req, res);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, "could not check a Slack request; answering 503 so Slack shows the failure");
        if (!res.headersSent) res.writeHead(503).end();
      });
  };
}

function answer(res: ServerResponse, verdict: Exclude<Verdict, { kind: "run" }>): void {
  if (verdict.kind === "refuse") res.writeHead(verdict.status).end();
  else res.writeHead(200).end();
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Slack's connectivity probe, signed like any request; Bolt answers it and drops anything smuggled alongside. */
function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  return req.headers["content-type"] === FORM && parseQuery(body.toString("utf8")).ssl_check === "1";
}

function verifySignature(
  req: IncomingMessage,
  body: Buffer,
  secret: string,
  nowMs: number,
): { ok: true } | { ok: false; why: string } {
  const signature = req.headers["x-slack-signature"];
  const timestamp = req.headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof timestamp !== "string" || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, why: "missing or malformed signature headers" };
  }
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > REPLAY_WINDOW_SECONDS) {
    return { ok: false, why: "timestamp outside the 5-minute window" };
  }
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, why: "signature mismatch" };
  }
  return { ok: true };
}

type Parsed = { ok: true; value: { form: true; fields: Record<string, unknown> } | { form: false; json: unknown } };

/** Parses the way Bolt does (form with an optional `payload` field, else JSON), refusing what Bolt would choke on. */
function parseBody(contentType: string | undefined, body: Buffer): Parsed | { ok: false; why: string } {
  const textBody = body.toString("utf8");
  try {
    if (contentType === FORM) {
      const fields = parseQuery(textBody);
      if (!("payload" in fields)) return { ok: true, value: { form: true, fields } };
      if (typeof fields.payload !== "string") return { ok: false, why: "more than one payload field" };
      return { ok: true, value: { form: false, json: JSON.parse(fields.payload) } };
    }
    return { ok: true, value: { form: false, json: JSON.parse(textBody) } };
  } catch {
    return { ok: false, why: "body is not valid JSON" };
  }
}

type Identified =
  | Exclude<Verdict, { kind: "run" }>
  | { kind: "run"; identity?: string; releaseIfFormStaysOpen?: boolean };

/**
 * Which kind of delivery this is, whether it carries what the bot reads, and Slack's identity
 * of it: the view and its version for a submission (a double click sends it twice, re-signed),
 * the event id for an event (Slack's retries keep it), and the signed timestamp and signature
 * for everything else (an exact replay repeats both).
 */
function identify(parsed: Parsed["value"], req: IncomingMessage): Identified {
  const signed = `sig:${String(req.headers["x-slack-request-timestamp"])}:${String(req.headers["x-slack-signature"])}`;
  const run = (identity?: string): Identified => ({ kind: "run", ...(identity ? { identity } : {}) });
  if (parsed.form) return conforming(slashCommandSchema, parsed.fields, "slash command", () => run(signed));
  const body = parsed.json;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { kind: "refuse", status: 400, why: "payload is not a JSON object" };
  }
  const type = (body as { type?: unknown }).type;
  switch (type) {
    case "block_actions":
      return conforming(blockActionsSchema, body, type, () => run(signed));
    case "view_submission":
      return conforming(viewSubmissionSchema, body, type, ({ view }) => ({
        kind: "run",
        identity: `view:${view.id}:${view.hash}`,
        releaseIfFormStaysOpen: true,
      }));
    case "view_closed":
      return conforming(viewClosedSchema, body, type, () => run(signed));
    // Options requests only read, and must answer within 3 s of each keystroke: no claim.
    case "block_suggestion":
      return conforming(blockSuggestionSchema, body, type, () => run());
    case "url_verification":
      return conforming(urlVerificationSchema, body, type, () => run());
    case "event_callback":
      return conforming(eventCallbackSchema, body, type, (event) =>
        req.headers["x-slack-retry-num"] !== undefined
          ? { kind: "ignore", why: "Slack retried an event" }
          : run(`event:${event.event_id}`),
      );
    default:
      if (typeof type === "string" && type.length <= 64) {
        return { kind: "ignore", why: "a kind of delivery the bot does not handle" };
      }
      return { kind: "refuse", status: 400, why: "payload has no type" };
  }
}

/** Goes on with the parsed delivery if it fits its schema; refuses it, naming fields and rules but no values, if not. */
function conforming<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  then: (delivery: z.output<S>) => Identified,
): Identified {
  const result = schema.safeParse(value);
  if (result.success) return then(result.data);
  const problems = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.code}`);
  return { kind: "refuse", status: 400, why: `${what} without the fields Slack always sends`, problems };
}

/**
 * Answers that leave the submitted form open and unchanged: field errors, or a view pushed on
 * top (the bot's "nothing changed"). Slack does not give the form a new hash then, so the user's
 * next submit of it comes with the same view.id and hash and must not be taken for a repeat.
 */
const LEFT_THE_FORM_OPEN = /"response_action"\s*:\s*"(errors|push)"/;

/**
 * A submission answered so that the form stays open changed nothing, and the user will send the
 * same view again: give its key back. So does one that failed outright.
 */
function releaseWhenTheFormStaysOpen(
  res: ServerResponse,
  deliveryKey: string,
  deliveries: DeliveryLedger,
  log: Logger,
): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const [chunk] = args;
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
    if (res.statusCode === 200 && !LEFT_THE_FORM_OPEN.test(text)) return end(...args);
    // The answer waits for the release, so the corrected submit cannot overtake it.
    deliveries
      .release(deliveryKey)
      .catch((error: unknown) => log.warn({ err: error }, "could not release a delivery claim"))
      .finally(() => end(...args));
    return res;
  }) as ServerResponse["end"];
}
