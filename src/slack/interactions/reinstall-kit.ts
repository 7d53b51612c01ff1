import type { webApi } from "@slack/bolt";
import { type ApproverDirectory, createApproverDirectory, type GroupMembersLookup } from "../../domain/approvers.ts";
import type { BotServices } from "../services.ts";
import { createImageCatalogue, type ImageCatalogue } from "./image-picker-options.ts";

/**
 * The reinstall flow's caches: approver-group members and the image picker's lists. The
 * command, the Home tab and the flow's own listeners must share them, and their signatures are
 * fixed by the core, so each bot's kit hangs off its services object: one kit per running bot,
 * never shared between two bots in one process (tests run several).
 */
export interface ReinstallKit {
  readonly approvers: ApproverDirectory;
  readonly catalogue: ImageCatalogue;
}

const kits = new WeakMap<BotServices, ReinstallKit>();

export function reinstallKit(services: BotServices): ReinstallKit {
  let kit = kits.get(services);
  if (!kit) {
    kit = {
      approvers: createApproverDirectory({
        approvers: services.config.approval.approvers,
        clock: services.clock,
        logger: services.logger,
      }),
      catalogue: createImageCatalogue({ clock: services.clock }),
    };
    kits.set(services, kit);
  }
  return kit;
}

/** usergroups.users.list through the bot's client (scope usergroups:read). */
export function groupMembers(client: webApi.WebClient): GroupMembersLookup {
  return async (groupId) => (await client.usergroups.users.list({ usergroup: groupId })).users ?? [];
}
