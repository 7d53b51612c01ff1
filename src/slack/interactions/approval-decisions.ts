import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import { accountFor } from "../../domain/accounts.ts";
import { decisionRefusal } from "../../domain/approvers.ts";
import { hasControlCharacters } from "../../domain/free-text.ts";
import { approveAndReinstall } from "../../domain/reinstall-execution.ts";
import { APPROVAL_ID_PATTERN } from "../../store/approval-id.ts";
import type { ApprovalRequest } from "../../store/types.ts";
import { messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import type { BotServices } from "../services.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { statusText, timeLabel } from "../views/approval-card.ts";
import { noticeMessage } from "../views/help.ts";
import { noticeModal } from "../views/modals.ts";
import { REASON_MAX, REJECT_ACTION, REJECT_BLOCK, rejectModal } from "../views/reinstall-modal.ts";
import { type ApprovalAnnouncer, approvalAnnouncer } from "./approval-announcer.ts";
import { groupMembers, type ReinstallKit } from "./reinstall-kit.ts";

/**
 * Journey 5: Approve, Reject and Cancel on the card. Every click is authorised here from
 * body.user.id; the button value only names the request. A refused or late click gets an
 * ephemeral explanation and changes nothing.
 */

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Verdict = "approve" | "reject" | "cancel";

/** The part of a decision every verdict shares: who clicked, on what, and how to answer them. */
interface Click {
  services: BotServices;
  kit: ReinstallKit;
  turn: Turn;
  client: webApi.WebClient;
  announcer: ApprovalAnnouncer;
  /** An ephemeral line to the clicker. */
  say(text: string, footnote?: string): Promise<void>;
}

export function handleDecisionClick(kit: ReinstallKit, verdict: Verdict) {
  return async (services: BotServices, args: ButtonArgs): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const turn = await beginTurn(
      services,
      { teamId, userId: body.user.id, what: `approval_${verdict}` },
      // Reject opens a modal, so its trigger id must still be fresh.
      verdict === "reject" ? { maxWaitMs: 800 } : {},
    );
    const reply = messageReply(services.responseUrls, body.response_url, turn);
    const click: Click = {
      services,
      kit,
      turn,
      client,
      announcer: approvalAnnouncer(services, client),
      say: (text, footnote) => reply.send(noticeMessage(turn.view, text, footnote)),
    };
    let outcome: CommandOutcome;
    try {
      const request = await decidable(click, action.value, verdict);
      if (!request) outcome = "user_error";
      else if (verdict === "approve") outcome = await approve(click, request);
      else if (verdict === "cancel") outcome = await cancel(click, request);
      else {
        await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(turn.view, request) });
        outcome = "ok";
      }
    } catch (error) {
      outcome = await reportError(turn, error, (r) => reply.error(r));
    }
    services.metrics.commandFinished(`approval_${verdict}`, outcome);
  };
}

/** Where each refusal's words live in the catalogue. */
const refusalKey = { not_approver: "notApprover", unverified: "unverified", own_request: "ownRequest" } as const;

/**
 * The request the click names, if this user may make this move on it now; otherwise the user
 * has been told why and undefined comes back.
 */
async function decidable(
  click: Click,
  value: string | undefined,
  verdict: Verdict,
): Promise<ApprovalRequest | undefined> {
  const { services, turn } = click;
  const r = turn.m.reinstall.decision;
  const request = APPROVAL_ID_PATTERN.test(value ?? "") ? await services.store.approvals.get(value ?? "") : undefined;
  if (!request || request.teamId !== turn.teamId) {
    await click.say(r.notFound);
    return undefined;
  }
  const refusal = await refusalFor(click, request, verdict);
  if (refusal) {
    turn.log.info({ approval: request.id, refusal }, "decision refused");
    await services.store.audit.append({
      teamId: turn.teamId,
      actorId: turn.userId,
      action: `reinstall.${verdict}`,
      target: request.instanceId,
      result: `refused:${refusal}`,
      detail: { approval: request.id },
    });
    await click.say(refusal === "not_requester" ? r.notRequester(request.requesterId) : r[refusalKey[refusal]]);
    return undefined;
  }
  if (request.status !== "pending") {
    await explainLate(click, request);
    return undefined;
  }
  if (request.expiresAt.getTime() <= services.clock()) {
    await expireNow(click, request);
    return undefined;
  }
  return request;
}

async function refusalFor(
  click: Click,
  request: ApprovalRequest,
  verdict: Verdict,
): Promise<"not_approver" | "unverified" | "own_request" | "not_requester" | undefined> {
  const { turn, services } = click;
  if (verdict === "cancel") return turn.userId === request.requesterId ? undefined : "not_requester";
  const check = await click.kit.approvers.check(turn.userId, groupMembers(click.client));
  return decisionRefusal({
    check,
    deciderId: turn.userId,
    requesterId: request.requesterId,
    verdict,
    allowSelfApproval: services.config.approval.allowSelfApproval,
  });
}

/** Someone got there first: say who and when, and redraw the card in case it still shows buttons. */
async function explainLate(click: Click, current: ApprovalRequest | undefined): Promise<void> {
  const r = click.turn.m.reinstall;
  if (!current) {
    await click.say(r.decision.notFound);
    return;
  }
  if (current.status === "pending") {
    // Only the clock can make a pending request refuse a decision.
    await expireNow(click, current);
    return;
  }
  const verb =
    current.status === "rejected" || current.status === "cancelled" || current.status === "expired"
      ? r.decided[current.status]
      : r.decided.approved;
  const when = timeLabel(current.decidedAt ?? current.updatedAt);
  await click.say(r.decision.alreadyDecided(verb, current.decidedBy, when));
  await click.announcer.refreshCard(current).catch((error: unknown) => {
    click.turn.log.info({ err: error, approval: current.id }, "could not redraw a decided card");
  });
}

/** A click on a card whose time is up: expire it now rather than wait for the sweep, and say so. */
async function expireNow(click: Click, request: ApprovalRequest): Promise<void> {
  const moved = await click.services.store.approvals.transition(request.id, "pending", "expired");
  if (!moved.ok) {
    await explainLate(click, moved.current);
    return;
  }
  await click.say(click.turn.m.reinstall.decision.expired(timeLabel(moved.request.expiresAt)));
  await click.announcer.announceSwept(moved.request, "expired");
}

/** Card first, then the requester, then (only if the card could not be edited) the decider. */
async function announceDecision(click: Click, request: ApprovalRequest, dm: boolean): Promise<void> {
  let cardUpdated = true;
  try {
    await click.announcer.refreshCard(request);
  } catch (error) {
    cardUpdated = false;
    click.turn.log.warn({ err: error, approval: request.id }, "could not update the request card");
  }
  if (dm) await click.announcer.tellRequester(request);
  if (!cardUpdated) {
    await click.say(click.turn.m.reinstall.decision.cardNotUpdated(statusText(click.turn.m, request)));
  }
}

async function approve(click: Click, request: ApprovalRequest): Promise<CommandOutcome> {
  const { services, turn } = click;
  const result = await approveAndReinstall(
    {
      approvals: services.store.approvals,
      audit: services.store.audit,
      logger: turn.log,
      requesterClient: async (r) =>
        (await accountFor(services.store, services.compshare, r.teamId, r.requesterId)).client,
      onExecuting: (executing) => click.announcer.refreshCard(executing),
    },
    request.id,
    turn.userId,
  );
  if (result.kind === "lost") {
    await explainLate(click, result.current);
    return "user_error";
  }
  await announceDecision(click, result.request, true);
  return "ok";
}

function cancel(click: Click, request: ApprovalRequest): Promise<CommandOutcome> {
  return closeUnrun(click, request, "cancelled", undefined);
}

/**
 * The rejection form's submit. Authorised again, since anyone can submit a view with any
 * metadata; the first answer goes back in the ack, later ones (a card that could not be
 * edited) update the same modal.
 */
export function handleRejectSubmit(kit: ReinstallKit) {
  return async (services: BotServices, args: SubmitArgs): Promise<void> => {
    const { ack, body, view, client } = args;
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const turn = await beginTurn(
      services,
      { teamId, userId: body.user.id, what: "approval_reject" },
      { maxWaitMs: 300 },
    );
    const r = turn.m.reinstall;
    const reason = (view.state.values[REJECT_BLOCK]?.[REJECT_ACTION]?.value ?? "").trim();
    const problem = hasControlCharacters(reason)
      ? turn.m.update.problems.controlCharacters
      : reason.length > REASON_MAX && r.modal.errors.reasonTooLong(REASON_MAX);
    if (problem) {
      await ack({ response_action: "errors", errors: { [REJECT_BLOCK]: problem } });
      services.metrics.commandFinished("approval_reject", "user_error");
      return;
    }
    let acked = false;
    const click: Click = {
      services,
      kit,
      turn,
      client,
      announcer: approvalAnnouncer(services, client),
      say: async (text, footnote) => {
        const notice = noticeModal(turn.view, r.reject.title, text, footnote);
        if (!acked) {
          acked = true;
          await ack({ response_action: "update", view: notice });
          return;
        }
        await client.views
          .update({ view_id: view.id, view: notice })
          .catch((error: unknown) => turn.log.info({ err: error }, "rejection modal already closed"));
      },
    };
    let outcome: CommandOutcome;
    try {
      const request = await decidable(click, view.private_metadata, "reject");
      outcome = request ? await reject(click, request, reason) : "user_error";
    } catch (error) {
      outcome = await reportError(turn, error, (reply) => click.say(reply.text, reply.footnote));
    }
    if (!acked) await ack();
    services.metrics.commandFinished("approval_reject", outcome);
  };
}

function reject(click: Click, request: ApprovalRequest, reason: string): Promise<CommandOutcome> {
  return closeUnrun(click, request, "rejected", reason || undefined);
}

/**
 * Cancel and reject: one compare-and-set out of pending, an audit entry, then the card. The
 * requester rejected gets a DM; the one who cancelled clicked it themselves.
 */
async function closeUnrun(
  click: Click,
  request: ApprovalRequest,
  to: "cancelled" | "rejected",
  note: string | undefined,
): Promise<CommandOutcome> {
  const { services, turn } = click;
  const moved = await services.store.approvals.transition(request.id, "pending", to, {
    decidedBy: turn.userId,
    ...(note ? { note } : {}),
  });
  if (!moved.ok) {
    await explainLate(click, moved.current);
    return "user_error";
  }
  if (to === "rejected") await click.say(turn.m.reinstall.reject.done);
  await services.store.audit.append({
    teamId: turn.teamId,
    actorId: turn.userId,
    action: to === "rejected" ? "reinstall.reject" : "reinstall.cancel",
    target: request.instanceId,
    result: to,
    detail: { approval: request.id },
  });
  await announceDecision(click, moved.request, to === "rejected");
  return "ok";
}
