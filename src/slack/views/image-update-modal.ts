import type { types } from "@slack/bolt";
import type { CompShareImage } from "../../compshare/schemas.ts";
import { COVER_FILETYPES, MAX_COVER_BYTES } from "../../domain/cover-image.ts";
import {
  type FieldChange,
  type FormContent,
  type FormField,
  gpuTypeChoices,
  snapshotOf,
  TEXT_LIMITS,
} from "../../domain/image-changes.ts";
import { type Messages, wordFor } from "../i18n/messages.ts";
import {
  type Block,
  context,
  LIMITS,
  type ModalView,
  modal,
  type OptionObject,
  option,
  plain,
  section,
} from "./blocks.ts";
import { priceLabel } from "./image-format.ts";
import { encodeUpdateMetadata } from "./image-update-metadata.ts";
import { bold, code, escapeMrkdwn, truncate } from "./text.ts";
import { type ViewContext, withBanner } from "./view-context.ts";

export const UPDATE_CALLBACK = "image_update";
export const PICKER_ACTION = "image_update_pick";
export const PICKER_BLOCK = "image_update_picker";
/** The value of picker options that only say something (no images, no match, a failure). */
export const NO_CHOICE = "-";

/** Input block ids double as the keys of `response_action: errors`. */
export const UPDATE_BLOCKS: Record<FormField, string> = {
  Name: "update_name",
  Description: "update_description",
  Visibility: "update_visibility",
  Price: "update_price",
  Cover: "update_cover",
  Tags: "update_tags",
  Readme: "update_readme",
  GroupId: "update_group_id",
  VersionName: "update_version_name",
  VersionDesc: "update_version_desc",
  SupportedGpuTypes: "update_gpu_types",
  AutoStart: "update_auto_start",
};
export const UPDATE_ACTION = "value";
export const AUTO_START_VALUE = "on";
/** How many options an external select may answer with. */
export const MAX_PICKER_OPTIONS = 100;

const MAX_COVER_MB = MAX_COVER_BYTES / (1024 * 1024);

/** The first view when no image was named: pick one of your own. */
export function imagePickerModal(ctx: ViewContext): ModalView {
  const { update } = ctx.m;
  const picker: types.ExternalSelect = {
    type: "external_select",
    action_id: PICKER_ACTION,
    placeholder: plain(update.pickerPlaceholder, LIMITS.placeholder),
    min_query_length: 0,
  };
  return modal({
    title: update.title,
    close: update.close,
    blocks: withBanner(ctx, [section(update.pickerPrompt, picker, PICKER_BLOCK), context(update.pickerHint)]),
  });
}

/** The picker's answer: the user's images whose name or id contains the query, at most 100. */
export function imagePickerOptions(m: Messages, images: readonly CompShareImage[], query: string): OptionObject[] {
  if (images.length === 0) return [option(m.update.pickerNoImages, NO_CHOICE)];
  const needle = query.trim().toLowerCase();
  const options = images
    .filter((image) => image.CompShareImageId.length <= LIMITS.optionValue)
    .filter(
      (image) =>
        needle === "" ||
        (image.Name ?? "").toLowerCase().includes(needle) ||
        image.CompShareImageId.toLowerCase().includes(needle),
    )
    .slice(0, MAX_PICKER_OPTIONS)
    .map((image) => option(pickerText(m, image), image.CompShareImageId));
  return options.length > 0 ? options : [option(m.update.pickerNoMatch, NO_CHOICE)];
}

/** A name may be anything; the status after it must survive the 75-character cut. */
function pickerText(m: Messages, image: CompShareImage): string {
  const status = image.Status ? ` · ${wordFor(m.statuses, image.Status) ?? image.Status}` : "";
  const suffix = truncate(status, 25);
  return `${truncate(image.Name || image.CompShareImageId, LIMITS.optionText - suffix.length)}${suffix}`;
}

/** The edit form, pre-filled with what the image holds now; private_metadata remembers what it showed. */
export function imageUpdateModal(
  ctx: ViewContext,
  image: CompShareImage,
  content: FormContent,
  /** Binds the metadata to the user the form is for (form-seal.ts); the view only carries it. */
  seal: (metadata: string) => string,
): ModalView {
  const { m } = ctx;
  const { update } = m;
  const { input, hidden } = content;
  const hiddenHint = (field: "Description" | "Readme" | "VersionDesc") => {
    const length = hidden[field];
    return length === undefined ? {} : { hint: update.hints.hiddenText(length, TEXT_LIMITS[field]) };
  };
  const privateOption = option(update.private, "0");
  const publicOption = option(update.public, "1");
  const autoStart = option(update.autoStartOption, AUTO_START_VALUE);
  const gpuOptions = gpuTypeChoices(input.SupportedGpuTypes).map((type) => option(type, type));
  const facts = [update.status(escapeMrkdwn(wordFor(m.statuses, image.Status) ?? image.Status ?? "—"))];
  const cover = coverLink(image.Cover);
  if (cover) facts.push(update.currentCover(cover));

  const blocks: Block[] = [
    section(update.intro(bold(image.Name || image.CompShareImageId), code(image.CompShareImageId))),
    context(...facts),
    textInput(update.fields.Name, "Name", input.Name, { maxLength: TEXT_LIMITS.Name }),
    textInput(update.fields.Description, "Description", input.Description, {
      maxLength: TEXT_LIMITS.Description,
      multiline: true,
      optional: true,
      ...hiddenHint("Description"),
    }),
    inputBlock("Visibility", update.fields.Visibility, {
      type: "radio_buttons",
      action_id: UPDATE_ACTION,
      options: [privateOption, publicOption],
      initial_option: input.Visibility === "1" ? publicOption : privateOption,
    }),
    inputBlock(
      "Price",
      update.fields.Price,
      {
        type: "number_input",
        action_id: UPDATE_ACTION,
        is_decimal_allowed: true,
        ...(input.Price !== "" ? { initial_value: input.Price } : {}),
      },
      { optional: true, hint: update.hints.price },
    ),
    inputBlock(
      "Cover",
      update.fields.Cover,
      { type: "file_input", action_id: UPDATE_ACTION, filetypes: COVER_FILETYPES, max_files: 1 },
      { optional: true, hint: update.hints.cover(MAX_COVER_MB) },
    ),
    textInput(update.fields.Tags, "Tags", input.Tags, {
      maxLength: TEXT_LIMITS.Tags,
      optional: true,
      hint: update.hints.tags,
    }),
    textInput(update.fields.Readme, "Readme", input.Readme, {
      maxLength: TEXT_LIMITS.Readme,
      multiline: true,
      optional: true,
      ...hiddenHint("Readme"),
    }),
    textInput(update.fields.GroupId, "GroupId", input.GroupId, { maxLength: TEXT_LIMITS.GroupId, optional: true }),
    textInput(update.fields.VersionName, "VersionName", input.VersionName, {
      maxLength: TEXT_LIMITS.VersionName,
      optional: true,
    }),
    textInput(update.fields.VersionDesc, "VersionDesc", input.VersionDesc, {
      maxLength: TEXT_LIMITS.VersionDesc,
      multiline: true,
      optional: true,
      ...hiddenHint("VersionDesc"),
    }),
    inputBlock(
      "SupportedGpuTypes",
      update.fields.SupportedGpuTypes,
      {
        type: "multi_static_select",
        action_id: UPDATE_ACTION,
        options: gpuOptions,
        ...(input.SupportedGpuTypes.length > 0
          ? { initial_options: input.SupportedGpuTypes.map((type) => option(type, type)) }
          : {}),
      },
      // Describe*Images do not answer SupportedGpuTypes (neither SDK's model has it), so usually
      // there is nothing to pre-fill, and the hint says why rather than implying "none".
      {
        optional: true,
        hint: image.SupportedGpuTypes === undefined ? update.hints.gpuTypesUnreported : update.hints.gpuTypes,
      },
    ),
    inputBlock(
      "AutoStart",
      update.fields.AutoStart,
      {
        type: "checkboxes",
        action_id: UPDATE_ACTION,
        options: [autoStart],
        ...(input.AutoStart ? { initial_options: [autoStart] } : {}),
      },
      { optional: true },
    ),
  ];
  return modal({
    title: update.title,
    submit: update.submit,
    close: update.close,
    callbackId: UPDATE_CALLBACK,
    privateMetadata: seal(encodeUpdateMetadata(snapshotOf(image.CompShareImageId, content))),
    blocks: withBanner(ctx, blocks),
  });
}

function inputBlock(
  field: FormField,
  label: string,
  element: types.InputBlockElement,
  options: { optional?: boolean; hint?: string } = {},
): Block {
  return {
    type: "input",
    block_id: UPDATE_BLOCKS[field],
    optional: options.optional ?? false,
    label: plain(label, LIMITS.label),
    ...(options.hint ? { hint: plain(options.hint, LIMITS.hint) } : {}),
    element,
  };
}

function textInput(
  label: string,
  field: FormField,
  initial: string,
  options: { maxLength: number; multiline?: boolean; optional?: boolean; hint?: string },
): Block {
  return inputBlock(
    field,
    label,
    {
      type: "plain_text_input",
      action_id: UPDATE_ACTION,
      max_length: options.maxLength,
      ...(options.multiline ? { multiline: true } : {}),
      ...(initial !== "" ? { initial_value: initial } : {}),
    },
    { ...(options.optional ? { optional: true } : {}), ...(options.hint ? { hint: options.hint } : {}) },
  );
}

/** A link only for a real http(s) URL, with the characters that would break Slack's <url|text> encoded. */
function coverLink(cover: string | undefined): string | undefined {
  if (!cover) return undefined;
  let url: URL;
  try {
    url = new URL(cover);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  const href = url.href.replaceAll("|", "%7C");
  return href.length > 1000
    ? undefined
    : `<${href}|${escapeMrkdwn(truncate(url.pathname.split("/").pop() || url.host, 80))}>`;
}

export function savingModal(ctx: ViewContext, name: string): ModalView {
  return modal({
    title: ctx.m.update.title,
    close: ctx.m.update.hide,
    blocks: withBanner(ctx, [section(ctx.m.update.saving(bold(name)))]),
  });
}

/** Pushed over the form, so closing it returns to the form as the user left it. */
export function nothingChangedModal(ctx: ViewContext): ModalView {
  return modal({
    title: ctx.m.update.nothingTitle,
    close: ctx.m.update.back,
    blocks: withBanner(ctx, [section(ctx.m.update.nothingChanged)]),
  });
}

export interface UpdatedImage {
  imageId: string;
  name: string;
  changes: readonly FieldChange[];
  cover?: { format: string; bytes: number };
}

export function updatedModal(ctx: ViewContext, updated: UpdatedImage): ModalView {
  const { m } = ctx;
  const lines = updated.changes.map((change) => changeLine(m, change));
  if (updated.cover) {
    const kb = Math.max(1, Math.round(updated.cover.bytes / 1024));
    lines.push(m.update.changedTo(m.update.fields.Cover, m.update.newCover(updated.cover.format, kb)));
  }
  return modal({
    title: m.update.savedTitle,
    close: m.login.done,
    blocks: withBanner(ctx, [
      section(`${m.update.saved(bold(updated.name), code(updated.imageId))}\n${lines.join("\n")}`),
    ]),
  });
}

function changeLine(m: Messages, change: FieldChange): string {
  const label = m.update.fields[change.field];
  const show = (value: string) => changeValue(m, change.field, value);
  if (change.before !== undefined && change.after !== undefined)
    return m.update.changedFromTo(label, show(change.before), show(change.after));
  if (change.after !== undefined) return m.update.changedTo(label, show(change.after));
  return m.update.changed(label);
}

function changeValue(m: Messages, field: FormField, value: string): string {
  if (field === "Visibility") return value === "1" ? m.image.public : m.image.private;
  if (field === "AutoStart") return value === "true" ? m.update.yes : m.update.no;
  if (value === "") return m.update.empty;
  if (field === "Price") return escapeMrkdwn(priceLabel(m, Number(value)));
  return code(value);
}
