/**
 * Messages of change windows and scheduled runs (issue 11 item 4), English and Simplified Chinese
 * side by side. Times on cards are <!date^…> tokens (each reader's own zone); times in modal
 * errors are plain text, already written in the requester's zone.
 */

export interface ScheduleWords {
  runAtLabel: string;
  /** `zone` is the requester's IANA zone from users.info, when known. */
  runAtHint(zone: string | undefined, windows: readonly string[]): string;
  runAtPast: string;
  runAtUnreadable: string;
  runAtTooFar: string;
  runAtOutsideWindows(windows: readonly string[], nextOpening: string | undefined): string;
  /** A stop, start or reboot asked for outside its windows: `what` is e.g. "Stop the instance". */
  instanceScheduled(what: string, instance: string, when: string): string;
  /** Its status in a line (Home, notifications): approved and waiting. */
  statusScheduled(when: string): string;
  /** A pending request's time asked for. */
  requestedFor(when: string): string;
  /** On the card and the requester's DM: approved, waiting for `when`. */
  scheduled(decider: string, decided: string, when: string): string;
  runNow: string;
  runNowConfirmTitle: string;
  runNowConfirmText: string;
  cancel: string;
  cancelConfirmTitle: string;
  cancelConfirmText: string;
  confirmNo: string;
  cancelledScheduled(by: string, when: string): string;
  /** Run now clicked while every window is shut. */
  runNowOutsideWindows(windows: readonly string[], when: string): string;
  /** The same, where the windows are not at hand. */
  runNowShut: string;
  runNowDone: string;
  notScheduled: string;
}

export const scheduleEn: ScheduleWords = {
  runAtLabel: "When to run",
  runAtHint: (zone, windows) =>
    [
      "Leave it empty to run as soon as it is approved.",
      zone ? `Times are in your time zone, ${zone}.` : "",
      windows.length > 0 ? `Allowed windows: ${windows.join("; ")}.` : "",
    ]
      .filter((part) => part !== "")
      .join(" "),
  runAtPast: "That time has already passed. Pick a later one, or leave it empty to run as soon as it is approved.",
  runAtUnreadable: "That is not a date and time. Pick one, or leave it empty to run as soon as it is approved.",
  runAtTooFar: "That is more than a year ahead. Pick a time within the next year.",
  runAtOutsideWindows: (windows, next) =>
    `That time is outside every change window (${windows.join("; ")}).${next ? ` The next one opens ${next}.` : ""}`,
  instanceScheduled: (what, instance, when) =>
    `:calendar: ${what} ${instance}: outside its change windows, so it is scheduled to run ${when}.`,
  statusScheduled: (when) => `scheduled for ${when}`,
  requestedFor: (when) => `:calendar: Asked to run ${when} (or when a change window next opens after it).`,
  scheduled: (decider, decided, when) => `:calendar: Approved by <@${decider}> ${decided}. Scheduled to run ${when}.`,
  runNow: "Run now",
  runNowConfirmTitle: "Run the plan now?",
  runNowConfirmText: "The plan starts now instead of at its scheduled time.",
  cancel: "Cancel",
  cancelConfirmTitle: "Cancel this scheduled run?",
  cancelConfirmText: "Nothing has run yet and nothing will; the requester can ask again.",
  confirmNo: "Keep it",
  cancelledScheduled: (by, when) =>
    `:heavy_multiplication_x: Scheduled run cancelled by <@${by}> ${when}. Nothing ran.`,
  runNowOutsideWindows: (windows, when) =>
    `Every change window is shut now (${windows.join("; ")}), so it cannot run now. It will run ${when}.`,
  runNowShut: "Every change window is shut now, so it cannot run now; it runs at its scheduled time.",
  runNowDone: "Starting the plan now.",
  notScheduled: "This request is not waiting for a scheduled time any more.",
};

export const scheduleZhCN: ScheduleWords = {
  runAtLabel: "执行时间",
  runAtHint: (zone, windows) =>
    [
      "留空则在批准后立即执行。",
      zone ? `时间按你的时区（${zone}）显示。` : "",
      windows.length > 0 ? `允许的变更窗口：${windows.join("；")}。` : "",
    ].join(""),
  runAtPast: "这个时间已经过去了。请选一个更晚的时间，或留空以在批准后立即执行。",
  runAtUnreadable: "这不是有效的日期和时间。请选择一个时间，或留空以在批准后立即执行。",
  runAtTooFar: "这个时间在一年以后。请选择一年以内的时间。",
  runAtOutsideWindows: (windows, next) =>
    `这个时间不在任何变更窗口内（${windows.join("；")}）。${next ? `下一个窗口于 ${next} 开始。` : ""}`,
  instanceScheduled: (what, instance, when) =>
    `:calendar: ${what} ${instance}：当前不在变更窗口内，已安排于 ${when} 执行。`,
  statusScheduled: (when) => `已安排于 ${when} 执行`,
  requestedFor: (when) => `:calendar: 申请于 ${when} 执行（若不在变更窗口内，则在其后第一个窗口开始时执行）。`,
  scheduled: (decider, decided, when) => `:calendar: <@${decider}> 于 ${decided} 批准，计划于 ${when} 执行。`,
  runNow: "立即执行",
  runNowConfirmTitle: "现在就执行计划？",
  runNowConfirmText: "计划将立即开始，而不是等到预定时间。",
  cancel: "取消",
  cancelConfirmTitle: "取消这次预定执行？",
  cancelConfirmText: "目前什么都还没做，取消后也不会执行；申请人可以重新申请。",
  confirmNo: "保留",
  cancelledScheduled: (by, when) => `:heavy_multiplication_x: <@${by}> 于 ${when} 取消了预定执行，未执行任何操作。`,
  runNowOutsideWindows: (windows, when) =>
    `现在不在任何变更窗口内（${windows.join("；")}），无法立即执行。将于 ${when} 执行。`,
  runNowShut: "现在不在任何变更窗口内，无法立即执行；将按预定时间执行。",
  runNowDone: "计划现在开始执行。",
  notScheduled: "这个申请已不再等待预定时间。",
};
