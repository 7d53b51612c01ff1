import { z } from "zod";
import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN } from "../../compshare/schemas.ts";
import type { ImageSource } from "../../domain/image-search.ts";
import type { Operation } from "../../domain/operations/index.ts";
import { wordFor } from "../i18n/messages.ts";
import { type Block, context, LIMITS, type ModalView, modal, option, plain, section } from "./blocks.ts";
import { statusLabel, typeLabel } from "./image-format.ts";
import { operationSummary } from "./operation-card.ts";
import { type RunTimeContext, runAtInput } from "./run-time.ts";
import { bold, code, escapeMrkdwn, truncate } from "./text.ts";
import { type ViewContext, withBanner } from "./view-context.ts";

/** The request form (journey 4), the rejection form (journey 5) and what the requester sees after submitting. */

export const REINSTALL_CALLBACK = "reinstall_request";
export const REJECT_CALLBACK = "approval_reject_submit";

/** Input block ids double as the keys of `response_action: errors`. */
export const REINSTALL_BLOCKS = {
  instance: "reinstall_instance",
  instanceInfo: "reinstall_instance_info",
  image: "reinstall_image",
  imageInfo: "reinstall_image_info",
  /** Followed by the pre-selection it was drawn with, so a refresh with new defaults shows them. */
  plan: "reinstall_plan",
  snapshotName: "reinstall_snapshot_name",
  reason: "reinstall_reason",
} as const;

export const REINSTALL_ACTIONS = {
  /** Enter in the instance field looks the instances up. */
  instance: "reinstall_instance_id",
  /** The external select: options from the type-ahead, a pick refreshes the image line. */
  image: "reinstall_image_pick",
  plan: "reinstall_plan_options",
  snapshotName: "reinstall_snapshot_name_text",
  reason: "reinstall_reason_text",
} as const;

export const PLAN_OPTIONS = { stopFirst: "stop_first", startAfter: "start_after", snapshot: "snapshot" } as const;
export type PlanOptionValue = (typeof PLAN_OPTIONS)[keyof typeof PLAN_OPTIONS];

export const REJECT_BLOCK = "approval_reject_reason";
export const REJECT_ACTION = "reason";

export const REASON_MAX = 500;
export const INSTANCE_ID_MAX = 64;
/** 20 ids of at most 64 characters and the spaces between them. */
export const INSTANCE_FIELD_MAX = 20 * (INSTANCE_ID_MAX + 1);
export const SNAPSHOT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,60}$/;

export type InstanceInfo =
  | { kind: "found"; id: string; name?: string; gpu?: string; state?: string; zone?: string }
  | { kind: "missing"; id: string; region: string }
  | { kind: "unchecked"; id: string };

export interface ImageInfo {
  name?: string;
  type?: string;
  status?: string;
  source?: ImageSource;
}

/** What the form was opened with; it rides in private_metadata so a refresh can rebuild the same form. */
export interface FormMetadata {
  instanceIds?: string[];
  imageId?: string;
  imageName?: string;
}

const metadataSchema = z.object({
  i: z.array(z.string().regex(INSTANCE_ID_PATTERN).max(INSTANCE_ID_MAX)).max(20).optional(),
  g: z.string().regex(IMAGE_ID_PATTERN).max(LIMITS.optionValue).optional(),
  n: z.string().max(LIMITS.optionText).optional(),
});

export function encodeFormMetadata(meta: FormMetadata): string {
  return JSON.stringify({
    ...(meta.instanceIds?.length ? { i: meta.instanceIds.slice(0, 20) } : {}),
    ...(meta.imageId ? { g: meta.imageId } : {}),
    ...(meta.imageName ? { n: truncate(meta.imageName, LIMITS.optionText) } : {}),
  });
}

/** private_metadata comes back from Slack: anything that does not parse is treated as no prefill. */
export function decodeFormMetadata(raw: string | undefined): FormMetadata {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? "");
  } catch {
    return {};
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) return {};
  const { i, g, n } = parsed.data;
  return { ...(i?.length ? { instanceIds: i } : {}), ...(g ? { imageId: g } : {}), ...(n ? { imageName: n } : {}) };
}

/** The plan options as first shown: stop first unless every instance is Stopped, start again if any was Running. */
export interface PlanDefaults {
  stopFirst: boolean;
  startAfter: boolean;
}

export function planDefaults(instances: readonly InstanceInfo[] | undefined): PlanDefaults {
  const states = (instances ?? []).flatMap((info) => (info.kind === "found" ? [info.state ?? ""] : []));
  if (states.length === 0) return { stopFirst: true, startAfter: true };
  return {
    stopFirst: states.some((state) => state !== "Stopped"),
    startAfter: states.some((state) => state === "Running"),
  };
}

export interface RequestForm {
  prefill: FormMetadata;
  instances?: readonly InstanceInfo[];
  image?: ImageInfo;
  /** The custom-image name offered for the copy; editable. */
  snapshotName: string;
  /** The requester's time zone and reinstall's change windows, for the "when to run" field. */
  when?: RunTimeContext;
  /** The policy's reinstall `reason_required: false`: the field is optional (Slack marks it so). */
  reasonOptional?: boolean;
  /** The policy's reinstall `approval: false`: the intro says it runs on submit, not after a decision. */
  noApproval?: boolean;
}

function instanceLine(ctx: ViewContext, info: InstanceInfo): string {
  const r = ctx.m.reinstall.modal;
  if (info.kind === "missing") return `${code(info.id)} ${r.instanceMissing(escapeMrkdwn(info.region))}`;
  if (info.kind === "unchecked") return `${code(info.id)} ${r.instanceUnchecked}`;
  const state = info.state
    ? escapeMrkdwn(truncate(wordFor(ctx.m.instances.states, info.state) ?? info.state, 64))
    : "—";
  return `${code(info.id)} ${r.instanceFound(
    bold(truncate(info.name ?? "—", 100)) || "—",
    info.gpu ? escapeMrkdwn(truncate(info.gpu, 100)) : "—",
    state,
  )}`;
}

function imageLine(ctx: ViewContext, info: ImageInfo): string {
  return ctx.m.reinstall.modal.imageFound(
    bold(truncate(info.name ?? "—", 100)) || "—",
    typeLabel(ctx.m, info.type),
    statusLabel(ctx.m, info.status),
  );
}

export function planBlockId(defaults: PlanDefaults): string {
  return `${REINSTALL_BLOCKS.plan}_${defaults.stopFirst ? "s" : ""}${defaults.startAfter ? "r" : ""}`;
}

export function reinstallRequestModal(ctx: ViewContext, form: RequestForm): ModalView {
  const r = ctx.m.reinstall.modal;
  const { prefill } = form;
  const defaults = planDefaults(form.instances);
  const planChoices = [
    option(r.planStopFirst, PLAN_OPTIONS.stopFirst),
    option(r.planStartAfter, PLAN_OPTIONS.startAfter),
    option(r.planSnapshot, PLAN_OPTIONS.snapshot),
  ];
  const preselected = planChoices.filter(
    (choice) =>
      (choice.value === PLAN_OPTIONS.stopFirst && defaults.stopFirst) ||
      (choice.value === PLAN_OPTIONS.startAfter && defaults.startAfter),
  );
  const blocks: Block[] = [
    section(form.noApproval ? r.introNoApproval : r.intro),
    {
      type: "input",
      block_id: REINSTALL_BLOCKS.instance,
      dispatch_action: true,
      label: plain(r.instanceLabel, LIMITS.label),
      hint: plain(r.instanceHint, LIMITS.hint),
      element: {
        type: "plain_text_input",
        action_id: REINSTALL_ACTIONS.instance,
        max_length: INSTANCE_FIELD_MAX,
        placeholder: plain(r.instancePlaceholder, LIMITS.placeholder),
        dispatch_action_config: { trigger_actions_on: ["on_enter_pressed"] },
        ...(prefill.instanceIds?.length
          ? { initial_value: prefill.instanceIds.slice(0, 20).join(" ").slice(0, INSTANCE_FIELD_MAX) }
          : {}),
      },
    },
  ];
  if (form.instances?.length) {
    const lines = form.instances.slice(0, 20).map((info) => instanceLine(ctx, info));
    blocks.push({
      ...section(truncate(lines.join("\n"), LIMITS.sectionText)),
      block_id: REINSTALL_BLOCKS.instanceInfo,
    });
  }
  blocks.push({
    type: "input",
    block_id: REINSTALL_BLOCKS.image,
    dispatch_action: true,
    label: plain(r.imageLabel, LIMITS.label),
    element: {
      type: "external_select",
      action_id: REINSTALL_ACTIONS.image,
      min_query_length: 0,
      placeholder: plain(r.imagePlaceholder, LIMITS.placeholder),
      ...(prefill.imageId ? { initial_option: option(prefill.imageName ?? prefill.imageId, prefill.imageId) } : {}),
    },
  });
  if (form.image) blocks.push({ ...context(imageLine(ctx, form.image)), block_id: REINSTALL_BLOCKS.imageInfo });
  blocks.push(
    {
      type: "input",
      block_id: planBlockId(defaults),
      optional: true,
      label: plain(r.planLabel, LIMITS.label),
      hint: plain(r.planHint, LIMITS.hint),
      element: {
        type: "checkboxes",
        action_id: REINSTALL_ACTIONS.plan,
        options: planChoices,
        ...(preselected.length > 0 ? { initial_options: preselected } : {}),
      },
    },
    {
      type: "input",
      block_id: REINSTALL_BLOCKS.snapshotName,
      optional: true,
      label: plain(r.snapshotNameLabel, LIMITS.label),
      hint: plain(r.snapshotNameHint, LIMITS.hint),
      element: {
        type: "plain_text_input",
        action_id: REINSTALL_ACTIONS.snapshotName,
        max_length: 60,
        initial_value: truncate(form.snapshotName, 60),
      },
    },
    runAtInput(ctx, form.when ?? { timeZone: undefined, windows: [] }),
    {
      type: "input",
      block_id: REINSTALL_BLOCKS.reason,
      label: plain(r.reasonLabel, LIMITS.label),
      ...(form.reasonOptional ? { optional: true } : {}),
      element: {
        type: "plain_text_input",
        action_id: REINSTALL_ACTIONS.reason,
        multiline: true,
        max_length: REASON_MAX,
        placeholder: plain(r.reasonPlaceholder, LIMITS.placeholder),
      },
    },
    context(r.warning),
  );
  return modal({
    title: r.title,
    submit: r.submit,
    close: r.close,
    callbackId: REINSTALL_CALLBACK,
    privateMetadata: encodeFormMetadata(prefill),
    blocks: withBanner(ctx, blocks),
  });
}

/** The copy's default name: "backup-" and the first instance's id, editable in the form. */
export function defaultSnapshotName(instanceIds: readonly string[] | undefined, now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  const first = instanceIds?.[0]?.replace(/^uhost-/, "") ?? "instance";
  return `backup-${first}-${day}`.slice(0, 60);
}

/** After submitting: "posting…", then the link to the card (or why there is none). */
export function requestSubmittedModal(ctx: ViewContext, text: string): ModalView {
  const s = ctx.m.reinstall.submitted;
  return modal({ title: s.title, close: s.close, blocks: withBanner(ctx, [section(text)]) });
}

export function rejectModal(ctx: ViewContext, request: Operation): ModalView {
  const r = ctx.m.reinstall.reject;
  return modal({
    title: r.title,
    submit: r.submit,
    close: r.close,
    callbackId: REJECT_CALLBACK,
    privateMetadata: request.id,
    blocks: withBanner(ctx, [
      section(r.intro(operationSummary(ctx.m, request), request.requesterId)),
      {
        type: "input",
        block_id: REJECT_BLOCK,
        optional: true,
        label: plain(r.reasonLabel, LIMITS.label),
        element: {
          type: "plain_text_input",
          action_id: REJECT_ACTION,
          multiline: true,
          max_length: REASON_MAX,
          placeholder: plain(r.reasonPlaceholder, LIMITS.placeholder),
        },
      },
    ]),
  });
}
