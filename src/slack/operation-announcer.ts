import type { webApi } from "@slack/bolt";
import type { Operation, OperationEvent } from "../domain/operations/index.ts";
import type { Logger } from "../log.ts";
import { retryAfterOf } from "./card-delivery.ts";
import { messagesFor } from "./i18n/messages.ts";
import type { BotServices } from "./services.ts";
import { operationCard, requesterUpdate } from "./views/operation-card.ts";
import type { ViewContext } from "./views/view-context.ts";

/**
 * How the engine's events reach people. The card in APPROVAL_CHANNEL is edited in place from the
 * stored channel and ts (a response_url would expire long before a 24 h request does), at most
 * once per card every `minIntervalMs`: changes in between are coalesced into the newest state.
 * A 429 puts the edit back with Slack's Retry-After, still carrying the newest state, so the
 * final one is never lost. The requester gets a DM when someone else moves their request and
 * when its plan ends.
 */

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AnnouncerOptions {
  services: Pick<BotServices, "config" | "locales" | "logger">;
  /** The card client: no retries of its own, 429s rejected (card-delivery.ts). */
  cardClient: webApi.WebClient;
  /** For DMs and permalinks, with the bot's usual retry policy. */
  client: webApi.WebClient;
  clock: () => number;
  timers?: Timers;
  minIntervalMs?: number;
}

export interface OperationAnnouncer {
  hear(event: OperationEvent): Promise<void>;
  /** Redraws a card now-ish (coalesced like every edit): a late click, a refused decision. */
  redraw(operation: Operation): void;
  /**
   * Redraws a card as soon as its interval allows, for the person whose click moved it; false when
   * the card is gone (deleted, never posted). A 429 counts as drawn: the edit is rescheduled with
   * the newest state.
   */
  updateNow(operation: Operation): Promise<boolean>;
  permalink(operation: Operation): Promise<string | undefined>;
  /** Sends every waiting edit at once (shutdown), then stops scheduling. */
  drain(): Promise<void>;
}

interface CardState {
  latest: Operation | undefined;
  lastSentAt: number;
  timer: unknown;
  sending: Promise<void> | undefined;
}

const DEFAULT_INTERVAL_MS = 2_000;

/** The card is read by everyone in the channel, so it speaks the workspace's default language. */
export function channelViewContext(config: BotServices["config"]): ViewContext {
  const locale = config.defaultLocale;
  return { m: messagesFor(locale), locale, sandbox: config.compshare.sandbox };
}

export function createOperationAnnouncer(options: AnnouncerOptions): OperationAnnouncer {
  const { services, cardClient, client, clock } = options;
  const timers: Timers = options.timers ?? {
    setTimeout: (run, ms) => setTimeout(run, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const interval = options.minIntervalMs ?? DEFAULT_INTERVAL_MS;
  const log: Logger = services.logger.child({ component: "operation-announcer" });
  const cards = new Map<string, CardState>();
  let draining = false;

  const idle = (state: CardState) => !state.latest && state.timer === undefined && !state.sending;
  /**
   * A card with nothing waiting is forgotten once its interval has passed (until then its last
   * edit's time still holds the next one back), so the map holds only cards edited lately.
   */
  const forgetIdle = () => {
    for (const [id, state] of cards) {
      if (idle(state) && clock() - state.lastSentAt >= interval) cards.delete(id);
    }
  };

  const send = async (id: string, state: CardState): Promise<boolean> => {
    const operation = state.latest;
    state.latest = undefined;
    if (!operation?.channelId || !operation.messageTs) return false;
    state.lastSentAt = clock();
    try {
      await cardClient.chat.update({
        channel: operation.channelId,
        ts: operation.messageTs,
        ...operationCard(channelViewContext(services.config), operation),
      });
    } catch (error) {
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined && !draining) {
        // Keep the newest state: one that arrived meanwhile wins over the one that was refused.
        state.latest ??= operation;
        arm(id, state, Math.max(retryAfter * 1000, interval));
        log.info({ operation: id, retryAfter }, "card edit rate-limited; will send the newest state later");
        return true;
      }
      log.warn({ err: error, operation: id }, "could not update a request card");
      return false;
    }
    return true;
  };

  const arm = (id: string, state: CardState, delay: number) => {
    // While draining, whatever is waiting is sent by drain itself.
    if (state.timer !== undefined || draining) return;
    state.timer = timers.setTimeout(() => {
      state.timer = undefined;
      state.sending = send(id, state)
        .then(() => undefined)
        .finally(() => {
          state.sending = undefined;
          if (state.latest) schedule(state.latest);
        });
    }, delay);
  };

  const stateOf = (id: string): CardState => {
    let state = cards.get(id);
    if (!state) {
      state = { latest: undefined, lastSentAt: Number.NEGATIVE_INFINITY, timer: undefined, sending: undefined };
      cards.set(id, state);
    }
    return state;
  };

  const schedule = (operation: Operation) => {
    if (!operation.channelId || !operation.messageTs) return;
    forgetIdle();
    const state = stateOf(operation.id);
    if (!state.latest || state.latest.updatedAt <= operation.updatedAt) state.latest = operation;
    if (state.sending || state.timer !== undefined) return;
    arm(operation.id, state, Math.max(0, state.lastSentAt + interval - clock()));
  };

  const permalink = async (operation: Operation): Promise<string | undefined> => {
    if (!operation.channelId || !operation.messageTs) return undefined;
    try {
      return (await client.chat.getPermalink({ channel: operation.channelId, message_ts: operation.messageTs }))
        .permalink;
    } catch (error) {
      log.info({ err: error, operation: operation.id }, "no permalink for a request card");
      return undefined;
    }
  };

  const tellRequester = async (operation: Operation): Promise<void> => {
    try {
      const locale = await services.locales.resolve(operation.requesterId);
      const ctx: ViewContext = { m: messagesFor(locale), locale, sandbox: services.config.compshare.sandbox };
      const link = await permalink(operation);
      // A user id as the channel posts into the app's DM with that user.
      await client.chat.postMessage({ channel: operation.requesterId, ...requesterUpdate(ctx, operation, link) });
    } catch (error) {
      log.warn({ err: error, operation: operation.id }, "could not tell the requester");
    }
  };

  return {
    async hear(event) {
      // Card-less operations (stop, start, reboot) are followed by their reply instead.
      if (!event.operation.channelId) return;
      schedule(event.operation);
      if (event.type === "plan-finished") await tellRequester(event.operation);
      else if (event.type === "request-moved" && ["decision", "expired", "keys_changed"].includes(event.cause)) {
        // A requester who cancelled clicked it themselves (an approver may cancel a scheduled run: then they hear);
        // who was approved hears again when the plan ends.
        const ownCancel =
          event.operation.status === "cancelled" &&
          event.cause === "decision" &&
          event.operation.decidedBy === event.operation.requesterId;
        if (!ownCancel) await tellRequester(event.operation);
      }
    },
    redraw: schedule,
    async updateNow(operation) {
      if (!operation.channelId || !operation.messageTs) return false;
      const state = stateOf(operation.id);
      // Even a click's own redraw keeps to one edit per card per interval (a scheduled one may go first).
      for (;;) {
        await state.sending;
        const wait = state.lastSentAt + interval - clock();
        if (wait <= 0) break;
        await new Promise<void>((resolve) => timers.setTimeout(resolve, wait));
      }
      if (state.timer !== undefined) {
        timers.clearTimeout(state.timer);
        state.timer = undefined;
      }
      if (!state.latest || state.latest.updatedAt <= operation.updatedAt) state.latest = operation;
      return send(operation.id, state);
    },
    permalink,
    async drain() {
      draining = true;
      const waiting = [...cards.entries()];
      for (const [, state] of waiting) {
        if (state.timer !== undefined) timers.clearTimeout(state.timer);
        state.timer = undefined;
      }
      await Promise.all(waiting.map(([id, state]) => (state.sending ?? Promise.resolve()).then(() => send(id, state))));
    },
  };
}
