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

  quorum: {
    /** The card's line: "k of N" and who approved, as user mentions. */
    line: (count: number, required: number, approvers: readonly string[]) =>
      `:ballot_box_with_check: *Approvals: ${count} of ${required}*${approvers.length > 0 ? ` — ${approvers.map((id) => `<@${id}>`).join(", ")}` : ""}`,
    counted: (count: number, required: number) =>
      `:ballot_box_with_check: Your approval is recorded: ${count} of ${required}. The plan starts at the ${required}${ordinalEn(required)} approval.`,
    duplicate: (count: number, required: number) =>
      `You approved this request already; it still has ${count} of ${required} approvals. Another approver has to approve.`,
    requesterInQuorum: (required: number) =>
      `This request needs ${required} approvals from people other than you: your own approval does not count. Ask the approvers.`,
  },

  /** Stop, start or reboot where the policy says `approval: true`: a card in the action's approvals channel. */
  powerApproval: {
    title: (kind: PowerKind) => `${POWER_EN[kind].noun} request`,
    asks: (requester: string, kind: PowerKind) => `<@${requester}> asks to ${POWER_EN[kind].verb} an instance.`,
    asked: (kind: PowerKind, instance: string, channel: string) =>
      `:hourglass_flowing_sand: Your request to ${POWER_EN[kind].verb} ${instance} waits for approval in <#${channel}>. I will tell you how it ends.`,
    postFailed: (channel: string) =>
      `I could not post the request in <#${channel}> (is the bot in that channel?), so nothing was asked and nothing will run.`,
  },
};

export type PowerKind = "stop" | "start" | "reboot";
const POWER_EN: Record<PowerKind, { noun: string; verb: string }> = {
  stop: { noun: "Stop", verb: "stop" },
  start: { noun: "Start", verb: "start" },
  reboot: { noun: "Reboot", verb: "reboot" },
};
const POWER_ZH: Record<PowerKind, string> = { stop: "关机", start: "开机", reboot: "重启" };

function ordinalEn(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return "th";
  return n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
}

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

  quorum: {
    line: (count, required, approvers) =>
      `:ballot_box_with_check: *审批：${count} / ${required}*${approvers.length > 0 ? ` — ${approvers.map((id) => `<@${id}>`).join("、")}` : ""}`,
    counted: (count, required) =>
      `:ballot_box_with_check: 已记录你的批准：${count} / ${required}。第 ${required} 个批准到达时计划开始执行。`,
    duplicate: (count, required) => `你已经批准过此申请；目前仍是 ${count} / ${required}。需要另一位审批人批准。`,
    requesterInQuorum: (required) =>
      `此申请需要除你之外的 ${required} 位审批人批准：你自己的批准不计入。请联系审批人。`,
  },

  powerApproval: {
    title: (kind) => `${POWER_ZH[kind]}申请`,
    asks: (requester, kind) => `<@${requester}> 申请${POWER_ZH[kind]}一台实例。`,
    asked: (kind, instance, channel) =>
      `:hourglass_flowing_sand: 你对 ${instance} 的${POWER_ZH[kind]}申请正在 <#${channel}> 等待审批。结果出来后我会告诉你。`,
    postFailed: (channel) =>
      `无法在 <#${channel}> 发布申请（机器人在该频道中吗？），因此没有提出申请，也不会执行任何操作。`,
  },
};
