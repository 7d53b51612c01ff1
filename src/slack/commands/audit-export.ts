import type { webApi } from "@slack/bolt";
import { createApproverDirectory } from "../../domain/approvers.ts";
import { auditPeriod } from "../../domain/audit/audit-period.ts";
import { auditLines } from "../../domain/audit/audit-records.ts";
import { policyApprovers } from "../../domain/policy/index.ts";
import type { AuditEntry } from "../../store/types.ts";
import type { CommandOutcome } from "../metrics.ts";
import type { BotServices } from "../services.ts";
import type { Turn } from "../turn.ts";
import { noticeMessage } from "../views/help.ts";
import type { MessagePayload } from "../views/view-context.ts";

/**
 * `/compshare audit [--since 7d]`: the same CSV as `compshare-bot audit`, this workspace's rows
 * only, sent to an approver as a file in their DM with the bot (conversations.open + files.uploadV2).
 */

/** A Slack export is for a quick look; a longer period goes through the command line. */
export const SLACK_AUDIT_MAX_DAYS = 90;
const DAY_MS = 86_400_000;

/** `--since 7d`, `--since=7d`, or nothing; undefined when the words are anything else. */
export function readSinceFlag(args: readonly string[]): { since: string | undefined } | undefined {
  if (args.length === 0) return { since: undefined };
  const [flag = "", value, ...extra] = args;
  // Slack clients often turn "--" into an em dash.
  const normal = flag.replace(/^—/, "--").toLowerCase();
  if (normal.startsWith("--since=") && value === undefined) return { since: flag.slice(flag.indexOf("=") + 1) };
  if (normal === "--since" && value !== undefined && extra.length === 0) return { since: value };
  return undefined;
}

export async function exportAuditToDm(
  services: BotServices,
  turn: Turn,
  client: webApi.WebClient,
  args: readonly string[],
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<CommandOutcome> {
  const say = (text: string) => notify(noticeMessage(turn.view, text));
  const a = turn.m.policy.audit;
  const flag = readSinceFlag(args);
  const now = new Date(services.clock());
  const period = flag && auditPeriod({ since: flag.since }, now);
  if (!period?.ok) {
    await say(a.usage);
    return "user_error";
  }
  if (now.getTime() - period.from.getTime() > SLACK_AUDIT_MAX_DAYS * DAY_MS) {
    await say(a.tooLong(SLACK_AUDIT_MAX_DAYS));
    return "user_error";
  }
  const directory = createApproverDirectory({
    approvers: policyApprovers(services.policy),
    clock: services.clock,
    logger: services.logger,
  });
  const check = await directory.check(
    turn.userId,
    async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
  );
  if (check !== "approver") {
    await services.store.audit.append({
      teamId: turn.teamId,
      actorId: turn.userId,
      action: "audit.export",
      result: `refused:${check}`,
    });
    await say(check === "unverified" ? a.unverified : a.notApprover);
    return "user_error";
  }
  let rows = 0;
  const counted = async function* (entries: AsyncIterable<AuditEntry>) {
    for await (const entry of entries) {
      rows += 1;
      yield entry;
    }
  };
  let csv = "";
  for await (const line of auditLines(
    counted(services.store.audit.export({ teamId: turn.teamId, from: period.from })),
    "csv",
  )) {
    csv += line;
  }
  const sinceIso = period.from.toISOString();
  const opened = await client.conversations.open({ users: turn.userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error("conversations.open returned no channel for the approver's DM");
  await client.files.uploadV2({
    channel_id: channelId,
    content: csv,
    filename: `compshare-audit-${sinceIso.slice(0, 10)}-to-${now.toISOString().slice(0, 10)}.csv`,
    title: a.fileTitle(sinceIso),
  });
  await services.store.audit.append({
    teamId: turn.teamId,
    actorId: turn.userId,
    action: "audit.export",
    result: "ok",
    detail: { rows, since: sinceIso },
  });
  await say(a.sent(rows, sinceIso));
  return "ok";
}
