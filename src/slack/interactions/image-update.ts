import type { App, webApi } from "@slack/bolt";
import type { ModalTrigger } from "../modal-trigger.ts";
import type { BotServices } from "../services.ts";
import type { Turn } from "../turn.ts";
import { noticeMessage } from "../views/help.ts";
import type { MessagePayload } from "../views/view-context.ts";

/**
 * Journey 3: edit an image's metadata in a modal. Entry points: `/compshare update [id]`, the
 * Edit button on an image's details and the Edit item in a list's menu.
 */
export async function startImageUpdate(
  _services: BotServices,
  turn: Turn,
  _client: webApi.WebClient,
  _trigger: ModalTrigger,
  _imageId: string | undefined,
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
  await notify(noticeMessage(turn.view, turn.m.update.notBuilt));
}

/** Registers the flow's own listeners (view submissions, options, actions). */
export function registerImageUpdate(_app: App, _services: BotServices): void {}
