import type { CompShareInstance } from "../../compshare/schemas.ts";
import { instanceOutcomes, type Operation } from "../../domain/operations/index.ts";
import { type Messages, wordFor } from "../i18n/messages.ts";
import { INSTANCE_COMMANDS, type InstanceCommandKind } from "../instance-commands.ts";
import { actions, type Block, type ButtonElement, button, context, header, section } from "./blocks.ts";
import { timeLabel } from "./operation-card.ts";
import { problemText } from "./operation-text.ts";
import { scheduledButtons } from "./run-time.ts";
import { bold, code, escapeMrkdwn } from "./text.ts";
import { type MessagePayload, message, type ViewContext } from "./view-context.ts";

export const INSTANCE_ACTIONS = {
  /** Followed by the command's kind: instance_op_stop, instance_op_start, instance_op_reboot. */
  opPrefix: "instance_op_",
  reinstall: "instance_reinstall",
  page: "instances_page",
} as const;

export const INSTANCES_PAGE_SIZE = 10;

/** Where the instance list can go back and forth; the only state its Previous/Next buttons carry. */
export function encodeInstancePage(offset: number): string {
  return String(offset);
}

export function decodeInstancePage(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,5}$/.test(value)) return undefined;
  return Number(value);
}

export interface InstancePageData {
  instances: readonly CompShareInstance[];
  offset: number;
  total: number;
  /** DescribeCompShareInstance lists the whole region (the client sends it no Zone). */
  region: string;
}

/** A state in the reader's words, the vendor's own word when the catalogue has none. */
export function stateWord(m: Messages, state: string | undefined): string {
  if (!state) return "?";
  return wordFor(m.instances.states, state) ?? state;
}

export function gpuText(m: Messages, instance: Pick<CompShareInstance, "GPU" | "GpuType">): string | undefined {
  if (!instance.GpuType) return undefined;
  return instance.GPU ? m.instances.gpu(String(instance.GPU), instance.GpuType) : instance.GpuType;
}

/** One instance on one line: name, id, state, GPU, image, zone. */
export function instanceLine(m: Messages, instance: CompShareInstance): string {
  const gpu = gpuText(m, instance);
  const parts = [
    `${bold(instance.Name || instance.UHostId)} ${code(instance.UHostId)}`,
    `*${escapeMrkdwn(stateWord(m, instance.State))}*`,
    ...(gpu ? [escapeMrkdwn(gpu)] : []),
    ...(instance.CompShareImageName || instance.CompShareImageId
      ? [`:cd: ${escapeMrkdwn(instance.CompShareImageName || instance.CompShareImageId || "")}`]
      : []),
    ...(instance.Zone ? [escapeMrkdwn(instance.Zone)] : []),
  ];
  return parts.join(" · ");
}

/** The power commands its state allows, then Reinstall for a stable instance. */
function instanceButtons(m: Messages, instance: CompShareInstance): ButtonElement[] {
  const state = instance.State ?? "";
  const name = bold(instance.Name || instance.UHostId) || instance.UHostId;
  const buttons: ButtonElement[] = [];
  for (const [kind, command] of Object.entries(INSTANCE_COMMANDS) as [
    InstanceCommandKind,
    (typeof INSTANCE_COMMANDS)[InstanceCommandKind],
  ][]) {
    if (!(command.from as readonly string[]).includes(state)) continue;
    const words = m.instances.ops[kind];
    buttons.push(
      button({
        text: words.button,
        actionId: `${INSTANCE_ACTIONS.opPrefix}${kind}`,
        value: instance.UHostId,
        ...(kind === "start" ? {} : { style: "danger" as const }),
        confirm: {
          title: words.confirmTitle,
          text: words.confirmText(name.replaceAll("*", "")),
          confirm: words.confirmYes,
          deny: m.instances.confirmNo,
        },
      }),
    );
  }
  if (state === "Running" || state === "Stopped") {
    buttons.push(
      button({ text: m.instances.reinstall, actionId: INSTANCE_ACTIONS.reinstall, value: instance.UHostId }),
    );
  }
  return buttons;
}

export function instanceListMessage(ctx: ViewContext, page: InstancePageData): MessagePayload {
  const { m } = ctx;
  const i = m.instances;
  const blocks: Block[] = [header(i.title)];
  if (page.instances.length === 0) {
    blocks.push(section(i.empty(escapeMrkdwn(page.region).replaceAll("`", "'"))));
    return message(ctx, i.title, blocks);
  }
  const shown = page.instances.slice(0, INSTANCES_PAGE_SIZE);
  blocks.push(context(i.range(page.offset + 1, page.offset + shown.length, page.total)));
  for (const [index, instance] of shown.entries()) {
    blocks.push(section(instanceLine(m, instance)));
    const buttons = instanceButtons(m, instance);
    if (buttons.length > 0) blocks.push(actions(buttons, `instance_${index}`));
  }
  const nav: ButtonElement[] = [];
  if (page.offset > 0) {
    nav.push(
      button({
        text: m.lists.previous,
        actionId: `${INSTANCE_ACTIONS.page}_prev`,
        value: encodeInstancePage(Math.max(0, page.offset - INSTANCES_PAGE_SIZE)),
      }),
    );
  }
  if (page.offset + shown.length < page.total) {
    nav.push(
      button({
        text: m.lists.next,
        actionId: `${INSTANCE_ACTIONS.page}_next`,
        value: encodeInstancePage(page.offset + INSTANCES_PAGE_SIZE),
      }),
    );
  }
  if (nav.length > 0) blocks.push(actions(nav, "instances_nav"));
  return message(ctx, i.title, blocks);
}

/** A power operation's ephemeral progress: started, then where it ended. */
export function instanceOperationMessage(ctx: ViewContext, operation: Operation): MessagePayload {
  const { m } = ctx;
  const kind = operation.kind as InstanceCommandKind;
  const words = m.instances.ops[kind];
  const target = operation.targets[0];
  const instance = target ? `${bold(target.name || target.instanceId)} ${code(target.instanceId)}` : code(operation.id);
  const outcome = instanceOutcomes(operation)[0];
  let text: string;
  if (operation.status === "succeeded") {
    text = words.finished(instance, `*${escapeMrkdwn(stateWord(m, outcome?.finalState))}*`);
  } else if (operation.status === "failed" || operation.status === "unknown") {
    const why = outcome?.problem ? problemText(m, outcome.problem) : problemText(m, { code: "internal" });
    text = operation.status === "failed" ? words.failed(instance, why) : words.unknown(instance, why);
  } else if (operation.status === "approved" && operation.runAt) {
    // Outside its change windows: it waits, and this message is its only card.
    text = m.schedule.instanceScheduled(m.operations.steps[kind], instance, timeLabel(operation.runAt));
    return message(ctx, text, [section(text), actions(scheduledButtons(ctx, operation.id))]);
  } else if (operation.status === "cancelled") {
    text = m.schedule.cancelledScheduled(operation.decidedBy ?? operation.requesterId, timeLabel(operation.updatedAt));
  } else {
    text = words.started(instance);
  }
  return message(ctx, text, [section(text)]);
}
