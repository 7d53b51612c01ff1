import { accountFor } from "../../domain/accounts.ts";
import { findImage } from "../../domain/image-search.ts";
import type { PolicyAction } from "../../domain/policy/index.ts";
import { publishHome } from "../flows/home-tab.ts";
import { fetchImagePage } from "../flows/image-pages.ts";
import { startImageUpdate } from "../flows/image-update-start.ts";
import { runInstanceOperation } from "../flows/instance-operation.ts";
import { fetchInstancePage } from "../flows/instance-pages.ts";
import { openLoginModal } from "../flows/login-modal.ts";
import { startReinstallRequest } from "../flows/reinstall-start.ts";
import { INSTANCE_COMMANDS } from "../instance-commands.ts";
import type { Call } from "../listener-frame.ts";
import { type MessageReply, messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import { placementRefusal } from "../placement-guard.ts";
import type { CommandArgs } from "../surfaces.ts";
import { helpMessage, noticeMessage, usageMessage } from "../views/help.ts";
import { imageDetailMessage } from "../views/image-detail.ts";
import { imageListMessage } from "../views/image-list.ts";
import { instanceListMessage } from "../views/instances.ts";
import { whoamiMessage } from "../views/keys.ts";
import type { ListState } from "../views/list-state.ts";
import { exportAuditToDm } from "./audit-export.ts";
import { type ParsedCommand, parseCommand } from "./parse.ts";

/** Subcommands that open a modal: their trigger id lives 3 s, so the locale lookup waits less. */
const OPENS_MODAL = new Set(["login", "update", "reinstall"]);

export const commandLabel = (args: CommandArgs): string => {
  const parsed = parseCommand(args.command.text ?? "");
  return parsed.kind === "instanceOp" ? `instance_op:${parsed.op}` : parsed.kind;
};
export const commandLocaleWait = (args: CommandArgs): number | undefined =>
  OPENS_MODAL.has(commandLabel(args)) ? 800 : undefined;

/**
 * /compshare: acknowledged at once by the frame (Slack allows 3 s), then parsed and answered
 * through the response_url. Modals open first thing, while the trigger id is fresh.
 */
export async function handleCompshareCommand(call: Call<CommandArgs>): Promise<CommandOutcome> {
  const parsed = parseCommand(call.args.command.text ?? "");
  const reply = messageReply(call.services.responseUrls, call.args.command.response_url, call.turn);
  // Channel guardrails come before any modal opens: a refused command opens nothing.
  const action = policyActionOf(parsed);
  const channel = { id: call.args.command.channel_id, name: call.args.command.channel_name };
  const refusal = action && placementRefusal(call.services, call.turn, action, channel);
  if (refusal) {
    await reply.send(noticeMessage(call.turn.view, refusal));
    return "user_error";
  }
  const run = SUBCOMMANDS[parsed.kind] as Subcommand<typeof parsed>;
  return run({ ...call, reply }, parsed);
}

/** The policy action a subcommand starts, if any (its channel rules apply to it). */
function policyActionOf(parsed: ParsedCommand): PolicyAction | undefined {
  if (parsed.kind === "update" || parsed.kind === "reinstall") return parsed.kind;
  if (parsed.kind === "instanceOp") return parsed.op;
  return undefined;
}

interface CommandCall extends Call<CommandArgs> {
  readonly reply: MessageReply;
}

type Subcommand<P extends ParsedCommand> = (call: CommandCall, parsed: P) => Promise<CommandOutcome>;

/** The command table: one entry per parsed subcommand. */
const SUBCOMMANDS: { [K in ParsedCommand["kind"]]: Subcommand<Extract<ParsedCommand, { kind: K }>> } = {
  async help({ reply, turn }) {
    await reply.send(helpMessage(turn.view));
    return "ok";
  },
  async invalid({ reply, turn }, parsed) {
    await reply.send(usageMessage(turn.view, parsed.reason));
    return "user_error";
  },
  async login({ services, turn, args }) {
    await openLoginModal(services, turn, args.client, args.command.trigger_id);
    return "ok";
  },
  async logout({ services, turn, reply, args }) {
    const { store } = services;
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
  },
  async whoami({ services, turn, reply }) {
    const stored = await services.store.credentials.get(turn.teamId, turn.userId);
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
  },
  images: (call, parsed) => listImages(call, "platform", parsed.filters),
  custom: (call) => listImages(call, "custom", {}),
  shared: (call) => listImages(call, "shared", {}),
  async image({ services, turn, reply }, parsed) {
    const { client } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
    const found = await findImage(client, parsed.imageId);
    if (!found) {
      await reply.send(noticeMessage(turn.view, turn.m.image.notFound(parsed.imageId)));
      return "user_error";
    }
    await reply.send(imageDetailMessage(turn.view, found.image, found.source));
    return "ok";
  },
  async update(call, parsed) {
    const trigger = { triggerId: call.args.command.trigger_id, push: false };
    await startImageUpdate(call, call.args.client, trigger, parsed.imageId, call.reply.send);
    return "ok";
  },
  async reinstall(call, parsed) {
    const trigger = { triggerId: call.args.command.trigger_id, push: false };
    await startReinstallRequest(
      call,
      call.args.client,
      trigger,
      { instanceIds: parsed.instanceIds, ...(parsed.imageId ? { imageId: parsed.imageId } : {}) },
      call.reply.send,
    );
    return "ok";
  },
  async instances({ services, turn, reply }) {
    const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
    await reply.send(instanceListMessage(turn.view, await fetchInstancePage(account, 0)));
    return "ok";
  },
  audit: ({ services, turn, args, reply }, parsed) =>
    exportAuditToDm(services, turn, args.client, parsed.args, reply.send),
  instanceOp: (call, parsed) =>
    runInstanceOperation(call, INSTANCE_COMMANDS[parsed.op], parsed.instanceId, call.reply.send),
};

async function listImages(
  { services, turn, reply }: CommandCall,
  kind: ListState["kind"],
  filters: ListState["filters"],
): Promise<CommandOutcome> {
  const { client } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  const page = await fetchImagePage(client, { kind, offset: 0, filters });
  await reply.send(imageListMessage(turn.view, page));
  return "ok";
}
