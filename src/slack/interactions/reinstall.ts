import type { App, webApi } from "@slack/bolt";
import type { ModalTrigger } from "../modal-trigger.ts";
import type { BotServices } from "../services.ts";
import type { Turn } from "../turn.ts";
import { noticeMessage } from "../views/help.ts";
import type { MessagePayload } from "../views/view-context.ts";

/**
 * Journeys 4–5: ask for a reinstall, decided by an approver in APPROVAL_CHANNEL. Entry points:
 * `/compshare reinstall [uhost-id] [image-id]` and "Reinstall with this image" on any image.
 */
export async function startReinstallRequest(
  _services: BotServices,
  turn: Turn,
  _client: webApi.WebClient,
  _trigger: ModalTrigger,
  _prefill: { instanceId?: string; imageId?: string },
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
  await notify(noticeMessage(turn.view, turn.m.reinstall.notBuilt));
}

/** Registers the flow's own listeners (request submission, approval card buttons, options). */
export function registerReinstall(_app: App, _services: BotServices): void {}
