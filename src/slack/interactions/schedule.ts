import type { BlockAction, ButtonAction } from "@slack/bolt";
import type { OperationKind } from "../../domain/operations/index.ts";
import { groupMembers } from "../flows/reinstall-kit.ts";
import type { Call } from "../listener-frame.ts";
import { messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import type { BotServices } from "../services.ts";
import type { ClickArgs } from "../surfaces.ts";
import { noticeMessage } from "../views/help.ts";
import { timeLabel } from "../views/operation-card.ts";
import type { RunTimeContext } from "../views/run-time.ts";

/**
 * Run now and Cancel on a scheduled request's card (issue 11 item 4). The engine checks who may
 * and whether a window is open, and makes the move by compare-and-set; the card is redrawn from
 * its events, and the clicker hears why when nothing moved.
 */

type ButtonClick = Call<ClickArgs<BlockAction<ButtonAction>>>;
const ID_PATTERN = /^req_[a-z2-7]{16}$/;

/** The requester's zone (users.info, cached by the turn's locale lookup) and the kind's windows as written. */
export function runTimeContext(services: BotServices, userId: string, kind: OperationKind): RunTimeContext {
  return {
    timeZone: services.locales.peekTimeZone(userId),
    windows: services.policy.actions[kind].windows.map((window) => window.text),
  };
}

export function handleScheduleClick(move: "runNow" | "cancel") {
  return async (call: ButtonClick): Promise<CommandOutcome> => {
    const { args, services, turn } = call;
    const reply = messageReply(services.responseUrls, args.body.response_url, turn);
    const say = (text: string) => reply.send(noticeMessage(turn.view, text));
    const s = turn.m.schedule;
    const id = args.action.value ?? "";
    const operation = ID_PATTERN.test(id) ? await services.operations.get(turn.teamId, id) : undefined;
    if (!operation) {
      await say(turn.m.reinstall.decision.notFound);
      return "user_error";
    }
    const decider = {
      teamId: turn.teamId,
      userId: turn.userId,
      check: await services.reinstall.approversFor(operation.kind).check(turn.userId, groupMembers(args.client)),
    };
    const result =
      move === "runNow"
        ? await services.operations.runNow(id, decider)
        : await services.operations.cancelScheduled(id, decider);
    switch (result.kind) {
      case "done":
        if (move === "runNow") await say(s.runNowDone);
        // A stop, start or reboot has no card: the clicker hears it here.
        else if (!result.operation.channelId)
          await say(s.cancelledScheduled(turn.userId, timeLabel(new Date(services.clock()))));
        else if (!(await services.announcer.updateNow(result.operation))) {
          await say(turn.m.operations.card.cardNotUpdated(turn.m.operations.requestStatuses[result.operation.status]));
        }
        return "ok";
      case "refused": {
        const d = turn.m.reinstall.decision;
        const at = result.operation.runAt;
        const windows = runTimeContext(services, turn.userId, result.operation.kind).windows;
        await say(
          result.reason === "outside_windows"
            ? s.runNowOutsideWindows(windows, at ? timeLabel(at) : "—")
            : result.reason === "unverified"
              ? d.unverified
              : d.notApprover,
        );
        return "user_error";
      }
      default:
        await say(s.notScheduled);
        if (result.operation) services.announcer.redraw(result.operation);
        return "user_error";
    }
  };
}
