import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { accountFor } from "../../domain/accounts.ts";
import { findImage } from "../../domain/image-search.ts";
import { publishHome } from "../events/home.ts";
import { startImageUpdate } from "../interactions/image-update.ts";
import { openLoginModal } from "../interactions/login.ts";
import { startReinstallRequest } from "../interactions/reinstall.ts";
import { type MessageReply, messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import { placementRefusal } from "../placement-guard.ts";
import type { BotServices } from "../services.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { helpMessage, noticeMessage, usageMessage } from "../views/help.ts";
import { imageDetailMessage } from "../views/image-detail.ts";
import { imageListMessage } from "../views/image-list.ts";
import { whoamiMessage } from "../views/keys.ts";
import { exportAuditToDm } from "./audit-export.ts";
import { fetchImagePage } from "./list-images.ts";
import { type ParsedCommand, parseCommand } from "./parse.ts";

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * /compshare: acknowledged at once (Slack allows 3 s), then parsed and answered through the
 * response_url. Modals open first thing after the ack, while the trigger id is fresh.
 */
export async function handleCompshareCommand(services: BotServices, args: CommandArgs): Promise<void> {
  const { command, ack } = args;
  await ack();
  const parsed = parseCommand(command.text ?? "");
  const opensModal = parsed.kind === "login" || parsed.kind === "update" || parsed.kind === "reinstall";
  const turn = await beginTurn(
    services,
    { teamId: command.team_id, userId: command.user_id, what: `command:${parsed.kind}` },
    opensModal ? { maxWaitMs: 800 } : {},
  );
  const reply = messageReply(services.responseUrls, command.response_url, turn);
  let outcome: CommandOutcome = "ok";
  try {
    outcome = await runSubcommand(services, turn, parsed, reply, args);
  } catch (error) {
    outcome = await reportError(turn, error, (r) => reply.error(r));
  }
  services.metrics.commandFinished(parsed.kind, outcome);
}

async function runSubcommand(
  services: BotServices,
  turn: Turn,
  parsed: ParsedCommand,
  reply: MessageReply,
  args: CommandArgs,
): Promise<CommandOutcome> {
  const { store, compshare } = services;
  // Channel guardrails come before any modal opens: a refused command opens nothing.
  const action = parsed.kind === "update" || parsed.kind === "reinstall" ? parsed.kind : undefined;
  const channel = { id: args.command.channel_id, name: args.command.channel_name };
  const refusal = action && placementRefusal(services, turn, action, channel);
  if (refusal) {
    await reply.send(noticeMessage(turn.view, refusal));
    return "user_error";
  }
  switch (parsed.kind) {
    case "help":
      await reply.send(helpMessage(turn.view));
      return "ok";
    case "invalid":
      await reply.send(usageMessage(turn.view, parsed.reason));
      return "user_error";
    case "login":
      await openLoginModal(services, turn, args.client, args.command.trigger_id);
      return "ok";
    case "logout": {
      const removed = await store.credentials.delete(turn.teamId, turn.userId);
      await store.audit.append({
        teamId: turn.teamId,
        actorId: turn.userId,
        action: "keys.remove",
        result: removed ? "ok" : "none",
      });
      await reply.send(noticeMessage(turn.view, removed ? turn.m.keys.removed : turn.m.keys.nothingToRemove));
      await publishHome(services, turn, args.client).catch((error: unknown) =>
        turn.log.warn({ err: error }, "Home tab refresh failed"),
      );
      return "ok";
    }
    case "whoami": {
      const stored = await store.credentials.get(turn.teamId, turn.userId);
      await reply.send(
        whoamiMessage(
          turn.view,
          stored && {
            publicKey: stored.publicKey,
            region: stored.region,
            zone: stored.zone,
            since: stored.createdAt,
            ...(stored.projectId ? { projectId: stored.projectId } : {}),
          },
        ),
      );
      return "ok";
    }
    case "images":
    case "custom":
    case "shared": {
      const { client } = await accountFor(store, compshare, turn.teamId, turn.userId);
      const kind = parsed.kind === "images" ? "platform" : parsed.kind;
      const filters = parsed.kind === "images" ? parsed.filters : {};
      const page = await fetchImagePage(client, { kind, offset: 0, filters });
      await reply.send(imageListMessage(turn.view, page));
      return "ok";
    }
    case "image": {
      const { client } = await accountFor(store, compshare, turn.teamId, turn.userId);
      const found = await findImage(client, parsed.imageId);
      if (!found) {
        await reply.send(noticeMessage(turn.view, turn.m.image.notFound(parsed.imageId)));
        return "user_error";
      }
      await reply.send(imageDetailMessage(turn.view, found.image, found.source));
      return "ok";
    }
    case "update":
      await startImageUpdate(
        services,
        turn,
        args.client,
        { triggerId: args.command.trigger_id, push: false },
        parsed.imageId,
        reply.send,
      );
      return "ok";
    case "reinstall":
      await startReinstallRequest(
        services,
        turn,
        args.client,
        { triggerId: args.command.trigger_id, push: false },
        {
          ...(parsed.instanceId ? { instanceId: parsed.instanceId } : {}),
          ...(parsed.imageId ? { imageId: parsed.imageId } : {}),
        },
        reply.send,
      );
      return "ok";
    case "audit":
      return exportAuditToDm(services, turn, args.client, parsed.args, reply.send);
  }
}
