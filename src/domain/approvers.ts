import { LoadingCache } from "../loading-cache.ts";
import type { Logger } from "../log.ts";

/**
 * Who may decide a reinstall request (DESIGN §1 journey 5, §6): the Slack users named in
 * APPROVERS, and the members of the user groups named there. Group membership comes from Slack
 * (usergroups.users.list) and is cached, so a busy approvals channel does not hit Slack's rate
 * limits on every click. Always asked with the clicker's id from the payload, never from a value.
 */

/** Asks Slack for a user group's members; throws when Slack cannot say. */
export type GroupMembersLookup = (groupId: string) => Promise<readonly string[]>;

/** `unverified`: a group lookup failed, so the answer may be a false "no"; the user should try again. */
export type ApproverCheck = "approver" | "not_approver" | "unverified";

export interface ApproverDirectory {
  check(userId: string, lookup: GroupMembersLookup): Promise<ApproverCheck>;
}

export interface ApproverDirectoryOptions {
  /** APPROVERS as parsed: user ids (U…, W…) and user-group ids (S…). */
  approvers: readonly string[];
  clock: () => number;
  logger: Logger;
  /** How long a group's member list is trusted; a removed approver keeps the right at most this long. */
  ttlMs?: number;
}

const DEFAULT_GROUP_TTL_MS = 5 * 60_000;

function isGroupId(id: string): boolean {
  return id.startsWith("S");
}

export function createApproverDirectory(options: ApproverDirectoryOptions): ApproverDirectory {
  const ttlMs = options.ttlMs ?? DEFAULT_GROUP_TTL_MS;
  const users = new Set(options.approvers.filter((id) => !isGroupId(id)));
  const groups = options.approvers.filter(isGroupId);
  // A failed lookup is not cached: the next click asks Slack again.
  const cache = new LoadingCache<ReadonlySet<string>>({
    clock: options.clock,
    ttlMs,
    maxEntries: Math.max(groups.length, 1),
  });
  const membersOf = (groupId: string, lookup: GroupMembersLookup) =>
    cache.get(groupId, async () => new Set(await lookup(groupId)));

  return {
    async check(userId, lookup) {
      if (users.has(userId)) return "approver";
      let unverified = false;
      const answers = await Promise.allSettled(groups.map((groupId) => membersOf(groupId, lookup)));
      for (const [i, answer] of answers.entries()) {
        if (answer.status === "fulfilled") {
          if (answer.value.has(userId)) return "approver";
        } else {
          unverified = true;
          options.logger.warn({ err: answer.reason, group: groups[i] }, "could not list an approver group's members");
        }
      }
      return unverified ? "unverified" : "not_approver";
    },
  };
}

/** Why a click on Approve or Reject is refused, or undefined when the clicker may decide. */
export type DecisionRefusal = "not_approver" | "unverified" | "own_request";

export function decisionRefusal(input: {
  check: ApproverCheck;
  deciderId: string;
  requesterId: string;
  verdict: "approve" | "reject";
  allowSelfApproval: boolean;
}): DecisionRefusal | undefined {
  if (input.check !== "approver") return input.check;
  // Rejecting one's own request only withdraws it; approving it is what needs a second pair of eyes.
  if (input.verdict === "approve" && input.deciderId === input.requesterId && !input.allowSelfApproval) {
    return "own_request";
  }
  return undefined;
}
