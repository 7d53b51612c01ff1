import { accountFor } from "../../domain/accounts.ts";
import type { InstanceCommand } from "../instance-commands.ts";
import type { FlowContext } from "../listener-frame.ts";
import type { CommandOutcome } from "../metrics.ts";
import { noticeMessage } from "../views/help.ts";
import { instanceOperationMessage, stateWord } from "../views/instances.ts";
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
    approval: "none",
    ttlMs: services.policy.actions[command.kind].ttlMs,
  });
  await send(instanceOperationMessage(turn.view, operation));
  await services.followers.follow(
    operation,
    (finished) => send(instanceOperationMessage(turn.view, finished)),
    () => services.operations.get(turn.teamId, operation.id),
  );
  return "ok";
}
