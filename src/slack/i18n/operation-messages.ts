import type { RequestStatus, StepKind, StepProblem, StepStatus } from "../../domain/operations/index.ts";
import type { InstanceCommandKind } from "../instance-commands.ts";

/**
 * Messages of the operations engine's Slack side (issue 10): plans and their steps, step
 * problems, instance listing and the power commands, English and Simplified Chinese side by
 * side. Arguments named `…Mrkdwn` are already escaped by the caller; ids are wrapped in code
 * spans by the views.
 */

type ProblemWords = { [C in StepProblem["code"]]: (p: Extract<StepProblem, { code: C }>, m: RetCodeWords) => string };
/** RetCode words come from retcode-words.ts, passed in so there is one place for them. */
export type RetCodeWords = (retCode: number, message: string) => string;

interface OperationWords {
  readonly stepStatuses: Record<StepStatus, string>;
  readonly requestStatuses: Record<RequestStatus, string>;
  readonly steps: {
    readonly [K in StepKind]: K extends "reinstall"
      ? (imageMrkdwn: string) => string
      : K extends "snapshot"
        ? (nameMrkdwn: string) => string
        : K extends "wait-for-state"
          ? (stateMrkdwn: string) => string
          : string;
  };
  /** The wait after a reinstall: the new image on the instance, and the state it lands in. */
  readonly waitForImage: (stateMrkdwn: string) => string;
  readonly problems: ProblemWords;
  readonly card: CardWords;
}

interface CardWords {
  asks: (requester: string, count: number) => string;
  image: string;
  location: string;
  plan: string;
  was: (stateMrkdwn: string) => string;
  now: (stateMrkdwn: string) => string;
  imageNow: (imageMrkdwn: string) => string;
  snapshotKept: (imageIdCode: string) => string;
  confirmText: (count: number, imageText: string) => string;
  running: (decider: string, when: string) => string;
  succeeded: (decider: string, when: string) => string;
  failed: (decider: string, when: string) => string;
  unknown: (decider: string, when: string) => string;
  /** The same lines for a request whose kind needs no approval: its requester started it. */
  selfRun: {
    running: (requester: string, when: string) => string;
    succeeded: (requester: string, when: string) => string;
    failed: (requester: string, when: string) => string;
    unknown: (requester: string, when: string) => string;
    scheduled: (requester: string, when: string, runAt: string) => string;
  };
  checkAgain: string;
  checkAgainNothing: string;
  checkAgainDone: string;
  notApproverToCheck: string;
  dmPosted: (channel: string, link: string | undefined) => string;
  dmFinished: (statusWord: string, link: string | undefined) => string;
  rateLimited: (seconds: number) => string;
  keysChanged: string;
  keysRemoved: string;
  cardNotUpdated: (statusWord: string) => string;
}

interface OpWords {
  button: string;
  confirmTitle: string;
  confirmText: (instanceMrkdwn: string) => string;
  confirmYes: string;
  started: (instanceMrkdwn: string) => string;
  finished: (instanceMrkdwn: string, stateMrkdwn: string) => string;
  failed: (instanceMrkdwn: string, whyMrkdwn: string) => string;
  unknown: (instanceMrkdwn: string, whyMrkdwn: string) => string;
}

export interface InstanceWords {
  title: string;
  range: (from: number, to: number, total: number) => string;
  empty: (region: string) => string;
  states: Record<string, string>;
  gpu: (count: string, type: string) => string;
  reinstall: string;
  ops: Record<InstanceCommandKind, OpWords>;
  confirmNo: string;
  wrongState: (command: string, stateMrkdwn: string, allowed: string) => string;
  notFound: (id: string, region: string) => string;
  pageGone: string;
  home: { title: string; none: string; more: (count: number) => string; unavailable: string };
}

export const operationsEn: OperationWords = {
  stepStatuses: {
    pending: "to do",
    running: "in progress",
    done: "done",
    failed: "failed",
    unknown: "unknown",
    skipped: "skipped",
  },
  requestStatuses: {
    pending: "waiting for approval",
    approved: "approved",
    executing: "in progress",
    succeeded: "done",
    failed: "failed",
    unknown: "outcome unknown",
    rejected: "rejected",
    expired: "expired",
    cancelled: "cancelled",
  },
  steps: {
    stop: "Stop the instance",
    start: "Start the instance",
    reboot: "Reboot the instance",
    reinstall: (imageMrkdwn) => `Reinstall with ${imageMrkdwn}`,
    snapshot: (nameMrkdwn) => `Keep a copy of the system disk as custom image ${nameMrkdwn}`,
    "wait-for-state": (stateMrkdwn) => `Wait until it is ${stateMrkdwn}`,
  },
  waitForImage: (stateMrkdwn) => `Wait until the new image is on it and it is ${stateMrkdwn}`,
  problems: {
    refused: (p, words) => words(p.retCode, p.message),
    not_sent: () => "the bot could not reach CompShare, so nothing was sent.",
    http: (p) => `CompShare answered HTTP ${p.status} and did not run it.`,
    instance_gone: () => "the instance no longer exists.",
    timed_out: (p) =>
      `the instance did not become ${p.wanted} in time${p.lastState ? ` (last seen ${p.lastState})` : ""}.`,
    instance_failed: (p) => `the instance ended in state ${p.state}.`,
    image_failed: () => "the custom image could not be made.",
    no_evidence: (p) =>
      `the call was sent but no answer came back, and the instance does not show yet whether it ran${p.lastState ? ` (it is ${p.lastState})` : ""}. Nothing was sent again.`,
    keys_removed: () => "the requester's CompShare keys were removed, so nothing was sent.",
    keys_unreadable: () => "the requester's stored keys can no longer be read, so nothing was sent.",
    keys_changed: () => "the requester's CompShare keys changed since the request was checked, so nothing was sent.",
    internal: () => "something went wrong inside the bot. Check the instance in the CompShare console.",
  },
  card: {
    asks: (requester, count) =>
      count === 1
        ? `<@${requester}> asks to reinstall an instance.`
        : `<@${requester}> asks to reinstall ${count} instances.`,
    image: "Image",
    location: "Region / zone",
    plan: "Plan, per instance, in order",
    was: (state) => `was ${state}`,
    now: (state) => `now ${state}`,
    imageNow: (image) => `image ${image}`,
    snapshotKept: (id) => `copy kept as ${id}`,
    confirmText: (count, image) =>
      `${count === 1 ? "The instance" : `${count} instances`} will be reinstalled with ${image}, following the plan on the card. Each system disk is wiped; data disks are kept.`,
    running: (decider, when) => `:hourglass_flowing_sand: Approved by <@${decider}> ${when}. Working through the plan…`,
    succeeded: (decider, when) => `:white_check_mark: Approved by <@${decider}> ${when}. Every step is done.`,
    failed: (decider, when) => `:x: Approved by <@${decider}> ${when}, but the plan stopped at a failed step.`,
    unknown: (decider, when) =>
      `:grey_question: Approved by <@${decider}> ${when}, but a step's outcome is unknown. Nothing was sent twice; an approver can check again once the console shows where it stands.`,
    selfRun: {
      running: (requester, when) =>
        `:hourglass_flowing_sand: Started by <@${requester}> ${when} (no approval needed). Working through the plan…`,
      succeeded: (requester, when) =>
        `:white_check_mark: Started by <@${requester}> ${when} (no approval needed). Every step is done.`,
      failed: (requester, when) =>
        `:x: Started by <@${requester}> ${when} (no approval needed), but the plan stopped at a failed step.`,
      unknown: (requester, when) =>
        `:grey_question: Started by <@${requester}> ${when} (no approval needed), but a step's outcome is unknown. Nothing was sent twice; check again once the console shows where it stands.`,
      scheduled: (requester, when, runAt) =>
        `:calendar: Asked for by <@${requester}> ${when} (no approval needed). Scheduled to run ${runAt}.`,
    },
    checkAgain: "Check again",
    checkAgainNothing: "Nothing on this request is unknown any more.",
    checkAgainDone: "Checked again; the card shows what was found.",
    notApproverToCheck: "Only approvers or the requester can check this request again.",
    dmPosted: (channel, link) =>
      `:inbox_tray: Your reinstall request is waiting for approval in <#${channel}>${link ? `: <${link}|open it>` : ""}.`,
    dmFinished: (status, link) => `Your request is *${status}*${link ? `: <${link}|open the card>` : ""}.`,
    rateLimited: (seconds) =>
      `:hourglass: Slack is rate-limiting the bot just now, so your request could not be posted and has been withdrawn. Try again in ${seconds} s.`,
    keysChanged:
      "The requester's CompShare keys changed since the request was checked, so it was closed without running. They can ask again.",
    keysRemoved:
      "The requester's CompShare keys were removed before approval, so it was closed and nothing was sent. They can link keys again (`/compshare login`) and ask again.",
    cardNotUpdated: (status) =>
      `The request is now *${status}*, but the card in the approvals channel could not be updated (it may have been deleted). The requester is told directly.`,
  },
};

export const operationsZhCN: OperationWords = {
  stepStatuses: {
    pending: "待执行",
    running: "进行中",
    done: "完成",
    failed: "失败",
    unknown: "未知",
    skipped: "已跳过",
  },
  requestStatuses: {
    pending: "等待审批",
    approved: "已批准",
    executing: "执行中",
    succeeded: "已完成",
    failed: "失败",
    unknown: "结果未知",
    rejected: "已拒绝",
    expired: "已过期",
    cancelled: "已撤销",
  },
  steps: {
    stop: "关机",
    start: "开机",
    reboot: "重启",
    reinstall: (imageMrkdwn) => `用 ${imageMrkdwn} 重装`,
    snapshot: (nameMrkdwn) => `先把系统盘保存为自制镜像 ${nameMrkdwn}`,
    "wait-for-state": (stateMrkdwn) => `等待实例变为 ${stateMrkdwn}`,
  },
  waitForImage: (stateMrkdwn) => `等待新镜像装好、实例变为 ${stateMrkdwn}`,
  problems: {
    refused: (p, words) => words(p.retCode, p.message),
    not_sent: () => "机器人无法连接 CompShare，未发送任何请求。",
    http: (p) => `CompShare 返回 HTTP ${p.status}，未执行。`,
    instance_gone: () => "该实例已不存在。",
    timed_out: (p) => `实例未在限定时间内变为 ${p.wanted}${p.lastState ? `（最后状态：${p.lastState}）` : ""}。`,
    instance_failed: (p) => `实例最终处于 ${p.state} 状态。`,
    image_failed: () => "自制镜像未能创建成功。",
    no_evidence: (p) =>
      `请求已发出但没有收到应答，实例状态暂时无法证明是否已执行${p.lastState ? `（当前：${p.lastState}）` : ""}。机器人没有重发。`,
    keys_removed: () => "申请人的 CompShare 密钥已被移除，未发送任何请求。",
    keys_unreadable: () => "申请人保存的密钥已无法读取，未发送任何请求。",
    keys_changed: () => "申请人的 CompShare 密钥在审核后已更换，未发送任何请求。",
    internal: () => "机器人内部出错。请在 CompShare 控制台查看该实例。",
  },
  card: {
    asks: (requester, count) =>
      count === 1 ? `<@${requester}> 申请重装一台实例。` : `<@${requester}> 申请重装 ${count} 台实例。`,
    image: "镜像",
    location: "地域／可用区",
    plan: "执行计划（按实例，依次执行）",
    was: (state) => `原为 ${state}`,
    now: (state) => `现在 ${state}`,
    imageNow: (image) => `镜像 ${image}`,
    snapshotKept: (id) => `已保存副本 ${id}`,
    confirmText: (count, image) =>
      `${count === 1 ? "该实例" : `${count} 台实例`}将按卡片上的计划用 ${image} 重装。系统盘会被清空，数据盘保留。`,
    running: (decider, when) => `:hourglass_flowing_sand: <@${decider}> 于 ${when} 批准，正在按计划执行……`,
    succeeded: (decider, when) => `:white_check_mark: <@${decider}> 于 ${when} 批准，所有步骤已完成。`,
    failed: (decider, when) => `:x: <@${decider}> 于 ${when} 批准，但计划在一个失败的步骤处停止。`,
    unknown: (decider, when) =>
      `:grey_question: <@${decider}> 于 ${when} 批准，但有一个步骤结果未知。没有重复发送任何请求；确认控制台状态后，审批人可以重新检查。`,
    selfRun: {
      running: (requester, when) =>
        `:hourglass_flowing_sand: <@${requester}> 于 ${when} 发起（无需审批），正在按计划执行……`,
      succeeded: (requester, when) =>
        `:white_check_mark: <@${requester}> 于 ${when} 发起（无需审批），所有步骤已完成。`,
      failed: (requester, when) => `:x: <@${requester}> 于 ${when} 发起（无需审批），但计划在一个失败的步骤处停止。`,
      unknown: (requester, when) =>
        `:grey_question: <@${requester}> 于 ${when} 发起（无需审批），但有一个步骤结果未知。没有重复发送任何请求；确认控制台状态后可以重新检查。`,
      scheduled: (requester, when, runAt) =>
        `:calendar: <@${requester}> 于 ${when} 发起（无需审批），计划于 ${runAt} 执行。`,
    },
    checkAgain: "重新检查",
    checkAgainNothing: "此申请已没有结果未知的步骤。",
    checkAgainDone: "已重新检查，卡片显示了检查结果。",
    notApproverToCheck: "只有审批人或申请人可以重新检查此申请。",
    dmPosted: (channel, link) =>
      `:inbox_tray: 你的重装申请正在 <#${channel}> 等待审批${link ? `：<${link}|打开>` : ""}。`,
    dmFinished: (status, link) => `你的申请 *${status}*${link ? `：<${link}|打开卡片>` : ""}。`,
    rateLimited: (seconds) => `:hourglass: Slack 正在对机器人限流，你的申请未能发布，已撤回。请 ${seconds} 秒后再试。`,
    keysChanged: "申请人的 CompShare 密钥在审核后已更换，申请已关闭且未执行。申请人可以重新申请。",
    keysRemoved:
      "申请人的 CompShare 密钥在审批前已被移除，申请已关闭，未发送任何请求。申请人可重新绑定密钥（`/compshare login`）后再申请。",
    cardNotUpdated: (status) => `申请现在 *${status}*，但审批频道中的卡片无法更新（可能已被删除）。已直接通知申请人。`,
  },
};

const STATES_EN: Record<string, string> = {
  Running: "Running",
  Stopped: "Stopped",
  Starting: "Starting",
  Stopping: "Stopping",
  Rebooting: "Rebooting",
  Initializing: "Initializing",
  "Install Fail": "Install failed",
  Resizing: "Resizing",
};

export const instancesEn: InstanceWords = {
  title: "My instances",
  range: (from, to, total) => `Showing ${from}–${to} of ${total}`,
  empty: (region) => `You have no instances in region \`${region}\`.`,
  states: STATES_EN,
  gpu: (count, type) => `${count}× ${type}`,
  reinstall: "Reinstall…",
  ops: {
    stop: {
      button: "Stop",
      confirmTitle: "Stop this instance?",
      confirmText: (instance) => `${instance} will be shut down. Running jobs on it stop.`,
      confirmYes: "Stop it",
      started: (instance) => `:hourglass_flowing_sand: Stopping ${instance}…`,
      finished: (instance, state) => `:white_check_mark: ${instance} is ${state}.`,
      failed: (instance, why) => `:x: ${instance} was not stopped: ${why}`,
      unknown: (instance, why) => `:grey_question: Whether ${instance} stopped is unknown: ${why}`,
    },
    start: {
      button: "Start",
      confirmTitle: "Start this instance?",
      confirmText: (instance) => `${instance} will be started; it is billed while it runs.`,
      confirmYes: "Start it",
      started: (instance) => `:hourglass_flowing_sand: Starting ${instance}…`,
      finished: (instance, state) => `:white_check_mark: ${instance} is ${state}.`,
      failed: (instance, why) => `:x: ${instance} was not started: ${why}`,
      unknown: (instance, why) => `:grey_question: Whether ${instance} started is unknown: ${why}`,
    },
    reboot: {
      button: "Reboot",
      confirmTitle: "Reboot this instance?",
      confirmText: (instance) => `${instance} will be restarted. Running jobs on it stop.`,
      confirmYes: "Reboot it",
      started: (instance) => `:hourglass_flowing_sand: Rebooting ${instance}…`,
      finished: (instance, state) => `:white_check_mark: ${instance} rebooted and is ${state}.`,
      failed: (instance, why) => `:x: ${instance} was not rebooted: ${why}`,
      unknown: (instance, why) => `:grey_question: Whether ${instance} rebooted is unknown: ${why}`,
    },
  },
  confirmNo: "Go back",
  wrongState: (command, state, allowed) =>
    `The instance is ${state}; \`${command}\` works only when it is ${allowed}. Nothing was sent.`,
  notFound: (id, region) => `None of your instances in region \`${region}\` has the id \`${id}\`.`,
  pageGone: "This list is too old to page through. Run `/compshare instances` again.",
  home: {
    title: "My instances",
    none: "You have no instances in your region.",
    more: (count) => `…and ${count} more: \`/compshare instances\``,
    unavailable: "Your instances could not be listed just now.",
  },
};

export const instancesZhCN: InstanceWords = {
  title: "我的实例",
  range: (from, to, total) => `第 ${from}–${to} 个，共 ${total} 个`,
  empty: (region) => `你在地域 \`${region}\` 没有实例。`,
  states: {
    Running: "运行中",
    Stopped: "已关机",
    Starting: "开机中",
    Stopping: "关机中",
    Rebooting: "重启中",
    Initializing: "初始化中",
    "Install Fail": "安装失败",
    Resizing: "调整配置中",
  },
  gpu: (count, type) => `${count}× ${type}`,
  reinstall: "重装…",
  ops: {
    stop: {
      button: "关机",
      confirmTitle: "关闭此实例？",
      confirmText: (instance) => `${instance} 将被关机，其上运行的任务会停止。`,
      confirmYes: "关机",
      started: (instance) => `:hourglass_flowing_sand: 正在关机 ${instance}…`,
      finished: (instance, state) => `:white_check_mark: ${instance} 现在 ${state}。`,
      failed: (instance, why) => `:x: ${instance} 未能关机：${why}`,
      unknown: (instance, why) => `:grey_question: 无法确认 ${instance} 是否已关机：${why}`,
    },
    start: {
      button: "开机",
      confirmTitle: "启动此实例？",
      confirmText: (instance) => `${instance} 将被开机，运行期间会计费。`,
      confirmYes: "开机",
      started: (instance) => `:hourglass_flowing_sand: 正在开机 ${instance}…`,
      finished: (instance, state) => `:white_check_mark: ${instance} 现在 ${state}。`,
      failed: (instance, why) => `:x: ${instance} 未能开机：${why}`,
      unknown: (instance, why) => `:grey_question: 无法确认 ${instance} 是否已开机：${why}`,
    },
    reboot: {
      button: "重启",
      confirmTitle: "重启此实例？",
      confirmText: (instance) => `${instance} 将被重启，其上运行的任务会停止。`,
      confirmYes: "重启",
      started: (instance) => `:hourglass_flowing_sand: 正在重启 ${instance}…`,
      finished: (instance, state) => `:white_check_mark: ${instance} 已重启，现在 ${state}。`,
      failed: (instance, why) => `:x: ${instance} 未能重启：${why}`,
      unknown: (instance, why) => `:grey_question: 无法确认 ${instance} 是否已重启：${why}`,
    },
  },
  confirmNo: "返回",
  wrongState: (command, state, allowed) =>
    `实例当前 ${state}；\`${command}\` 只能在 ${allowed} 时使用。未发送任何请求。`,
  notFound: (id, region) => `你在地域 \`${region}\` 的实例中没有 \`${id}\`。`,
  pageGone: "这个列表已过期，无法翻页。请重新运行 `/compshare instances`。",
  home: {
    title: "我的实例",
    none: "你在当前地域没有实例。",
    more: (count) => `……还有 ${count} 个：\`/compshare instances\``,
    unavailable: "暂时无法列出你的实例。",
  },
};
