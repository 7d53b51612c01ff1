import {
  instanceOutcomes,
  OPERATION_NOTES,
  type Operation,
  type Step,
  type StepAction,
} from "../../domain/operations/index.ts";
import { tallyApprovals } from "../../domain/operations/quorum.ts";
import { type Messages, wordFor } from "../i18n/messages.ts";
import { actions, type Block, type ButtonElement, button, context, fields, header, section } from "./blocks.ts";
import { problemText, STEP_ICONS, stepText, supportText } from "./operation-text.ts";
import { scheduledButtons } from "./run-time.ts";
import { bold, code, escapeMrkdwn, truncate } from "./text.ts";
import { type MessagePayload, message, type ViewContext } from "./view-context.ts";

/**
 * The request card in APPROVAL_CHANNEL: one message, drawn only from the engine's Operation and
 * edited in place as the request and its plan move. Before approval it shows the plan; after, each
 * step's state; at the end, a summary per instance.
 */

export const OPERATION_ACTIONS = {
  approve: "approval_approve",
  reject: "approval_reject",
  cancel: "approval_cancel",
  checkAgain: "operation_check_again",
} as const;

export const OPERATION_ACTIONS_BLOCK = "approval_actions";

/** Slack renders <!date^…> in each reader's own time zone and language; the fallback is UTC. */
export function timeLabel(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

export function statusWord(m: Messages, operation: Pick<Operation, "status" | "runAt">): string {
  if (operation.status === "approved" && operation.runAt) return m.schedule.statusScheduled(timeLabel(operation.runAt));
  return m.operations.requestStatuses[operation.status];
}

/** The image a reinstall puts on, from its plan. */
export function planImage(operation: Operation): { id: string; name?: string } | undefined {
  for (const step of operation.steps) {
    if (step.action.kind === "reinstall") {
      return { id: step.action.imageId, ...(step.action.imageName ? { name: step.action.imageName } : {}) };
    }
  }
  return undefined;
}

function imageMrkdwn(image: { id: string; name?: string } | undefined): string {
  if (!image) return "—";
  return image.name ? `${bold(truncate(image.name, 120))} ${code(image.id)}` : code(image.id);
}

/** "*name* `uhost-…` → *image* `compshareImage-…`" (or "Stop the instance *name* `uhost-…`"), escaped, for one line. */
export function operationSummary(m: Messages, operation: Operation): string {
  const [first] = operation.targets;
  const who = truncate(
    operation.targets.length === 1 && first
      ? `${bold(truncate(first.name ?? "", 80))} ${code(first.instanceId)}`.trim()
      : operation.targets.map((target) => code(target.instanceId)).join(" "),
    1200,
  );
  if (operation.kind === "reinstall") return `${who} → ${imageMrkdwn(planImage(operation))}`;
  return `${m.operations.steps[operation.kind]}: ${who}`;
}

function stepLine(m: Messages, step: Step, imageName: string | undefined): string {
  const icon = STEP_ICONS[step.status];
  const label = stepText(m, step.action as StepAction, step.action.kind === "reinstall" ? imageName : undefined);
  const status = step.status === "pending" ? "" : ` — _${m.operations.stepStatuses[step.status]}_`;
  const support = step.status === "failed" || step.status === "unknown" ? supportText(m, step) : undefined;
  const problem =
    (step.status === "failed" || step.status === "unknown") && step.result?.problem
      ? `\n      ${problemText(m, step.result.problem)}${support ? ` _(${support})_` : ""}`
      : "";
  return `${icon} ${label}${status}${problem}`;
}

/** One section per instance: who it is, its steps, and once the plan is over where it ended. */
function instanceBlocks(ctx: ViewContext, operation: Operation): Block[] {
  const { m } = ctx;
  const card = m.operations.card;
  const finished = operation.status === "succeeded" || operation.status === "failed" || operation.status === "unknown";
  const outcomes = new Map(instanceOutcomes(operation).map((outcome) => [outcome.instanceId, outcome]));
  const imageName = planImage(operation)?.name;
  return operation.targets.map((target) => {
    const head = [
      `${bold(truncate(target.name ?? "", 80))} ${code(target.instanceId)}`.trim(),
      ...(target.gpu ? [escapeMrkdwn(truncate(target.gpu, 60))] : []),
      ...(target.stateBefore ? [card.was(`*${escapeMrkdwn(stateIn(m, target.stateBefore))}*`)] : []),
    ].join(" · ");
    const steps = operation.steps
      .filter((step) => step.instanceId === target.instanceId)
      .map((step) => stepLine(m, step, imageName));
    const lines = [head, ...steps];
    const outcome = outcomes.get(target.instanceId);
    if (finished && outcome) {
      const summary = [
        ...(outcome.finalState ? [card.now(`*${escapeMrkdwn(stateIn(m, outcome.finalState))}*`)] : []),
        ...(outcome.imageId || outcome.imageName
          ? [
              card.imageNow(
                imageMrkdwn({ id: outcome.imageId ?? "?", ...(outcome.imageName ? { name: outcome.imageName } : {}) }),
              ),
            ]
          : []),
        ...(outcome.snapshotImageId ? [card.snapshotKept(code(outcome.snapshotImageId))] : []),
      ];
      if (summary.length > 0) lines.push(`*→* ${summary.join(" · ")}`);
    }
    // 20 instances × 6 steps stay far inside a section's 3000 characters; the cut is for hostile names.
    return section(truncate(lines.join("\n"), 2900));
  });
}

function stateIn(m: Messages, state: string): string {
  return wordFor(m.instances.states, state) ?? state;
}

/** Where the request stands: one line that both the card and the requester's DM show. */
function statusBlocks(ctx: ViewContext, operation: Operation): Block[] {
  const c = ctx.m.reinstall.card;
  const selfRun = operation.note === OPERATION_NOTES.noApproval;
  const card = selfRun ? { ...ctx.m.operations.card, ...ctx.m.operations.card.selfRun } : ctx.m.operations.card;
  const decider = operation.decidedBy ?? operation.requesterId;
  const decided = timeLabel(operation.decidedAt ?? operation.updatedAt);
  const scheduled = selfRun ? card.selfRun.scheduled : ctx.m.schedule.scheduled;
  switch (operation.status) {
    case "pending":
      return [
        context(c.pending(timeLabel(operation.expiresAt))),
        ...(operation.runAt ? [context(ctx.m.schedule.requestedFor(timeLabel(operation.runAt)))] : []),
      ];
    case "approved":
      // Scheduled (outside its windows, or for a later time): it starts at runAt.
      if (operation.runAt) return [section(scheduled(decider, decided, timeLabel(operation.runAt)))];
      return [section(card.running(decider, decided))];
    case "executing":
      return [section(card.running(decider, decided))];
    case "succeeded":
      return [
        section(card.succeeded(decider, decided)),
        context(c.finished(timeLabel(operation.finishedAt ?? operation.updatedAt))),
      ];
    case "failed":
      return [
        section(card.failed(decider, decided)),
        context(c.finished(timeLabel(operation.finishedAt ?? operation.updatedAt))),
      ];
    case "unknown":
      return [section(card.unknown(decider, decided))];
    case "rejected":
      return [
        section(
          operation.note
            ? c.rejectedWithReason(decider, decided, escapeMrkdwn(truncate(operation.note, 1500)))
            : c.rejected(decider, decided),
        ),
      ];
    case "cancelled":
      if (operation.note === OPERATION_NOTES.cardNotPosted) return [section(c.withdrawn(decided))];
      if (operation.note === OPERATION_NOTES.keysChanged)
        return [section(`:heavy_multiplication_x: ${card.keysChanged}`)];
      if (operation.note === OPERATION_NOTES.keysRemoved)
        return [section(`:heavy_multiplication_x: ${card.keysRemoved}`)];
      if (operation.note === OPERATION_NOTES.scheduledCancelled)
        return [section(ctx.m.schedule.cancelledScheduled(decider, decided))];
      return [section(c.cancelled(decider, decided))];
    case "expired":
      return [section(c.expired(timeLabel(operation.decidedAt ?? operation.expiresAt)))];
  }
}

/** "k of N" with who approved, on requests that need more than one approval. */
function quorumBlocks(ctx: ViewContext, operation: Operation): Block[] {
  if (operation.approvalsRequired <= 1) return [];
  const tally = tallyApprovals(operation);
  return [context(ctx.m.policy.quorum.line(tally.count, tally.required, tally.counted))];
}

function decisionButtons(ctx: ViewContext, operation: Operation): ButtonElement[] {
  const c = ctx.m.reinstall.card;
  const image = planImage(operation);
  const imageText = image ? (image.name ? `${truncate(image.name, 60)} (${image.id})` : image.id) : "";
  return [
    button({
      text: c.approve,
      actionId: OPERATION_ACTIONS.approve,
      value: operation.id,
      style: "danger",
      confirm:
        operation.kind === "reinstall"
          ? {
              title: c.confirmTitle,
              text: ctx.m.operations.card.confirmText(operation.targets.length, imageText),
              confirm: c.confirmYes,
              deny: c.confirmNo,
            }
          : {
              title: ctx.m.instances.ops[operation.kind].confirmTitle,
              text: ctx.m.instances.ops[operation.kind].confirmText(code(operation.targets[0]?.instanceId ?? "")),
              confirm: c.confirmYes,
              deny: c.confirmNo,
            },
    }),
    button({ text: c.reject, actionId: OPERATION_ACTIONS.reject, value: operation.id }),
    button({ text: c.cancel, actionId: OPERATION_ACTIONS.cancel, value: operation.id }),
  ];
}

/** The whole card; decision buttons while pending, Check again while a step is unknown; values carry only the id. */
export function operationCard(ctx: ViewContext, operation: Operation): MessagePayload {
  const c = ctx.m.reinstall.card;
  const card = ctx.m.operations.card;
  const image = planImage(operation);
  const location = `*${card.location}*\n${code(operation.region)} / ${code(operation.zone)}`;
  // Stop, start and reboot have a card only where the policy makes them need approval: no image, no disk warning.
  const power = operation.kind === "reinstall" ? undefined : ctx.m.policy.powerApproval;
  const kind = operation.kind === "reinstall" ? undefined : operation.kind;
  const blocks: Block[] = [
    header(power && kind ? power.title(kind) : c.title),
    section(
      power && kind
        ? power.asks(operation.requesterId, kind)
        : card.asks(operation.requesterId, operation.targets.length),
    ),
    fields(power ? [location] : [`*${card.image}*\n${imageMrkdwn(image)}`, location]),
    section(`*${c.reason}*\n${escapeMrkdwn(truncate(operation.reason, 2800)) || "—"}`),
    ...(power ? [] : [context(c.warning)]),
    context(`*${card.plan}*`),
    ...instanceBlocks(ctx, operation),
    ...statusBlocks(ctx, operation),
    ...quorumBlocks(ctx, operation),
  ];
  if (operation.status === "pending") blocks.push(actions(decisionButtons(ctx, operation), OPERATION_ACTIONS_BLOCK));
  else if (operation.status === "approved" && operation.runAt) {
    blocks.push(actions(scheduledButtons(ctx, operation.id), OPERATION_ACTIONS_BLOCK));
  } else if (operation.steps.some((step) => step.status === "unknown")) {
    blocks.push(
      actions(
        [
          button({
            text: card.checkAgain,
            actionId: OPERATION_ACTIONS.checkAgain,
            value: operation.id,
            style: "primary",
          }),
        ],
        OPERATION_ACTIONS_BLOCK,
      ),
    );
  }
  const fallback = `${c.title}: ${operationSummary(ctx.m, operation)} (${statusWord(ctx.m, operation)})`;
  return message(ctx, truncate(fallback, 300), blocks);
}

/** What the requester is told in a DM when their request moves on its own or by someone else's hand. */
export function requesterUpdate(ctx: ViewContext, operation: Operation, link: string | undefined): MessagePayload {
  const { dm } = ctx.m.reinstall;
  const blocks = [
    section(dm.intro(truncate(operationSummary(ctx.m, operation), 2000))),
    ...statusBlocks(ctx, operation),
    ...quorumBlocks(ctx, operation),
  ];
  if (link) blocks.push(context(dm.openCard(link)));
  const title =
    operation.kind === "reinstall" ? ctx.m.reinstall.card.title : ctx.m.policy.powerApproval.title(operation.kind);
  return message(ctx, truncate(`${title}: ${statusWord(ctx.m, operation)}`, 300), blocks);
}
