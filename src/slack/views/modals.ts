import type { CompShareImage } from "../../compshare/schemas.ts";
import type { ImageSource } from "../../domain/image-search.ts";
import { context, type ModalView, modal, section } from "./blocks.ts";
import { imageDetailBlocks } from "./image-detail.ts";
import { type ViewContext, withBanner } from "./view-context.ts";

/** Shown the instant a modal opens, while the data it needs is still on its way. */
export function loadingModal(ctx: ViewContext, title: string): ModalView {
  return modal({ title, close: ctx.m.login.close, blocks: withBanner(ctx, [section(ctx.m.loading)]) });
}

/** A modal that only says something: the outcome of a flow that started in a modal or on Home. */
export function noticeModal(ctx: ViewContext, title: string, text: string, footnote?: string): ModalView {
  return modal({
    title,
    close: ctx.m.login.done,
    blocks: withBanner(ctx, footnote ? [section(text), context(footnote)] : [section(text)]),
  });
}

export function imageDetailModal(ctx: ViewContext, image: CompShareImage, source: ImageSource): ModalView {
  return modal({
    title: ctx.m.lists.details,
    close: ctx.m.login.done,
    blocks: withBanner(ctx, imageDetailBlocks(ctx, image, source)),
  });
}
