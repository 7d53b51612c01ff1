import { z } from "zod";
import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN } from "../../compshare/schemas.ts";
import type { ImageSource } from "../../domain/image-search.ts";
import type { ApprovalRequest } from "../../store/types.ts";
import { requestSummary } from "./approval-card.ts";
import { type Block, context, LIMITS, type ModalView, modal, option, plain, section } from "./blocks.ts";
import { statusLabel, typeLabel } from "./image-format.ts";
import { bold, escapeMrkdwn, truncate } from "./text.ts";
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
  reason: "reinstall_reason",
} as const;

export const REINSTALL_ACTIONS = {
  /** Enter in the instance field looks the instance up. */
  instance: "reinstall_instance_id",
  /** The external select: options from the type-ahead, a pick refreshes the image line. */
  image: "reinstall_image_pick",
  reason: "reinstall_reason_text",
} as const;

export const REJECT_BLOCK = "approval_reject_reason";
export const REJECT_ACTION = "reason";

export const REASON_MAX = 500;
export const INSTANCE_ID_MAX = 64;

export type InstanceInfo =
  | { kind: "found"; name?: string; gpu?: string; state?: string }
  | { kind: "missing"; zone: string }
  | { kind: "unchecked" };

export interface ImageInfo {
  name?: string;
  type?: string;
  status?: string;
  source?: ImageSource;
}

/** What the form was opened with; it rides in private_metadata so a refresh can rebuild the same form. */
export interface FormMetadata {
  instanceId?: string;
  imageId?: string;
  imageName?: string;
}

const metadataSchema = z.object({
  i: z.string().regex(INSTANCE_ID_PATTERN).max(INSTANCE_ID_MAX).optional(),
  g: z.string().regex(IMAGE_ID_PATTERN).max(LIMITS.optionValue).optional(),
  n: z.string().max(LIMITS.optionText).optional(),
});

export function encodeFormMetadata(meta: FormMetadata): string {
  return JSON.stringify({
    ...(meta.instanceId ? { i: meta.instanceId } : {}),
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
  return { ...(i ? { instanceId: i } : {}), ...(g ? { imageId: g } : {}), ...(n ? { imageName: n } : {}) };
}

export interface RequestForm {
  prefill: FormMetadata;
  instance?: InstanceInfo;
  image?: ImageInfo;
}

function instanceLine(ctx: ViewContext, info: InstanceInfo): string {
  const r = ctx.m.reinstall.modal;
  if (info.kind === "missing") return r.instanceMissing(info.zone);
  if (info.kind === "unchecked") return r.instanceUnchecked;
  const state = info.state ? escapeMrkdwn(truncate(info.state, 64)) : "—";
  const line = r.instanceFound(
    bold(truncate(info.name ?? "—", 100)) || "—",
    info.gpu ? escapeMrkdwn(truncate(info.gpu, 100)) : "—",
    state,
  );
  return info.state && info.state !== "Stopped" ? `${line}\n${r.instanceNotStopped(state)}` : line;
}

function imageLine(ctx: ViewContext, info: ImageInfo): string {
  return ctx.m.reinstall.modal.imageFound(
    bold(truncate(info.name ?? "—", 100)) || "—",
    typeLabel(ctx.m, info.type),
    statusLabel(ctx.m, info.status),
  );
}

export function reinstallRequestModal(ctx: ViewContext, form: RequestForm): ModalView {
  const r = ctx.m.reinstall.modal;
  const { prefill } = form;
  const blocks: Block[] = [
    section(r.intro),
    {
      type: "input",
      block_id: REINSTALL_BLOCKS.instance,
      dispatch_action: true,
      label: plain(r.instanceLabel, LIMITS.label),
      hint: plain(r.instanceHint, LIMITS.hint),
      element: {
        type: "plain_text_input",
        action_id: REINSTALL_ACTIONS.instance,
        max_length: INSTANCE_ID_MAX,
        placeholder: plain(r.instancePlaceholder, LIMITS.placeholder),
        dispatch_action_config: { trigger_actions_on: ["on_enter_pressed"] },
        ...(prefill.instanceId ? { initial_value: prefill.instanceId } : {}),
      },
    },
  ];
  if (form.instance)
    blocks.push({ ...context(instanceLine(ctx, form.instance)), block_id: REINSTALL_BLOCKS.instanceInfo });
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
      block_id: REINSTALL_BLOCKS.reason,
      label: plain(r.reasonLabel, LIMITS.label),
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

/** After submitting: "posting…", then the link to the card (or why there is none). */
export function requestSubmittedModal(ctx: ViewContext, text: string): ModalView {
  const s = ctx.m.reinstall.submitted;
  return modal({ title: s.title, close: s.close, blocks: withBanner(ctx, [section(text)]) });
}

export function rejectModal(ctx: ViewContext, request: ApprovalRequest): ModalView {
  const r = ctx.m.reinstall.reject;
  return modal({
    title: r.title,
    submit: r.submit,
    close: r.close,
    callbackId: REJECT_CALLBACK,
    privateMetadata: request.id,
    blocks: withBanner(ctx, [
      section(r.intro(requestSummary(request), request.requesterId)),
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
