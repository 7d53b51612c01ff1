import type { CompShareImage } from "../../compshare/schemas.ts";
import type { Messages } from "../i18n/messages.ts";
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  context,
  header,
  LIMITS,
  type ModalView,
  modal,
  type OptionObject,
  option,
  overflow,
  section,
} from "./blocks.ts";
import { isPublic, priceLabel, statusLabel, tagsLabel, typeLabel } from "./image-format.ts";
import { encodeListState, type ListState, PAGE_SIZE } from "./list-state.ts";
import { bold, code, escapeMrkdwn, truncate } from "./text.ts";
import { type MessagePayload, message, type ViewContext, withBanner } from "./view-context.ts";

export const ACTION_LIST_PAGE = "list_page";
export const ACTION_IMAGE_MENU = "image_menu";

/** Overflow option values: a one-letter verb and the image id (option values are capped at 75). */
export type ImageMenuVerb = "details" | "edit" | "reinstall";
const VERB_CODES: Record<ImageMenuVerb, string> = { details: "d", edit: "e", reinstall: "r" };

export function encodeImageMenuValue(verb: ImageMenuVerb, imageId: string): string {
  return `${VERB_CODES[verb]}:${imageId}`;
}

export function decodeImageMenuValue(value: string | undefined): { verb: ImageMenuVerb; imageId: string } | undefined {
  const match = /^([der]):(.+)$/.exec(value ?? "");
  if (!match) return undefined;
  const verb = (Object.keys(VERB_CODES) as ImageMenuVerb[]).find((v) => VERB_CODES[v] === match[1]);
  return verb ? { verb, imageId: match[2] as string } : undefined;
}

export interface ImagePageData {
  state: ListState;
  images: readonly CompShareImage[];
  total: number;
}

export function listTitle(m: Messages, kind: ListState["kind"]): string {
  if (kind === "custom") return m.lists.customTitle;
  if (kind === "shared") return m.lists.sharedTitle;
  return m.lists.platformTitle;
}

function emptyText(m: Messages, state: ListState): string {
  if (state.kind === "custom") return m.lists.emptyCustom;
  if (state.kind === "shared") return m.lists.emptyShared;
  return m.lists.emptyPlatform;
}

function filtersText(state: ListState): string | undefined {
  const { name, type, author, tag } = state.filters;
  const parts = [
    name ? `"${name}"` : undefined,
    type ? `--type ${type}` : undefined,
    author ? `--author ${author}` : undefined,
    tag ? `--tag ${tag}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? escapeMrkdwn(parts.join(" ")) : undefined;
}

function menuOptions(m: Messages, image: CompShareImage, kind: ListState["kind"]): OptionObject[] {
  const id = image.CompShareImageId;
  if (encodeImageMenuValue("reinstall", id).length > LIMITS.optionValue) return [];
  const options = [option(m.lists.details, encodeImageMenuValue("details", id))];
  if (kind === "custom") options.push(option(m.lists.edit, encodeImageMenuValue("edit", id)));
  options.push(option(m.lists.reinstall, encodeImageMenuValue("reinstall", id)));
  return options;
}

/** One line of facts and one of tags under the name; the description, shortened, if there is one. */
export function imageRowText(m: Messages, image: CompShareImage): string {
  const facts = [
    typeLabel(m, image.ImageType),
    image.Author ? escapeMrkdwn(image.Author) : undefined,
    statusLabel(m, image.Status),
    isPublic(image) ? priceLabel(m, image.Price) : undefined,
  ].filter((f): f is string => f !== undefined);
  const name = bold(truncate(image.Name ?? image.CompShareImageId, 120)) || code(image.CompShareImageId);
  const lines = [`${name}  ${code(image.CompShareImageId)}`, facts.join(" · "), `:label: ${tagsLabel(m, image.Tags)}`];
  if (image.Description) lines.push(`_${escapeMrkdwn(truncate(image.Description.replaceAll("_", " "), 200))}_`);
  return lines.join("\n");
}

export function imageListBlocks(m: Messages, data: ImagePageData): Block[] {
  const { state, images, total } = data;
  const blocks: Block[] = [header(listTitle(m, state.kind))];
  const filters = filtersText(state);
  if (images.length === 0) {
    blocks.push(section(emptyText(m, state)));
    if (filters) blocks.push(context(m.lists.filters(filters)));
    return blocks;
  }
  const from = state.offset + 1;
  const to = state.offset + images.length;
  blocks.push(
    context(
      ...[m.lists.range(from, to, total), filters ? m.lists.filters(filters) : undefined].filter(
        (t): t is string => !!t,
      ),
    ),
  );
  for (const image of images.slice(0, PAGE_SIZE)) {
    const options = menuOptions(m, image, state.kind);
    blocks.push(section(imageRowText(m, image), options.length > 0 ? overflow(ACTION_IMAGE_MENU, options) : undefined));
  }
  const pager: ButtonElement[] = [];
  if (state.offset > 0) {
    pager.push(
      button({
        text: `← ${m.lists.previous}`,
        actionId: `${ACTION_LIST_PAGE}_prev`,
        value: encodeListState({ ...state, offset: Math.max(0, state.offset - PAGE_SIZE) }),
      }),
    );
  }
  if (to < total) {
    pager.push(
      button({
        text: `${m.lists.next} →`,
        actionId: `${ACTION_LIST_PAGE}_next`,
        value: encodeListState({ ...state, offset: state.offset + PAGE_SIZE }),
      }),
    );
  }
  if (pager.length > 0) blocks.push(actions(pager));
  return blocks;
}

export function imageListMessage(ctx: ViewContext, data: ImagePageData): MessagePayload {
  const fallback =
    data.images.length === 0
      ? emptyText(ctx.m, data.state)
      : `${listTitle(ctx.m, data.state.kind)}: ${ctx.m.lists.range(data.state.offset + 1, data.state.offset + data.images.length, data.total)}`;
  return message(ctx, fallback, imageListBlocks(ctx.m, data));
}

/** The same list inside a modal (opened from the Home tab, where there is no channel to post in). */
export function imageListModal(ctx: ViewContext, data: ImagePageData): ModalView {
  const [, ...blocks] = imageListBlocks(ctx.m, data);
  return modal({
    title: listTitle(ctx.m, data.state.kind),
    close: ctx.m.login.done,
    blocks: withBanner(ctx, blocks),
    privateMetadata: encodeListState(data.state),
  });
}
