import type { Locale } from "../../config.ts";
import type { Messages } from "../i18n/messages.ts";
import { type Block, context } from "./blocks.ts";

/** What every view needs besides its data: the reader's catalogue and whether this is the sandbox. */
export interface ViewContext {
  readonly m: Messages;
  readonly locale: Locale;
  readonly sandbox: boolean;
}

export interface MessagePayload {
  text: string;
  blocks: Block[];
}

/** A message with fallback text; in the sandbox every message opens with the sandbox notice. */
export function message(ctx: ViewContext, text: string, blocks: Block[]): MessagePayload {
  return { text, blocks: withBanner(ctx, blocks) };
}

export function withBanner(ctx: ViewContext, blocks: Block[]): Block[] {
  return ctx.sandbox ? [context(ctx.m.sandboxBanner), ...blocks] : blocks;
}
