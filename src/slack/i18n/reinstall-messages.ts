/**
 * Messages of the reinstall-with-approval flow and its part of the Home tab (issue #6), English
 * and Simplified Chinese side by side. Arguments named `…Mrkdwn` are already escaped by the
 * caller; everything else interpolated here is an id, a number or a Slack mention.
 */
export const reinstallEn = {
  notConfigured:
    "Reinstall requests are not configured in this workspace yet. An admin names an approvals channel and approvers: in the `POLICY_FILE` (its `reinstall` or `default` block), or with `APPROVAL_CHANNEL` (the id of the channel where requests are posted) and `APPROVERS` (Slack user ids `U…` and/or user-group ids `S…`), and restarts the bot.",

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
    introNoApproval:
      "Reinstalls need no approval here: on submit the bot reinstalls the instance with *your* CompShare keys (inside the change windows, if any).",
    warning: ":warning: Reinstalling wipes the instance's system disk. Data disks are kept.",
    instanceLabel: "Instance IDs",
    instancePlaceholder: "uhost-… uhost-…",
    instanceHint: "Up to 20, separated by spaces, all in one zone. Press Enter to check them.",
    planLabel: "Plan",
    planStopFirst: "Stop each instance first",
    planStartAfter: "Start each instance again when done",
    planSnapshot: "Keep a copy of the system disk first, as a custom image",
    planHint: "Pre-selected from the instances' current states; the card shows the plan before anyone approves.",
    snapshotNameLabel: "Name of the copy",
    snapshotNameHint: "With several instances each copy gets -1, -2, … at the end.",
    imageLabel: "Image",
    imagePlaceholder: "Type to search platform, your and shared images",
    reasonLabel: "Reason",
    reasonPlaceholder: "Why does this instance need a reinstall?",
    instanceFound: (nameMrkdwn: string, gpuMrkdwn: string, stateMrkdwn: string) =>
      `:desktop_computer: ${nameMrkdwn} · ${gpuMrkdwn} · ${stateMrkdwn}`,
    instanceMissing: (region: string) => `:mag: None of your instances in region \`${region}\` has this id.`,
    instanceUnchecked: "Could not check the instance just now; CompShare will check it when the reinstall runs.",
    imageFound: (nameMrkdwn: string, typeMrkdwn: string, statusMrkdwn: string) =>
      `:cd: ${nameMrkdwn} · ${typeMrkdwn} · ${statusMrkdwn}`,
    errors: {
      instanceFormat: "An instance id looks like uhost-abc123.",
      instancesMissing: "Give at least one instance id.",
      tooManyInstances: (max: number) => `One request takes at most ${max} instances.`,
      instancesUnknown: (ids: string, region: string) =>
        `Your keys see no instance ${ids} in region ${region}. Check the ids, and that the instances are your keys' account's.`,
      mixedZones: (zones: string) => `All instances of one request must be in one zone; these are in ${zones}.`,
      snapshotNameFormat: "1–60 letters, digits, - or _; it names the custom image.",
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
    startingNow: ":hourglass_flowing_sand: Reinstalls need no approval here: starting your reinstall…",
    runningNoApproval: (link: string | undefined) =>
      `:arrows_counterclockwise: Your reinstall is running. Follow it in your messages with the bot${link ? `: <${link}|open it>` : ""}.`,
    scheduledNoApproval: (link: string | undefined) =>
      `:calendar: Your reinstall waits for its change window; its card in your messages with the bot says when it runs${link ? `: <${link}|open it>` : ""}.`,
    runningNoCard:
      ":arrows_counterclockwise: Your reinstall is running, but its progress could not be posted in your messages with the bot; the Home tab shows how it ends.",
    notStarted:
      ":x: Your CompShare keys changed or were removed since this form was opened, so nothing was started. Run /compshare login if needed, then ask again.",
  },

  card: {
    title: "Reinstall request",
    reason: "Reason",
    warning:
      ":warning: Reinstalling wipes the instance's *system disk*; everything on it is lost. *Data disks are kept.*",
    approve: "Approve",
    reject: "Reject",
    cancel: "Cancel request",
    confirmTitle: "Reinstall this instance?",
    confirmYes: "Approve and reinstall",
    confirmNo: "Go back",
    pending: (expires: string) => `Waiting for an approver · expires ${expires} · only the requester can cancel`,
    rejected: (decider: string, when: string) => `:no_entry: Rejected by <@${decider}> ${when}.`,
    rejectedWithReason: (decider: string, when: string, reasonMrkdwn: string) =>
      `:no_entry: Rejected by <@${decider}> ${when}: ${reasonMrkdwn}`,
    cancelled: (who: string, when: string) => `:heavy_multiplication_x: Cancelled by <@${who}> ${when}.`,
    withdrawn: (when: string) => `:heavy_multiplication_x: Withdrawn ${when}: the card could not be posted.`,
    expired: (when: string) => `:hourglass: Expired ${when} without a decision.`,
    finished: (when: string) => `Finished ${when}`,
  },

  outcome: {
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
    "本工作区尚未配置重装申请。需要管理员指定审批频道和审批人：在 `POLICY_FILE`（其 `reinstall` 或 `default` 部分）中，或通过 `APPROVAL_CHANNEL`（发布申请的频道 ID）和 `APPROVERS`（Slack 用户 ID `U…` 和/或用户组 ID `S…`），然后重启机器人。",

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
    introNoApproval:
      "此处重装无需审批：提交后机器人立即使用 *你的* 优云智算密钥重装实例（如有变更窗口，则在窗口内执行）。",
    warning: ":warning: 重装会清空实例的系统盘，数据盘不受影响。",
    instanceLabel: "实例 ID",
    instancePlaceholder: "uhost-… uhost-…",
    instanceHint: "最多 20 个，用空格分隔，须在同一可用区。输入后按回车检查。",
    planLabel: "执行计划",
    planStopFirst: "先关机",
    planStartAfter: "完成后重新开机",
    planSnapshot: "先把系统盘保存为自制镜像",
    planHint: "已按实例当前状态预选；审批前卡片会展示完整计划。",
    snapshotNameLabel: "副本名称",
    snapshotNameHint: "多台实例时，每个副本名称后会加上 -1、-2……",
    imageLabel: "镜像",
    imagePlaceholder: "输入关键字搜索平台、自制和共享镜像",
    reasonLabel: "原因",
    reasonPlaceholder: "为什么需要重装这台实例？",
    instanceFound: (nameMrkdwn: string, gpuMrkdwn: string, stateMrkdwn: string) =>
      `:desktop_computer: ${nameMrkdwn} · ${gpuMrkdwn} · ${stateMrkdwn}`,
    instanceMissing: (region: string) => `:mag: 你在地域 \`${region}\` 中没有这个 ID 的实例。`,
    instanceUnchecked: "暂时无法检查该实例；重装执行时优云智算会再检查。",
    imageFound: (nameMrkdwn: string, typeMrkdwn: string, statusMrkdwn: string) =>
      `:cd: ${nameMrkdwn} · ${typeMrkdwn} · ${statusMrkdwn}`,
    errors: {
      instanceFormat: "实例 ID 形如 uhost-abc123。",
      instancesMissing: "请至少填写一个实例 ID。",
      tooManyInstances: (max: number) => `一次申请最多 ${max} 台实例。`,
      instancesUnknown: (ids: string, region: string) =>
        `你的密钥在地域 ${region} 看不到实例 ${ids}。请检查实例 ID，并确认这些实例属于你的密钥所在账号。`,
      mixedZones: (zones: string) => `同一申请中的实例须在同一可用区，这些实例分别在 ${zones}。`,
      snapshotNameFormat: "1–60 个字母、数字、- 或 _，用作自制镜像名称。",
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
    startingNow: ":hourglass_flowing_sand: 此处重装无需审批：正在开始重装…",
    runningNoApproval: (link: string | undefined) =>
      `:arrows_counterclockwise: 你的重装正在执行，可在与机器人的私信中查看进度${link ? `：<${link}|查看>` : ""}。`,
    scheduledNoApproval: (link: string | undefined) =>
      `:calendar: 你的重装在等待变更窗口；与机器人的私信中的卡片会显示执行时间${link ? `：<${link}|查看>` : ""}。`,
    runningNoCard:
      ":arrows_counterclockwise: 你的重装正在执行，但无法在与机器人的私信中发布进度；结果请看主页（Home）。",
    notStarted:
      ":x: 打开此表单后你的优云智算密钥已更换或被删除，因此没有开始任何操作。如有需要请运行 /compshare login，然后重新申请。",
  },

  card: {
    title: "重装申请",
    reason: "原因",
    warning: ":warning: 重装会清空实例的 *系统盘*，其中的数据全部丢失。 *数据盘不受影响。*",
    approve: "批准",
    reject: "拒绝",
    cancel: "撤销申请",
    confirmTitle: "确认重装这台实例？",
    confirmYes: "批准并重装",
    confirmNo: "返回",
    pending: (expires: string) => `等待审批 · ${expires} 过期 · 只有申请人可以撤销`,
    rejected: (decider: string, when: string) => `:no_entry: <@${decider}> 已于 ${when} 拒绝。`,
    rejectedWithReason: (decider: string, when: string, reasonMrkdwn: string) =>
      `:no_entry: <@${decider}> 已于 ${when} 拒绝：${reasonMrkdwn}`,
    cancelled: (who: string, when: string) => `:heavy_multiplication_x: <@${who}> 已于 ${when} 撤销。`,
    withdrawn: (when: string) => `:heavy_multiplication_x: 已于 ${when} 撤回：无法发布申请卡片。`,
    expired: (when: string) => `:hourglass: 已于 ${when} 过期，无人审批。`,
    finished: (when: string) => `完成于 ${when}`,
  },

  outcome: {
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
