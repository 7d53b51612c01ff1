import type { webApi } from "@slack/bolt";
import { accountFor } from "../../domain/accounts.ts";
import { actionConfigured } from "../../domain/policy/index.ts";
import { runTimeContext } from "../interactions/schedule.ts";
import type { FlowContext } from "../listener-frame.ts";
import { type ModalTrigger, openModal } from "../modal-trigger.ts";
import { noticeMessage } from "../views/help.ts";
import { defaultSnapshotName, type FormMetadata, reinstallRequestModal } from "../views/reinstall-modal.ts";
import type { MessagePayload } from "../views/view-context.ts";
import { seeImage, seeInstances } from "./reinstall-lookups.ts";

/**
 * Journey 4: ask for a reinstall plan. Entry points: `/compshare reinstall [uhost-id …] [image-id]`,
 * "Reinstall with this image" on any image, Reinstall on an instance, and "Request a reinstall" on
 * Home. The modal opens at once; what the keys see of the instances and image fills it in after.
 */
export async function startReinstallRequest(
  flow: FlowContext,
  client: webApi.WebClient,
  trigger: ModalTrigger,
  prefill: { instanceIds?: string[]; imageId?: string },
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
  const { services, turn } = flow;
  if (!actionConfigured(services.policy, "reinstall")) {
    await notify(noticeMessage(turn.view, turn.m.reinstall.notConfigured));
    return;
  }
  const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  const kit = services.reinstall;
  const known = prefill.imageId
    ? kit.catalogue.peek(turn.teamId, turn.userId)?.find((image) => image.id === prefill.imageId)
    : undefined;
  const meta: FormMetadata = { ...prefill, ...(known ? { imageName: known.name } : {}) };
  const snapshotName = defaultSnapshotName(prefill.instanceIds, new Date(services.clock()));
  const when = runTimeContext(services, turn.userId, "reinstall");
  const reasonOptional = !services.policy.actions.reinstall.reasonRequired;
  const noApproval = !services.policy.actions.reinstall.needsApproval;
  const opened = await openModal(
    client,
    trigger,
    reinstallRequestModal(turn.view, { prefill: meta, snapshotName, when, reasonOptional, noApproval }),
  );
  // Warm the type-ahead's cache while the person reads the form.
  kit.catalogue
    .load(turn.teamId, turn.userId, account.client)
    .catch((error: unknown) => turn.log.info({ err: error }, "could not list images for the picker"));
  if (!prefill.instanceIds?.length && !prefill.imageId) return;
  const [instances, image] = await Promise.all([
    prefill.instanceIds?.length ? seeInstances(turn, account, prefill.instanceIds) : undefined,
    prefill.imageId ? seeImage(turn, kit, account.client, prefill.imageId) : undefined,
  ]);
  await client.views
    .update({
      view_id: opened.viewId,
      ...(opened.hash ? { hash: opened.hash } : {}),
      view: reinstallRequestModal(turn.view, {
        prefill: meta,
        snapshotName,
        when,
        reasonOptional,
        noApproval,
        ...(instances ? { instances: instances.infos } : {}),
        ...(image ? { image: image.info } : {}),
      }),
    })
    .catch((error: unknown) => turn.log.info({ err: error }, "request form changed or closed before its details came"));
}
