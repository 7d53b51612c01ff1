import type { Placement } from "../../domain/policy/index.ts";

/**
 * Messages of the policy (issue 11): channel guardrails and the audit export, English and
 * Simplified Chinese side by side. Channel ids become Slack mentions (<#C…>), which every
 * client shows as the channel's name.
 */

/** A long list is cut: the refusal must stay one readable line (and inside Slack's 3000-character section). */
const MAX_NAMED_CHANNELS = 10;

const mentions = (channels: readonly string[], more: (n: number) => string) => [
  ...channels.slice(0, MAX_NAMED_CHANNELS).map((id) => `<#${id}>`),
  ...(channels.length > MAX_NAMED_CHANNELS ? [more(channels.length - MAX_NAMED_CHANNELS)] : []),
];

function listEn(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export const policyEn = {
  /** Where a command may be used instead; `command` is e.g. `/compshare reinstall`. */
  notHere(command: string, allowedIn: Placement): string {
    const channels =
      allowedIn.channels === undefined
        ? undefined
        : mentions(allowedIn.channels, (n) => `one of ${n} more channel${n === 1 ? "" : "s"}`);
    const places =
      channels === undefined
        ? ["any channel the bot is in"]
        : [...channels, ...(allowedIn.directMessages ? ["a direct message with me"] : [])];
    if (channels !== undefined && channels.length === 0 && !allowedIn.directMessages) {
      return `:no_entry: \`${command}\` may not be used anywhere in this workspace: the bot's policy allows it in no channel and not in direct messages. Ask whoever runs the bot.`;
    }
    if (channels === undefined) {
      return `:no_entry: \`${command}\` is not allowed in direct messages or from the Home tab. Use it in ${places[0]}.`;
    }
    return `:no_entry: \`${command}\` is not allowed here. Use it in ${listEn(places)}.`;
  },

  audit: {
    notApprover: "Only approvers can export the audit log.",
    unverified:
      "I could not check whether you are an approver (Slack did not answer about a user group). Try again in a minute.",
    usage:
      "Use `/compshare audit` or `/compshare audit --since 7d` (a duration up to 90d, or a date such as 2026-11-01).",
    tooLong: (maxDays: number) =>
      `The audit export from Slack covers at most ${maxDays} days; the command line (\`compshare-bot audit\`) has no limit.`,
    sent: (rows: number, sinceIso: string) =>
      `:page_facing_up: I sent you the audit log since ${sinceIso} (${rows} row${rows === 1 ? "" : "s"}) as a CSV file in our direct messages.`,
    fileTitle: (sinceIso: string) => `compshare-bot audit log since ${sinceIso}`,
  },
};

function listZh(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join("、")}或${items.at(-1)}`;
}

export const policyZhCN: typeof policyEn = {
  notHere(command, allowedIn) {
    const channels =
      allowedIn.channels === undefined ? undefined : mentions(allowedIn.channels, (n) => `另外 ${n} 个频道之一`);
    if (channels !== undefined && channels.length === 0 && !allowedIn.directMessages) {
      return `:no_entry: 本工作区不允许使用 \`${command}\`：机器人的策略既未允许任何频道，也未允许私信。请联系机器人的管理员。`;
    }
    if (channels === undefined) {
      return `:no_entry: 不能在私信或主页中使用 \`${command}\`。请在机器人所在的任一频道中使用。`;
    }
    const places = [...channels, ...(allowedIn.directMessages ? ["与我的私信"] : [])];
    return `:no_entry: 此处不允许使用 \`${command}\`。请在${listZh(places)}中使用。`;
  },

  audit: {
    notApprover: "只有审批人可以导出审计日志。",
    unverified: "无法确认你是否为审批人（Slack 没有返回用户组信息）。请稍后再试。",
    usage: "用法：`/compshare audit` 或 `/compshare audit --since 7d`（时长最长 90d，或日期如 2026-11-01）。",
    tooLong: (maxDays) =>
      `从 Slack 导出的审计日志最多覆盖 ${maxDays} 天；命令行（\`compshare-bot audit\`）没有此限制。`,
    sent: (rows, sinceIso) =>
      `:page_facing_up: 已将自 ${sinceIso} 起的审计日志（${rows} 行）以 CSV 文件发到我们的私信中。`,
    fileTitle: (sinceIso) => `compshare-bot 审计日志（自 ${sinceIso} 起）`,
  },
};
