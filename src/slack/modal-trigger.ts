import type { webApi } from "@slack/bolt";
import type { ModalView } from "./views/blocks.ts";

/** How a flow opens its first modal: a fresh one, or pushed on top of the modal the click came from. */
export interface ModalTrigger {
  triggerId: string;
  push: boolean;
}

/** Opens (or pushes) a modal and returns what views.update needs to fill it in later. */
export async function openModal(
  client: webApi.WebClient,
  trigger: ModalTrigger,
  view: ModalView,
): Promise<{ viewId: string; hash: string | undefined }> {
  const opened = trigger.push
    ? await client.views.push({ trigger_id: trigger.triggerId, view })
    : await client.views.open({ trigger_id: trigger.triggerId, view });
  return { viewId: opened.view?.id ?? "", hash: opened.view?.hash };
}
