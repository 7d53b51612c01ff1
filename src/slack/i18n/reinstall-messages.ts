import type { ApprovalStatus } from "../../store/types.ts";
/**
 * Messages of the reinstall-with-approval flow and its part of the Home tab (issue #6), English
 * and Simplified Chinese side by side. Arguments named `…Mrkdwn` are already escaped by the
 * caller; everything else interpolated here is an id, a number or a Slack mention.
 */
export const reinstallEn = {
  notConfigured:
    "Reinstall requests are not set up in this workspace yet. An admin sets `APPROVAL_CHANNEL` (the id of the channel where requests are posted) and `APPROVERS` (Slack user ids `U…` and/or user-group ids `S…`) and restarts the bot.",

  statuses: {
    pending: "waiting for approval",
    approved: "approved",
    executing: "reinstalling",
    succeeded: "reinstalled",
    failed: "failed",
    unknown: "outcome unknown",
    rejected: "rejected",
    expired: "expired",
    cancelled: "cancelled",
  } satisfies Record<ApprovalStatus, string>,

  /** How "already … by someone" reads for each way a request can leave pending. */
  decided: {
    approved: "approved",
    rejected: "rejected",
    cancelled: "cancelled",
    expired: "expired",
  },

  modal: {
    title: "Request a reinstall",
    submit: "Send request",
    close: "Cancel",
    intro:
      "An approver decides in the approvals channel; once approved, the bot reinstalls the instance with *your* CompShare keys.",
    warning: ":warning: Reinstalling wipes the instance's system disk. Data disks are kept.",
    instanceLabel: "Instance ID",
    instancePlaceholder: "uhost-…",
    instanceHint: "Press Enter to check the instance.",
    imageLabel: "Image",
    imagePlaceholder: "Type to search platform, your and shared images",
    reasonLabel: "Reason",
    reasonPlaceholder: "Why does this instance need a reinstall?",
    instanceFound: (nameMrkdwn: string, gpuMrkdwn: string, stateMrkdwn: string) =>
      `:desktop_computer: ${nameMrkdwn} · ${gpuMrkdwn} · ${stateMrkdwn}`,
    instanceNotStopped: (stateMrkdwn: string) =>
      `:warning: The instance is *${stateMrkdwn}*. Only a Stopped instance can be reinstalled: stop it before an approver approves.`,
    instanceMissing: (zone: string) => `:mag: None of your instances in zone \`${zone}\` has this id.`,
    instanceUnchecked: "Could not check the instance just now; CompShare will check it when the reinstall runs.",
    imageFound: (nameMrkdwn: string, typeMrkdwn: string, statusMrkdwn: string) =>
      `:cd: ${nameMrkdwn} · ${typeMrkdwn} · ${statusMrkdwn}`,
    errors: {
      instanceFormat: "An instance id looks like uhost-abc123.",
      instanceMissing: (zone: string) => `None of your instances in zone ${zone} has this id.`,
      imageFormat: "Pick an image from the list.",
      imageMissing: "This image is not among the platform images, your images or the images shared with you.",
      imageUnavailable: (status: string) => `This image is ${status}; only an available image can be used.`,
      reasonMissing: "Say why the reinstall is needed.",
      reasonTooLong: (max: number) => `Keep the reason under ${max} characters.`,
      notLinked: "Your CompShare keys are gone. Run /compshare login, then ask again.",
    },
  },

  submitted: {
    title: "Reinstall request",
    close: "Done",
    posting: (channel: string) => `:hourglass_flowing_sand: Posting your request in <#${channel}>…`,
    posted: (channel: string, link: string | undefined) =>
      `:white_check_mark: Your request is waiting for an approver in <#${channel}>${link ? `: <${link}|open it>` : ""}. You will get a message here when it is decided.`,
    postFailed: (channel: string) =>
      `:x: Your request could not be posted in <#${channel}>, so nobody could approve it; it has been withdrawn. Ask an admin to invite the bot to that channel, then try again.`,
    dm: (summaryMrkdwn: string, channel: string, link: string | undefined) =>
      `:inbox_tray: Your reinstall request (${summaryMrkdwn}) is waiting for approval in <#${channel}>${link ? `: <${link}|open it>` : ""}.`,
  },

  card: {
    title: "Reinstall request",
    asks: (requester: string) => `<@${requester}> asks to reinstall an instance.`,
    instance: "Instance",
    gpu: "GPU",
    stateWhenAsked: "State when asked",
    image: "Image",
    imageType: "Image type",
    location: "Region / zone",
    reason: "Reason",
    warning:
      ":warning: Reinstalling wipes the instance's *system disk*; everything on it is lost. *Data disks are kept.*",
    approve: "Approve",
    reject: "Reject",
    cancel: "Cancel request",
    confirmTitle: "Reinstall this instance?",
    confirmText: (instance: string, image: string) =>
      `${instance} will be reinstalled with ${image}. Its system disk is wiped; data disks are kept. This cannot be undone.`,
    confirmYes: "Approve and reinstall",
    confirmNo: "Go back",
    pending: (expires: string) => `Waiting for an approver · expires ${expires} · only the requester can cancel`,
    running: (decider: string, when: string) =>
      `:hourglass_flowing_sand: Approved by <@${decider}> ${when}. Reinstalling now…`,
    succeeded: (decider: string, when: string) =>
      `:white_check_mark: Approved by <@${decider}> ${when}. CompShare accepted the reinstall; the instance is being reinstalled.`,
    failed: (decider: string, when: string, whyMrkdwn: string) =>
      `:x: Approved by <@${decider}> ${when}, but the reinstall failed: ${whyMrkdwn}`,
    unknown: (decider: string, when: string, whyMrkdwn: string) =>
      `:grey_question: Approved by <@${decider}> ${when}, but the outcome is unknown: ${whyMrkdwn}`,
    rejected: (decider: string, when: string) => `:no_entry: Rejected by <@${decider}> ${when}.`,
    rejectedWithReason: (decider: string, when: string, reasonMrkdwn: string) =>
      `:no_entry: Rejected by <@${decider}> ${when}: ${reasonMrkdwn}`,
    cancelled: (who: string, when: string) => `:heavy_multiplication_x: Cancelled by <@${who}> ${when}.`,
    withdrawn: (when: string) => `:heavy_multiplication_x: Withdrawn ${when}: the card could not be posted.`,
    expired: (when: string) => `:hourglass: Expired ${when} without a decision.`,
    finished: (when: string) => `Finished ${when}`,
  },

  outcome: {
    keysRemoved:
      "the requester's CompShare keys were removed before approval, so nothing was sent. They can link keys again (`/compshare login`) and ask again.",
    keysUnreadable:
      "the requester's stored keys can no longer be read (the bot's encryption key changed), so nothing was sent. They should run `/compshare login` and ask again.",
    notSent: "the bot could not reach CompShare, so nothing was sent. Ask again in a few minutes.",
    http: (status: number) => `CompShare answered HTTP ${status} and did not run it. Ask again in a few minutes.`,
    noAnswer:
      "the request was sent but CompShare did not answer in time. Check the instance in the CompShare console before asking again; the bot never retries a reinstall on its own.",
    interrupted:
      "the bot restarted while the reinstall call was in flight. Check the instance in the CompShare console before asking again.",
    internal: "something went wrong inside the bot. Check the instance in the CompShare console before asking again.",
    notStopped: "the instance is not Stopped. Stop it first, then ask again.",
  },

  dm: {
    intro: (summaryMrkdwn: string) => `Your reinstall request: ${summaryMrkdwn}`,
    openCard: (link: string) => `<${link}|Open the request>`,
  },

  decision: {
    notFound: "This request no longer exists.",
    notApprover: "Only approvers can decide reinstall requests. The bot's admin lists them in `APPROVERS`.",
    unverified:
      "Slack did not say who is in the approver groups just now, so the click was not taken as a decision. Try again in a minute.",
    ownRequest: "You asked for this reinstall, so another approver has to approve it.",
    notRequester: (requester: string) => `Only <@${requester}>, who asked for this reinstall, can cancel it.`,
    alreadyDecided: (verb: string, decider: string | undefined, when: string) =>
      decider
        ? `Too late: this request was already ${verb} by <@${decider}> ${when}. Nothing was changed.`
        : `Too late: this request was already ${verb} ${when}. Nothing was changed.`,
    expired: (when: string) =>
      `This request expired ${when} without a decision. Nothing was changed; ask for a new one with \`/compshare reinstall\`.`,
    cardNotUpdated: (statusText: string) =>
      `The request is now *${statusText}*, but the card in the approvals channel could not be updated (it may have been deleted). The requester has been told directly.`,
  },

  reject: {
    title: "Reject request",
    submit: "Reject",
    close: "Back",
    intro: (summaryMrkdwn: string, requester: string) => `Reject <@${requester}>'s request: ${summaryMrkdwn}`,
    reasonLabel: "Reason (optional)",
    reasonPlaceholder: "Told to the requester",
    done: "Rejected. The requester has been told.",
  },

  home: {
    request: "Request a reinstall",
    mine: "Your open reinstall requests",
    mineNone: "You have no open reinstall requests.",
    awaiting: "Reinstall requests waiting for you",
    awaitingNone: "Nothing is waiting for your decision.",
    recent: "Recent reinstall results",
    recentNone: "No finished reinstall requests yet.",
    item: (summaryMrkdwn: string, statusText: string, requester: string) =>
      `${summaryMrkdwn}\n_${statusText}_ · <@${requester}>`,
    openCard: "open",
    more: (count: number) => `…and ${count} more in the approvals channel.`,
  },
};

export const reinstallZhCN: typeof reinstallEn = {
  notConfigured:
    "本工作区尚未配置重装申请。需要管理员设置 `APPROVAL_CHANNEL`（发布申请的频道 ID）和 `APPROVERS`（Slack 用户 ID `U…` 和/或用户组 ID `S…`），然后重启机器人。",

  statuses: {
    pending: "等待审批",
    approved: "已批准",
    executing: "重装中",
    succeeded: "已重装",
    failed: "失败",
    unknown: "结果未知",
    rejected: "已拒绝",
    expired: "已过期",
    cancelled: "已撤销",
  },

  decided: {
    approved: "批准",
    rejected: "拒绝",
    cancelled: "撤销",
    expired: "过期",
  },

  modal: {
    title: "申请重装实例",
    submit: "提交申请",
    close: "取消",
    intro: "审批人会在审批频道中处理申请；批准后，机器人使用 *你的* 优云智算密钥重装实例。",
    warning: ":warning: 重装会清空实例的系统盘，数据盘不受影响。",
    instanceLabel: "实例 ID",
    instancePlaceholder: "uhost-…",
    instanceHint: "输入后按回车检查实例。",
    imageLabel: "镜像",
    imagePlaceholder: "输入关键字搜索平台、自制和共享镜像",
    reasonLabel: "原因",
    reasonPlaceholder: "为什么需要重装这台实例？",
    instanceFound: (nameMrkdwn: string, gpuMrkdwn: string, stateMrkdwn: string) =>
      `:desktop_computer: ${nameMrkdwn} · ${gpuMrkdwn} · ${stateMrkdwn}`,
    instanceNotStopped: (stateMrkdwn: string) =>
      `:warning: 实例当前为 *${stateMrkdwn}*。只有已关机（Stopped）的实例才能重装：请在审批人批准前先关机。`,
    instanceMissing: (zone: string) => `:mag: 你在可用区 \`${zone}\` 中没有这个 ID 的实例。`,
    instanceUnchecked: "暂时无法检查该实例；重装执行时优云智算会再检查。",
    imageFound: (nameMrkdwn: string, typeMrkdwn: string, statusMrkdwn: string) =>
      `:cd: ${nameMrkdwn} · ${typeMrkdwn} · ${statusMrkdwn}`,
    errors: {
      instanceFormat: "实例 ID 形如 uhost-abc123。",
      instanceMissing: (zone: string) => `你在可用区 ${zone} 中没有这个 ID 的实例。`,
      imageFormat: "请从列表中选择一个镜像。",
      imageMissing: "平台镜像、你的镜像和共享给你的镜像中都没有这个镜像。",
      imageUnavailable: (status: string) => `该镜像当前为${status}，只能使用可用的镜像。`,
      reasonMissing: "请说明需要重装的原因。",
      reasonTooLong: (max: number) => `原因请控制在 ${max} 个字符以内。`,
      notLinked: "你的优云智算密钥已被删除。请先运行 /compshare login，再重新申请。",
    },
  },

  submitted: {
    title: "重装申请",
    close: "完成",
    posting: (channel: string) => `:hourglass_flowing_sand: 正在把你的申请发布到 <#${channel}>…`,
    posted: (channel: string, link: string | undefined) =>
      `:white_check_mark: 你的申请已在 <#${channel}> 等待审批${link ? `：<${link}|查看>` : ""}。有结果时会在这里通知你。`,
    postFailed: (channel: string) =>
      `:x: 无法在 <#${channel}> 发布你的申请，没有人能审批它，申请已撤回。请管理员把机器人邀请进该频道后再试。`,
    dm: (summaryMrkdwn: string, channel: string, link: string | undefined) =>
      `:inbox_tray: 你的重装申请（${summaryMrkdwn}）正在 <#${channel}> 等待审批${link ? `：<${link}|查看>` : ""}。`,
  },

  card: {
    title: "重装申请",
    asks: (requester: string) => `<@${requester}> 申请重装一台实例。`,
    instance: "实例",
    gpu: "GPU",
    stateWhenAsked: "申请时状态",
    image: "镜像",
    imageType: "镜像类型",
    location: "地域 / 可用区",
    reason: "原因",
    warning: ":warning: 重装会清空实例的 *系统盘*，其中的数据全部丢失。 *数据盘不受影响。*",
    approve: "批准",
    reject: "拒绝",
    cancel: "撤销申请",
    confirmTitle: "确认重装这台实例？",
    confirmText: (instance: string, image: string) =>
      `${instance} 将使用 ${image} 重装。系统盘会被清空，数据盘保留。此操作无法撤销。`,
    confirmYes: "批准并重装",
    confirmNo: "返回",
    pending: (expires: string) => `等待审批 · ${expires} 过期 · 只有申请人可以撤销`,
    running: (decider: string, when: string) => `:hourglass_flowing_sand: <@${decider}> 已于 ${when} 批准。正在重装…`,
    succeeded: (decider: string, when: string) =>
      `:white_check_mark: <@${decider}> 已于 ${when} 批准。优云智算已受理重装，实例正在重装。`,
    failed: (decider: string, when: string, whyMrkdwn: string) =>
      `:x: <@${decider}> 已于 ${when} 批准，但重装失败：${whyMrkdwn}`,
    unknown: (decider: string, when: string, whyMrkdwn: string) =>
      `:grey_question: <@${decider}> 已于 ${when} 批准，但结果未知：${whyMrkdwn}`,
    rejected: (decider: string, when: string) => `:no_entry: <@${decider}> 已于 ${when} 拒绝。`,
    rejectedWithReason: (decider: string, when: string, reasonMrkdwn: string) =>
      `:no_entry: <@${decider}> 已于 ${when} 拒绝：${reasonMrkdwn}`,
    cancelled: (who: string, when: string) => `:heavy_multiplication_x: <@${who}> 已于 ${when} 撤销。`,
    withdrawn: (when: string) => `:heavy_multiplication_x: 已于 ${when} 撤回：无法发布申请卡片。`,
    expired: (when: string) => `:hourglass: 已于 ${when} 过期，无人审批。`,
    finished: (when: string) => `完成于 ${when}`,
  },

  outcome: {
    keysRemoved:
      "申请人在批准前删除了优云智算密钥，因此没有发出请求。请申请人重新绑定密钥（`/compshare login`）后再申请。",
    keysUnreadable:
      "申请人保存的密钥已无法读取（机器人的加密密钥已更换），因此没有发出请求。请申请人运行 `/compshare login` 后再申请。",
    notSent: "机器人无法连接优云智算，因此没有发出请求。请过几分钟再申请。",
    http: (status: number) => `优云智算返回 HTTP ${status}，没有执行。请过几分钟再申请。`,
    noAnswer:
      "请求已发出，但优云智算没有及时应答。请先在优云智算控制台确认实例状态，再决定是否重新申请；机器人不会自动重试重装。",
    interrupted: "重装请求发出期间机器人重启了。请先在优云智算控制台确认实例状态，再决定是否重新申请。",
    internal: "机器人内部出错。请先在优云智算控制台确认实例状态，再决定是否重新申请。",
    notStopped: "实例没有关机。请先关机，再重新申请。",
  },

  dm: {
    intro: (summaryMrkdwn: string) => `你的重装申请：${summaryMrkdwn}`,
    openCard: (link: string) => `<${link}|查看申请>`,
  },

  decision: {
    notFound: "这条申请已不存在。",
    notApprover: "只有审批人可以处理重装申请。审批人由机器人管理员在 `APPROVERS` 中配置。",
    unverified: "Slack 暂时没有返回审批组成员，这次点击没有生效。请过一分钟再试。",
    ownRequest: "这是你自己提交的重装申请，需要由其他审批人批准。",
    notRequester: (requester: string) => `只有申请人 <@${requester}> 可以撤销这条申请。`,
    alreadyDecided: (verb: string, decider: string | undefined, when: string) =>
      decider
        ? `来晚了：这条申请已由 <@${decider}> 于 ${when} ${verb}。没有做任何更改。`
        : `来晚了：这条申请已于 ${when} ${verb}。没有做任何更改。`,
    expired: (when: string) =>
      `这条申请已于 ${when} 过期，无人审批。没有做任何更改；请用 \`/compshare reinstall\` 重新申请。`,
    cardNotUpdated: (statusText: string) =>
      `申请现在是 *${statusText}*，但无法更新审批频道中的卡片（可能已被删除）。已直接通知申请人。`,
  },

  reject: {
    title: "拒绝申请",
    submit: "拒绝",
    close: "返回",
    intro: (summaryMrkdwn: string, requester: string) => `拒绝 <@${requester}> 的申请：${summaryMrkdwn}`,
    reasonLabel: "原因（可选）",
    reasonPlaceholder: "会告知申请人",
    done: "已拒绝，并已通知申请人。",
  },

  home: {
    request: "申请重装实例",
    mine: "我的进行中重装申请",
    mineNone: "你没有进行中的重装申请。",
    awaiting: "等待我审批的重装申请",
    awaitingNone: "没有等待你审批的申请。",
    recent: "最近的重装结果",
    recentNone: "还没有已结束的重装申请。",
    item: (summaryMrkdwn: string, statusText: string, requester: string) =>
      `${summaryMrkdwn}\n_${statusText}_ · <@${requester}>`,
    openCard: "查看",
    more: (count: number) => `…另有 ${count} 条，请到审批频道查看。`,
  },
};
