import type { BlockAction, ButtonAction } from "@slack/bolt";
import { hasControlCharacters } from "../../domain/free-text.ts";
import type { Decider, DecisionResult, Operation, RefusalReason } from "../../domain/operations/index.ts";
import { tallyApprovals } from "../../domain/operations/quorum.ts";
import { groupMembers } from "../flows/reinstall-kit.ts";
import type { Call } from "../listener-frame.ts";
import { messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import type { ClickArgs, SubmitArgs } from "../surfaces.ts";
import type { Turn } from "../turn.ts";
import { noticeMessage } from "../views/help.ts";
import { noticeModal } from "../views/modals.ts";
import { timeLabel } from "../views/operation-card.ts";
import { REASON_MAX, REJECT_ACTION, REJECT_BLOCK, rejectModal } from "../views/reinstall-modal.ts";

/**
 * Approve, Reject, Cancel and Check again on a request card. The engine decides whether the move
 * is allowed and makes it (a compare-and-set with its audit row); Slack asks the approver
 * directory who the clicker is, and says what happened to the one who clicked. The card itself
 * is redrawn from the engine's events.
 */

type ButtonClick = Call<ClickArgs<BlockAction<ButtonAction>>>;
const ID_PATTERN = /^req_[a-z2-7]{16}$/;

export type Verdict = "approve" | "reject" | "cancel";

/** Who clicks, checked against the approvers of the request's own kind (the policy's, per action). */
async function decider(call: Call<{ client: ClickArgs["client"] }>, operation: Operation): Promise<Decider> {
  const { services, turn, args } = call;
  return {
    teamId: turn.teamId,
    userId: turn.userId,
    check: await services.reinstall.approversFor(operation.kind).check(turn.userId, groupMembers(args.client)),
  };
}

/** Tells the clicker why nothing (or something else) happened; undefined when the move was made. */
async function explain(call: Call<unknown>, result: DecisionResult, say: (text: string) => Promise<unknown>) {
  const { turn, services } = call;
  const r = turn.m.reinstall;
  switch (result.kind) {
    case "done":
      // The decider sees the card change; if it cannot (deleted), they hear it here.
      if (!(await services.announcer.updateNow(result.operation))) {
        await say(turn.m.operations.card.cardNotUpdated(turn.m.operations.requestStatuses[result.operation.status]));
      }
      return "ok";
    case "counted": {
      const tally = tallyApprovals(result.operation);
      await say(turn.m.policy.quorum.counted(tally.count, tally.required));
      return "ok";
    }
    case "duplicate": {
      const tally = tallyApprovals(result.operation);
      await say(turn.m.policy.quorum.duplicate(tally.count, tally.required));
      services.announcer.redraw(result.operation);
      return "user_error";
    }
    case "refused":
      await say(refusalText(turn, result.reason, result.operation));
      return "user_error";
    case "expired":
      await say(r.decision.expired(timeLabel(result.operation.decidedAt ?? result.operation.expiresAt)));
      return "user_error";
    case "late": {
      const current = result.operation;
      if (!current) {
        await say(r.decision.notFound);
        return "user_error";
      }
      const verb =
        current.status === "rejected" || current.status === "cancelled" || current.status === "expired"
          ? r.decided[current.status]
          : r.decided.approved;
      await say(r.decision.alreadyDecided(verb, current.decidedBy, timeLabel(current.decidedAt ?? current.updatedAt)));
      services.announcer.redraw(current);
      return "user_error";
    }
  }
}

function refusalText(turn: Turn, reason: RefusalReason, operation: Operation): string {
  const d = turn.m.reinstall.decision;
  switch (reason) {
    case "not_approver":
      return d.notApprover;
    case "unverified":
      return d.unverified;
    case "own_request":
      return d.ownRequest;
    case "not_requester":
      return d.notRequester(operation.requesterId);
    case "keys_changed":
      return turn.m.operations.card.keysChanged;
    case "keys_removed":
      return turn.m.operations.card.keysRemoved;
    case "requester_in_quorum":
      return turn.m.policy.quorum.requesterInQuorum(operation.approvalsRequired);
    case "outside_windows":
      return turn.m.schedule.runNowShut;
  }
}

export function handleDecisionClick(verdict: Verdict) {
  return async (call: ButtonClick): Promise<CommandOutcome> => {
    const { args, services, turn } = call;
    const { body, action, client } = args;
    const reply = messageReply(services.responseUrls, body.response_url, turn);
    const say = (text: string) => reply.send(noticeMessage(turn.view, text));
    const id = action.value ?? "";
    const operation = ID_PATTERN.test(id) ? await services.operations.get(turn.teamId, id) : undefined;
    if (!operation) {
      await say(turn.m.reinstall.decision.notFound);
      return "user_error";
    }
    const engine = services.operations;
    if (verdict === "cancel") return explain(call, await engine.cancel(turn.teamId, id, turn.userId), say);
    const who = await decider(call, operation);
    if (verdict === "approve") return explain(call, await engine.approve(id, who), say);
    // Reject asks for a reason first; the refusals an approver can meet are checked before the form opens.
    if (who.check !== "approver") {
      return explain(
        call,
        { kind: "refused", reason: who.check === "unverified" ? "unverified" : "not_approver", operation },
        say,
      );
    }
    if (operation.status !== "pending") return explain(call, { kind: "late", operation }, say);
    await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(turn.view, operation) });
    return "ok";
  };
}

/** The rejection form's submit: authorised again by the engine, since anyone can submit any metadata. */
export async function handleRejectSubmit(call: Call<SubmitArgs>): Promise<CommandOutcome> {
  const { args, services, turn } = call;
  const { ack, view, client } = args;
  const r = turn.m.reinstall;
  const reason = (view.state.values[REJECT_BLOCK]?.[REJECT_ACTION]?.value ?? "").trim();
  const problem = hasControlCharacters(reason)
    ? turn.m.update.problems.controlCharacters
    : reason.length > REASON_MAX && r.modal.errors.reasonTooLong(REASON_MAX);
  if (problem) {
    await ack({ response_action: "errors", errors: { [REJECT_BLOCK]: problem } });
    return "user_error";
  }
  const say = async (text: string) => {
    const notice = noticeModal(turn.view, r.reject.title, text);
    if (!call.acked) return ack({ response_action: "update", view: notice });
    await client.views
      .update({ view_id: view.id, view: notice })
      .catch((error: unknown) => turn.log.info({ err: error }, "rejection modal already closed"));
  };
  const id = view.private_metadata;
  if (!ID_PATTERN.test(id)) {
    await say(r.decision.notFound);
    return "user_error";
  }
  const operation = await services.operations.get(turn.teamId, id);
  if (!operation) {
    await say(r.decision.notFound);
    return "user_error";
  }
  const result = await services.operations.reject(id, await decider(call, operation), reason || undefined);
  if (result.kind === "done") await say(r.reject.done);
  return explain(call, result, say);
}

/** Check again, on a card with an unknown step: approvers and the requester may ask for a re-read. */
export async function handleCheckAgain(call: ButtonClick): Promise<CommandOutcome> {
  const { args, services, turn } = call;
  const reply = messageReply(services.responseUrls, args.body.response_url, turn);
  const say = (text: string) => reply.send(noticeMessage(turn.view, text));
  const card = turn.m.operations.card;
  const id = args.action.value ?? "";
  const operation = ID_PATTERN.test(id) ? await services.operations.get(turn.teamId, id) : undefined;
  if (!operation) {
    await say(turn.m.reinstall.decision.notFound);
    return "user_error";
  }
  const result = await services.operations.checkAgain(id, await decider(call, operation));
  if (result.kind === "refused") {
    await say(result.reason === "unverified" ? turn.m.reinstall.decision.unverified : card.notApproverToCheck);
    return "user_error";
  }
  if (result.kind === "nothing_unknown") {
    await say(card.checkAgainNothing);
    if (result.operation) services.announcer.redraw(result.operation);
    return "user_error";
  }
  services.announcer.redraw(result.operation);
  await say(card.checkAgainDone);
  return "ok";
}
