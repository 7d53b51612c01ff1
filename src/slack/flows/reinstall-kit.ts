import type { webApi } from "@slack/bolt";
import { type ApproverDirectory, createApproverDirectory, type GroupMembersLookup } from "../../domain/approvers.ts";
import { POLICY_ACTIONS, type Policy, type PolicyAction } from "../../domain/policy/index.ts";
import type { Logger } from "../../log.ts";
import { createImageCatalogue, type ImageCatalogue } from "./image-catalogue.ts";

/**
 * The reinstall flow's caches, shared by the command, the Home tab and the flow's own
 * listeners: approver-group members and the image picker's lists. One kit per running bot.
 */
export interface ReinstallKit {
  /** Who approves each action (the policy's `approvers` of that action), with group members cached. */
  approversFor(action: PolicyAction): ApproverDirectory;
  readonly catalogue: ImageCatalogue;
}

export function createReinstallKit(options: { policy: Policy; clock: () => number; logger: Logger }): ReinstallKit {
  const directories = new Map<PolicyAction, ApproverDirectory>(
    POLICY_ACTIONS.map((action) => [
      action,
      createApproverDirectory({
        approvers: options.policy.actions[action].approvers,
        clock: options.clock,
        logger: options.logger,
      }),
    ]),
  );
  return {
    approversFor: (action) => directories.get(action) as ApproverDirectory,
    catalogue: createImageCatalogue({ clock: options.clock }),
  };
}

/** usergroups.users.list through the bot's client (scope usergroups:read). */
export function groupMembers(client: webApi.WebClient): GroupMembersLookup {
  return async (groupId) => (await client.usergroups.users.list({ usergroup: groupId })).users ?? [];
}
