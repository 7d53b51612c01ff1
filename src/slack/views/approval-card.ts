import { causeOf, type ReinstallCause, WITHDRAWN_NOTE } from "../../domain/reinstall-outcome.ts";
import type { ApprovalRequest } from "../../store/types.ts";
import type { Messages } from "../i18n/messages.ts";
import { retCodeWords } from "../i18n/retcode-words.ts";
import { actions, type Block, button, context, fields, header, section } from "./blocks.ts";
import { typeLabel } from "./image-format.ts";
import { bold, code, escapeMrkdwn, truncate } from "./text.ts";
import { type MessagePayload, message, type ViewContext } from "./view-context.ts";

/** The request card in APPROVAL_CHANNEL: one message, edited in place as the request moves. */

export const APPROVAL_ACTIONS = {
  approve: "approval_approve",
  reject: "approval_reject",
  cancel: "approval_cancel",
} as const;

export const APPROVAL_ACTIONS_BLOCK = "approval_actions";

/** Slack renders <!date^…> in each reader's own time zone and language; the fallback is UTC. */
export function timeLabel(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

export function statusText(m: Messages, request: Pick<ApprovalRequest, "status">): string {
  return m.reinstall.statuses[request.status] ?? request.status;
}

/** "*name* `uhost-…` → *image* `compshareImage-…`", escaped, for one line. */
export function requestSummary(request: ApprovalRequest): string {
  const instance = request.instanceName
    ? `${bold(truncate(request.instanceName, 80))} ${code(request.instanceId)}`
    : code(request.instanceId);
  const image = request.imageName
    ? `${bold(truncate(request.imageName, 80))} ${code(request.imageId)}`
    : code(request.imageId);
  return `${instance} → ${image}`;
}

/** Plain text (confirm dialogs take no mrkdwn). */
function plainName(name: string | undefined, id: string): string {
  return name ? `${truncate(name, 60)} (${id})` : id;
}

export interface OutcomeWords {
  text: string;
  footnote?: string;
}

/** Why a reinstall failed or is unknown, in words; the footnote carries RetCode and request id. */
export function outcomeWords(m: Messages, cause: ReinstallCause, requestId: string | undefined): OutcomeWords {
  const o = m.reinstall.outcome;
  const withIds = (text: string, retCode?: number): OutcomeWords => {
    const id = requestId ? escapeMrkdwn(requestId.replaceAll("`", "'")) : undefined;
    if (retCode !== undefined && id) return { text, footnote: m.errors.support(String(retCode), id) };
    if (retCode !== undefined) return { text, footnote: m.errors.supportNoRequestId(String(retCode)) };
    if (id) return { text, footnote: m.errors.requestIdOnly(id) };
    return { text };
  };
  switch (cause.kind) {
    case "accepted":
      return withIds(m.reinstall.statuses.succeeded ?? "", 0);
    case "api": {
      if (cause.hint === "not_stopped") return withIds(o.notStopped, cause.retCode);
      return withIds(retCodeWords(m, cause.retCode, cause.message), cause.retCode);
    }
    case "keys_removed":
      return withIds(o.keysRemoved);
    case "keys_unreadable":
      return withIds(o.keysUnreadable);
    case "not_sent":
      return withIds(o.notSent);
    case "http":
      return withIds(o.http(cause.status));
    case "no_answer":
      return withIds(o.noAnswer);
    case "interrupted":
      return withIds(o.interrupted);
    case "internal":
      return withIds(o.internal);
  }
}

/** Where the request stands: one line (and a footnote) that both the card and the requester's DM show. */
function statusBlocks(ctx: ViewContext, request: ApprovalRequest): Block[] {
  const c = ctx.m.reinstall.card;
  const decider = request.decidedBy ?? request.requesterId;
  const decided = timeLabel(request.decidedAt ?? request.updatedAt);
  const finished = context(c.finished(timeLabel(request.updatedAt)));
  switch (request.status) {
    case "pending":
      return [context(c.pending(timeLabel(request.expiresAt)))];
    case "approved":
    case "executing":
      return [section(c.running(decider, decided))];
    case "succeeded": {
      const words = outcomeWords(ctx.m, { kind: "accepted" }, request.outcome?.requestId);
      return [section(c.succeeded(decider, decided)), words.footnote ? context(words.footnote) : finished];
    }
    case "failed":
    case "unknown": {
      const words = outcomeWords(ctx.m, causeOf(request), request.outcome?.requestId);
      const line = request.status === "failed" ? c.failed : c.unknown;
      return [section(line(decider, decided, words.text)), words.footnote ? context(words.footnote) : finished];
    }
    case "rejected":
      return [
        section(
          request.note
            ? c.rejectedWithReason(decider, decided, escapeMrkdwn(truncate(request.note, 1500)))
            : c.rejected(decider, decided),
        ),
      ];
    case "cancelled":
      return [section(request.note === WITHDRAWN_NOTE ? c.withdrawn(decided) : c.cancelled(decider, decided))];
    case "expired":
      return [section(c.expired(timeLabel(request.decidedAt ?? request.expiresAt)))];
  }
}

function detailBlocks(ctx: ViewContext, request: ApprovalRequest): Block[] {
  const c = ctx.m.reinstall.card;
  const instance = request.instanceName
    ? `${bold(truncate(request.instanceName, 200))}\n${code(request.instanceId)}`
    : code(request.instanceId);
  const image = request.imageName
    ? `${bold(truncate(request.imageName, 200))}\n${code(request.imageId)}`
    : code(request.imageId);
  return [
    header(c.title),
    section(c.asks(request.requesterId)),
    fields([
      `*${c.instance}*\n${instance}`,
      `*${c.gpu}*\n${request.instanceGpu ? escapeMrkdwn(truncate(request.instanceGpu, 100)) : "—"}`,
      `*${c.image}*\n${image}`,
      `*${c.imageType}*\n${typeLabel(ctx.m, request.imageType)}`,
      `*${c.stateWhenAsked}*\n${request.instanceState ? escapeMrkdwn(truncate(request.instanceState, 64)) : "—"}`,
      `*${c.location}*\n${code(request.region)} / ${code(request.zone)}`,
    ]),
    section(`*${c.reason}*\n${escapeMrkdwn(truncate(request.reason, 2800))}`),
    context(c.warning),
  ];
}

function decisionButtons(ctx: ViewContext, request: ApprovalRequest): Block {
  const c = ctx.m.reinstall.card;
  return actions(
    [
      button({
        text: c.approve,
        actionId: APPROVAL_ACTIONS.approve,
        value: request.id,
        style: "danger",
        confirm: {
          title: c.confirmTitle,
          text: c.confirmText(
            plainName(request.instanceName, request.instanceId),
            plainName(request.imageName, request.imageId),
          ),
          confirm: c.confirmYes,
          deny: c.confirmNo,
        },
      }),
      button({ text: c.reject, actionId: APPROVAL_ACTIONS.reject, value: request.id }),
      button({ text: c.cancel, actionId: APPROVAL_ACTIONS.cancel, value: request.id }),
    ],
    APPROVAL_ACTIONS_BLOCK,
  );
}

/** The whole card; buttons only while the request is pending, and they carry nothing but its id. */
export function approvalCard(ctx: ViewContext, request: ApprovalRequest): MessagePayload {
  const c = ctx.m.reinstall.card;
  // The fallback text is mrkdwn too (notifications, screen readers): names are data and get escaped.
  const fallback = `${c.title}: ${escapeMrkdwn(truncate(request.instanceName ?? request.instanceId, 80))} → ${escapeMrkdwn(truncate(request.imageName ?? request.imageId, 80))} (${statusText(ctx.m, request)})`;
  const blocks = [...detailBlocks(ctx, request), ...statusBlocks(ctx, request)];
  if (request.status === "pending") blocks.push(decisionButtons(ctx, request));
  return message(ctx, truncate(fallback, 300), blocks);
}

/** What the requester is told in a DM when their request moves on its own or by someone else's hand. */
export function requesterUpdate(ctx: ViewContext, request: ApprovalRequest, link: string | undefined): MessagePayload {
  const { dm } = ctx.m.reinstall;
  const summary = requestSummary(request);
  const blocks = [section(dm.intro(summary)), ...statusBlocks(ctx, request)];
  if (link) blocks.push(context(dm.openCard(link)));
  return message(ctx, truncate(`${ctx.m.reinstall.card.title}: ${statusText(ctx.m, request)}`, 300), blocks);
}
