import type { webApi } from "@slack/bolt";
import type { Config } from "../../config.ts";
import { type ApproverDirectory, createApproverDirectory, type GroupMembersLookup } from "../../domain/approvers.ts";
import type { Logger } from "../../log.ts";
import { createImageCatalogue, type ImageCatalogue } from "./image-catalogue.ts";

/**
 * The reinstall flow's caches, shared by the command, the Home tab and the flow's own
 * listeners: approver-group members and the image picker's lists. One kit per running bot.
 */
export interface ReinstallKit {
  readonly approvers: ApproverDirectory;
  readonly catalogue: ImageCatalogue;
}

export function createReinstallKit(options: { config: Config; clock: () => number; logger: Logger }): ReinstallKit {
  return {
    approvers: createApproverDirectory({
      approvers: options.config.approval.approvers,
      clock: options.clock,
      logger: options.logger,
    }),
    catalogue: createImageCatalogue({ clock: options.clock }),
  };
}

/** usergroups.users.list through the bot's client (scope usergroups:read). */
export function groupMembers(client: webApi.WebClient): GroupMembersLookup {
  return async (groupId) => (await client.usergroups.users.list({ usergroup: groupId })).users ?? [];
}
