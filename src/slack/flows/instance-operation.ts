import { accountFor } from "../../domain/accounts.ts";
import type { Operation } from "../../domain/operations/index.ts";
import { postCardOnce } from "../card-delivery.ts";
import type { InstanceCommand } from "../instance-commands.ts";
import type { FlowContext } from "../listener-frame.ts";
import type { CommandOutcome } from "../metrics.ts";
import { channelViewContext } from "../operation-announcer.ts";
import { noticeMessage } from "../views/help.ts";
import { instanceOperationMessage, stateWord } from "../views/instances.ts";
import { operationCard } from "../views/operation-card.ts";
import { escapeMrkdwn } from "../views/text.ts";
import type { MessagePayload } from "../views/view-context.ts";
import { lookUpInstances, targetOf } from "./instance-targets.ts";

/**
 * Stop, start or reboot one instance: checked against what the requester's keys see, run by the
 * engine (no approval), and followed to its end with a second ephemeral line.
 */
export async function runInstanceOperation(
  flow: FlowContext,
  command: InstanceCommand,
  instanceId: string,
  send: (payload: MessagePayload) => Promise<void>,
): Promise<CommandOutcome> {
  const { services, turn } = flow;
  const { m } = turn;
  const rules = services.policy.actions[command.kind];
  const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  const { found } = await lookUpInstances(account, [instanceId]);
  const instance = found[0];
  if (!instance) {
    await send(noticeMessage(turn.view, m.instances.notFound(instanceId, escapeMrkdwn(account.credentials.region))));
    return "user_error";
  }
  if (!(command.from as readonly string[]).includes(instance.State ?? "")) {
    const allowed = command.from.map((state) => stateWord(m, state)).join(" / ");
    await send(
      noticeMessage(
        turn.view,
        m.instances.wrongState(command.kind, `*${escapeMrkdwn(stateWord(m, instance.State))}*`, escapeMrkdwn(allowed)),
      ),
    );
    return "user_error";
  }
  const operation = await services.operations.request({
    teamId: turn.teamId,
    requesterId: turn.userId,
    kind: command.kind,
    region: account.credentials.region,
    zone: instance.Zone ?? account.credentials.zone,
    ...(account.credentials.projectId ? { projectId: account.credentials.projectId } : {}),
    // No form asks why; the audit row says where it came from.
    reason: `/compshare ${command.kind}`,
    keyFingerprint: account.fingerprint,
    targets: [targetOf(instance)],
    options: {},
    approval: rules.needsApproval ? "required" : "none",
    approvalsRequired: rules.approvalsRequired,
    ttlMs: rules.ttlMs,
  });
  if (operation.status === "pending")
    return postForApproval(flow, command, operation, rules.approvalChannel ?? "", send);
  await send(instanceOperationMessage(turn.view, operation));
  await services.followers.follow(
    operation,
    (finished) => send(instanceOperationMessage(turn.view, finished)),
    () => services.operations.get(turn.teamId, operation.id),
  );
  return "ok";
}

/**
 * The policy says this power command needs approval: its card goes to the action's approvals
 * channel (decided there like a reinstall's), and the requester hears the end by DM. A card that
 * cannot be posted withdraws the request, so nothing waits unseen.
 */
async function postForApproval(
  flow: FlowContext,
  command: InstanceCommand,
  operation: Operation,
  channel: string,
  send: (payload: MessagePayload) => Promise<void>,
): Promise<CommandOutcome> {
  const { services, turn } = flow;
  const words = turn.m.policy.powerApproval;
  const posted = await postCardOnce(services.cardClient, {
    channel,
    requestId: operation.id,
    payload: operationCard(channelViewContext(services.config), operation),
    postedAfter: operation.createdAt,
  });
  if (posted.kind !== "posted") {
    await services.operations.withdraw(turn.teamId, operation.id, turn.userId);
    turn.log.warn({ operation: operation.id, posted: posted.kind }, "power request card not posted; request withdrawn");
    await send(
      noticeMessage(
        turn.view,
        posted.kind === "rate_limited"
          ? turn.m.operations.card.rateLimited(posted.retryAfterSeconds)
          : words.postFailed(channel),
      ),
    );
    return "upstream";
  }
  await services.operations.setMessage(operation.id, posted.channel, posted.ts);
  const instance = operation.targets[0]?.instanceId ?? "";
  await send(noticeMessage(turn.view, words.asked(command.kind, `\`${instance}\``, posted.channel)));
  return "ok";
}
