import type { webApi } from "@slack/bolt";
import type { SweepReason } from "../../domain/approval-housekeeping.ts";
import type { ApprovalRequest } from "../../store/types.ts";
import { messagesFor } from "../i18n/messages.ts";
import type { BotServices } from "../services.ts";
import { approvalCard, requesterUpdate } from "../views/approval-card.ts";
import type { ViewContext } from "../views/view-context.ts";

/**
 * How a request's moves reach people: the card in APPROVAL_CHANNEL is edited in place from the
 * stored channel and ts (DESIGN §7: response_url would expire long before a 24 h request does),
 * and the requester gets a DM in their own language.
 */
export interface ApprovalAnnouncer {
  /** Redraws the card; throws Slack's error (e.g. message_not_found when it was deleted). */
  refreshCard(request: ApprovalRequest): Promise<void>;
  /** DMs the requester where their request stands; a failure is logged, not thrown. */
  tellRequester(request: ApprovalRequest): Promise<void>;
  permalink(request: ApprovalRequest): Promise<string | undefined>;
  /** After a sweep moved a request: card, DM and audit. */
  announceSwept(request: ApprovalRequest, reason: SweepReason): Promise<void>;
}

/** The card is read by everyone in the channel, so it speaks the workspace's default language. */
export function channelViewContext(services: BotServices): ViewContext {
  const locale = services.config.defaultLocale;
  return { m: messagesFor(locale), locale, sandbox: services.config.compshare.sandbox };
}

export function approvalAnnouncer(services: BotServices, client: webApi.WebClient): ApprovalAnnouncer {
  const log = services.logger.child({ component: "approval-announcer" });

  const permalink = async (request: ApprovalRequest): Promise<string | undefined> => {
    if (!request.channelId || !request.messageTs) return undefined;
    try {
      const answer = await client.chat.getPermalink({ channel: request.channelId, message_ts: request.messageTs });
      return answer.permalink;
    } catch (error) {
      log.info({ err: error, approval: request.id }, "no permalink for a request card");
      return undefined;
    }
  };

  const refreshCard = async (request: ApprovalRequest): Promise<void> => {
    if (!request.channelId || !request.messageTs) return;
    await client.chat.update({
      channel: request.channelId,
      ts: request.messageTs,
      ...approvalCard(channelViewContext(services), request),
    });
  };

  const tellRequester = async (request: ApprovalRequest): Promise<void> => {
    try {
      const locale = await services.locales.resolve(request.requesterId);
      const ctx: ViewContext = { m: messagesFor(locale), locale, sandbox: services.config.compshare.sandbox };
      const link = await permalink(request);
      // A user id as the channel posts into the app's DM with that user.
      await client.chat.postMessage({ channel: request.requesterId, ...requesterUpdate(ctx, request, link) });
    } catch (error) {
      log.warn({ err: error, approval: request.id }, "could not tell the requester");
    }
  };

  return {
    refreshCard,
    tellRequester,
    permalink,
    async announceSwept(request, reason) {
      await services.store.audit.append({
        teamId: request.teamId,
        actorId: "system",
        action: reason === "expired" ? "reinstall.expire" : "reinstall.interrupted",
        target: request.instanceId,
        result: request.status,
        detail: { approval: request.id, requester: request.requesterId },
      });
      try {
        await refreshCard(request);
      } catch (error) {
        log.warn({ err: error, approval: request.id }, "could not update a swept request's card");
      }
      await tellRequester(request);
    },
  };
}
