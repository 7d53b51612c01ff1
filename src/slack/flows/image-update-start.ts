import type { webApi } from "@slack/bolt";
import type { CompShareClient } from "../../compshare/client.ts";
import { type CompShareImage, IMAGE_ID_PATTERN } from "../../compshare/schemas.ts";
import { accountFor } from "../../domain/accounts.ts";
import { formContentOf } from "../../domain/image-changes.ts";
import { findImage } from "../../domain/image-search.ts";
import type { FlowContext } from "../listener-frame.ts";
import type { CommandOutcome } from "../metrics.ts";
import { type ModalTrigger, openModal } from "../modal-trigger.ts";
import type { BotServices } from "../services.ts";
import type { Turn } from "../turn.ts";
import { noticeMessage } from "../views/help.ts";
import { imagePickerModal, imageUpdateModal } from "../views/image-update-modal.ts";
import { loadingModal, noticeModal } from "../views/modals.ts";
import { bold, code } from "../views/text.ts";
import type { MessagePayload } from "../views/view-context.ts";

/**
 * Journey 3: edit an image's metadata in a modal. Entry points: `/compshare update [id]`, the
 * Edit button on an image's details and the Edit item in a list's menu.
 */
export async function startImageUpdate(
  flow: FlowContext,
  client: webApi.WebClient,
  trigger: ModalTrigger,
  imageId: string | undefined,
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
  const { services, turn } = flow;
  if (imageId !== undefined && !IMAGE_ID_PATTERN.test(imageId)) {
    await notify(noticeMessage(turn.view, turn.m.update.badImageId));
    return;
  }
  // A store read, no network: without keys there is nothing to edit, and the caller says so.
  const account = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  if (imageId === undefined) {
    await openModal(client, trigger, imagePickerModal(turn.view));
    return;
  }
  const opened = await openModal(client, trigger, loadingModal(turn.view, turn.m.update.title));
  await fillForm(flow, client, opened, imageId, sealFor(services, turn), async () => account.client);
}

/**
 * Fetches the image by id (which is what returns its Readme) among the user's own images and
 * turns the open modal into its form; anything else becomes a notice in the same modal.
 */
export async function fillForm(
  flow: FlowContext,
  slack: webApi.WebClient,
  modal: { viewId: string; hash: string | undefined },
  imageId: string,
  seal: (metadata: string) => string,
  compshare: () => Promise<CompShareClient>,
): Promise<CommandOutcome> {
  const { turn } = flow;
  const { m } = turn;
  const notice = (text: string, footnote?: string) =>
    slack.views.update({ view_id: modal.viewId, view: noticeModal(turn.view, m.update.title, text, footnote) });
  flow.tellErrorsIn((reply) => notice(reply.text, reply.footnote));
  if (!IMAGE_ID_PATTERN.test(imageId)) {
    await notice(m.update.badImageId);
    return "user_error";
  }
  const found = await ownImage(await compshare(), imageId);
  if (found.kind === "refused") {
    await notice(refusalText(turn, imageId, found));
    return "user_error";
  }
  await slack.views.update({
    view_id: modal.viewId,
    ...(modal.hash ? { hash: modal.hash } : {}),
    view: imageUpdateModal(turn.view, found.image, formContentOf(found.image), seal),
  });
  return "ok";
}

/** The form is for the user who opened it; only they can submit it (see form-seal.ts). */
export function sealFor(services: BotServices, turn: Turn): (metadata: string) => string {
  return (metadata) => services.updateFormSeal.seal({ teamId: turn.teamId, userId: turn.userId }, metadata);
}

export type OwnImage =
  | { kind: "own"; image: CompShareImage }
  | { kind: "refused"; reason: "making"; image: CompShareImage }
  | { kind: "refused"; reason: "notYours"; source: "platform" | "shared" }
  | { kind: "refused"; reason: "notFound" };

/** Only the user's own custom images are editable; the other lists are asked only to explain a refusal. */
export async function ownImage(client: CompShareClient, imageId: string): Promise<OwnImage> {
  const own = await client.describeCustomImages({ CompShareImageId: imageId, Limit: 1 });
  const image = own.ImageSet.find((candidate) => candidate.CompShareImageId === imageId);
  if (image) return image.Status === "Making" ? { kind: "refused", reason: "making", image } : { kind: "own", image };
  const elsewhere = await findImage(client, imageId);
  if (!elsewhere) return { kind: "refused", reason: "notFound" };
  if (elsewhere.source === "custom") return { kind: "own", image: elsewhere.image };
  return { kind: "refused", reason: "notYours", source: elsewhere.source };
}

export function refusalText(turn: Turn, imageId: string, refusal: Extract<OwnImage, { kind: "refused" }>): string {
  const { m } = turn;
  switch (refusal.reason) {
    case "making":
      return m.update.stillMaking(bold(refusal.image.Name || imageId));
    case "notYours":
      return m.update.notYours(code(imageId), m.image.source[refusal.source]);
    case "notFound":
      return m.update.notFound(code(imageId));
  }
}
