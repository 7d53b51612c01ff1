import type { webApi } from "@slack/bolt";
import { reinstallEnabled } from "../../config.ts";
import { accountFor } from "../../domain/accounts.ts";
import { lookUpImage, lookUpInstance } from "../interactions/reinstall-form.ts";
import type { FlowContext } from "../listener-frame.ts";
import { type ModalTrigger, openModal } from "../modal-trigger.ts";
import { noticeMessage } from "../views/help.ts";
import { type FormMetadata, reinstallRequestModal } from "../views/reinstall-modal.ts";
import type { MessagePayload } from "../views/view-context.ts";

/**
 * Journey 4: ask for a reinstall. Entry points: `/compshare reinstall [uhost-id] [image-id]`,
 * "Reinstall with this image" on any image, and "Request a reinstall" on Home.
 */
export async function startReinstallRequest(
  flow: FlowContext,
  client: webApi.WebClient,
  trigger: ModalTrigger,
  prefill: { instanceId?: string; imageId?: string },
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
  const { services, turn } = flow;
  if (!reinstallEnabled(services.config)) {
    await notify(noticeMessage(turn.view, turn.m.reinstall.notConfigured));
    return;
  }
  const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  const kit = services.reinstall;
  const known = prefill.imageId
    ? kit.catalogue.peek(turn.teamId, turn.userId)?.find((image) => image.id === prefill.imageId)
    : undefined;
  const meta: FormMetadata = { ...prefill, ...(known ? { imageName: known.name } : {}) };
  const opened = await openModal(client, trigger, reinstallRequestModal(turn.view, { prefill: meta }));
  // Warm the type-ahead's cache while the person reads the form.
  kit.catalogue
    .load(turn.teamId, turn.userId, account.client)
    .catch((error: unknown) => turn.log.info({ err: error }, "could not list images for the picker"));
  if (!prefill.instanceId && !prefill.imageId) return;
  const [instance, image] = await Promise.all([
    prefill.instanceId ? lookUpInstance(turn, account, prefill.instanceId) : undefined,
    prefill.imageId ? lookUpImage(turn, kit, account.client, prefill.imageId) : undefined,
  ]);
  await client.views
    .update({
      view_id: opened.viewId,
      ...(opened.hash ? { hash: opened.hash } : {}),
      view: reinstallRequestModal(turn.view, {
        prefill: meta,
        ...(instance ? { instance: instance.info } : {}),
        ...(image ? { image: image.info } : {}),
      }),
    })
    .catch((error: unknown) => turn.log.info({ err: error }, "request form changed or closed before its details came"));
}
