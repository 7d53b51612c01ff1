import type { webApi } from "@slack/bolt";
import type { MessagePayload } from "./views/view-context.ts";

/**
 * Posting and editing request cards with a client that never retries on its own and rejects a
 * 429 instead of waiting (cardClient in services): a card post is not idempotent, so a retry after
 * a 500 could post a second card for one request; and progress edits are rescheduled by their
 * sender, which knows a newer state may be on its way.
 */

/** Marks each card with its request id, so an ambiguous post can be found again. */
const CARD_EVENT = "compshare_request_card";

export type CardPost =
  | { kind: "posted"; channel: string; ts: string }
  /** Slack refused for rate limiting; nothing was posted. */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** Slack refused (not in channel, channel not found…) or the post could not be confirmed: no card. */
  | { kind: "failed"; error: unknown };

export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  return code === "slack_webapi_rate_limited_error" && typeof retryAfter === "number" ? retryAfter : undefined;
}

/** Slack answered ok:false: a definite refusal, nothing was posted. */
function isRefusal(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "slack_webapi_platform_error";
}

/**
 * Posts a request's card once. On an answer that does not say whether Slack posted it (HTTP 5xx,
 * a timeout, a dropped connection), looks in the channel's recent history for the card carrying
 * this request's marker instead of posting again.
 */
export async function postCardOnce(
  client: webApi.WebClient,
  input: { channel: string; requestId: string; payload: MessagePayload; postedAfter: Date },
): Promise<CardPost> {
  try {
    const answer = await client.chat.postMessage({
      channel: input.channel,
      ...input.payload,
      metadata: { event_type: CARD_EVENT, event_payload: { request_id: input.requestId } },
    });
    return { kind: "posted", channel: answer.channel ?? input.channel, ts: answer.ts ?? "" };
  } catch (error) {
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) return { kind: "rate_limited", retryAfterSeconds: retryAfter };
    if (isRefusal(error)) return { kind: "failed", error };
    const found = await findCard(client, input).catch(() => undefined);
    return found ? { kind: "posted", channel: input.channel, ts: found } : { kind: "failed", error };
  }
}

async function findCard(
  client: webApi.WebClient,
  input: { channel: string; requestId: string; postedAfter: Date },
): Promise<string | undefined> {
  const history = await client.conversations.history({
    channel: input.channel,
    // A second's slack for clocks: Slack's ts and ours need not agree to the millisecond.
    oldest: String(Math.floor(input.postedAfter.getTime() / 1000) - 1),
    include_all_metadata: true,
    limit: 100,
  });
  const card = history.messages?.find(
    (message) =>
      message.metadata?.event_type === CARD_EVENT &&
      (message.metadata.event_payload as { request_id?: unknown } | undefined)?.request_id === input.requestId,
  );
  return card?.ts;
}
