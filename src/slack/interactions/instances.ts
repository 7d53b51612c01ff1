import type { BlockAction, ButtonAction } from "@slack/bolt";
import { accountFor } from "../../domain/accounts.ts";
import { runInstanceOperation } from "../flows/instance-operation.ts";
import { fetchInstancePage } from "../flows/instance-pages.ts";
import { startReinstallRequest } from "../flows/reinstall-start.ts";
import { instanceCommand } from "../instance-commands.ts";
import type { Call } from "../listener-frame.ts";
import { messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import { placementRefusal } from "../placement-guard.ts";
import type { ClickArgs } from "../surfaces.ts";
import { noticeMessage } from "../views/help.ts";
import { decodeInstancePage, INSTANCE_ACTIONS, instanceListMessage } from "../views/instances.ts";

/** Buttons on the instance list (journey 8): paging, the power commands, and Reinstall. */

type ButtonClick = Call<ClickArgs<BlockAction<ButtonAction>>>;

export const instanceOpLabel = (args: ClickArgs<BlockAction<ButtonAction>>): string =>
  `instance_op:${instanceCommand(args.action.action_id.slice(INSTANCE_ACTIONS.opPrefix.length))?.kind ?? "invalid"}`;

export async function handleInstanceOp(call: ButtonClick): Promise<CommandOutcome> {
  const { args, services, turn } = call;
  const reply = messageReply(services.responseUrls, args.body.response_url, turn);
  const command = instanceCommand(args.action.action_id.slice(INSTANCE_ACTIONS.opPrefix.length));
  const instanceId = args.action.value ?? "";
  if (!command || !/^uhost-[A-Za-z0-9]{1,58}$/.test(instanceId)) {
    await reply.send(noticeMessage(turn.view, turn.m.instances.pageGone));
    return "user_error";
  }
  // Checked at click time: the list may be older than the policy, or posted where the command is not allowed.
  const refusal = placementRefusal(services, turn, command.kind, { id: args.body.channel?.id });
  if (refusal) {
    await reply.send(noticeMessage(turn.view, refusal));
    return "user_error";
  }
  return runInstanceOperation(call, command, instanceId, reply.send);
}

export async function handleInstancePage({ args, services, turn }: ButtonClick): Promise<CommandOutcome> {
  const reply = messageReply(services.responseUrls, args.body.response_url, turn);
  const offset = decodeInstancePage(args.action.value);
  if (offset === undefined) {
    await reply.send(noticeMessage(turn.view, turn.m.instances.pageGone));
    return "user_error";
  }
  const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  await reply.replace(instanceListMessage(turn.view, await fetchInstancePage(account, offset)));
  return "ok";
}

export async function handleInstanceReinstall(call: ButtonClick): Promise<CommandOutcome> {
  const { args, services, turn } = call;
  const reply = messageReply(services.responseUrls, args.body.response_url, turn);
  const instanceId = args.action.value ?? "";
  if (!/^uhost-[A-Za-z0-9]{1,58}$/.test(instanceId)) {
    await reply.send(noticeMessage(turn.view, turn.m.instances.pageGone));
    return "user_error";
  }
  const refusal = placementRefusal(services, turn, "reinstall", { id: args.body.channel?.id });
  if (refusal) {
    await reply.send(noticeMessage(turn.view, refusal));
    return "user_error";
  }
  const trigger = { triggerId: args.body.trigger_id, push: false };
  await startReinstallRequest(call, args.client, trigger, { instanceIds: [instanceId] }, reply.send);
  return "ok";
}
