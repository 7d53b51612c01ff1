import type { BlockAction, ButtonAction, OverflowAction } from "@slack/bolt";
import { accountFor } from "../../domain/accounts.ts";
import { findImage } from "../../domain/image-search.ts";
import { fetchImagePage } from "../flows/image-pages.ts";
import { startImageUpdate } from "../flows/image-update-start.ts";
import { startReinstallRequest } from "../flows/reinstall-start.ts";
import type { Call } from "../listener-frame.ts";
import { messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import { placementRefusal } from "../placement-guard.ts";
import type { ClickArgs } from "../surfaces.ts";
import { noticeMessage } from "../views/help.ts";
import { imageDetailMessage } from "../views/image-detail.ts";
import { decodeImageMenuValue, imageListMessage, imageListModal, listTitle } from "../views/image-list.ts";
import { decodeListState, type ImageListKind, type ListState } from "../views/list-state.ts";
import { imageDetailModal, loadingModal, noticeModal } from "../views/modals.ts";
import type { MessagePayload } from "../views/view-context.ts";

type ButtonClick = Call<ClickArgs<BlockAction<ButtonAction>>>;

/** Clicks come from an ephemeral message (answered through response_url) or from inside a modal. */
function inModal(body: BlockAction): { viewId: string; hash: string | undefined } | undefined {
  if (body.container?.type !== "view" || !body.view) return undefined;
  return { viewId: body.view.id, hash: body.view.hash };
}

/** Previous / Next: the state rides in the button value and is re-validated here. */
export async function handleListPage({ args, services, turn, tellErrorsIn }: ButtonClick): Promise<CommandOutcome> {
  const { body, action, client } = args;
  const modal = inModal(body);
  const reply = messageReply(services.responseUrls, body.response_url, turn);
  const state = decodeListState(action.value);
  tellErrorsIn(({ text, footnote }) =>
    modal
      ? client.views.update({
          view_id: modal.viewId,
          view: noticeModal(turn.view, listTitle(turn.m, state?.kind ?? "platform"), text, footnote),
        })
      : reply.send(noticeMessage(turn.view, text, footnote)),
  );
  if (!state) {
    await reply.send(noticeMessage(turn.view, turn.m.lists.pageGone));
    return "user_error";
  }
  const { client: compshare } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  const page = await fetchImagePage(compshare, state);
  if (modal) {
    await client.views.update({
      view_id: modal.viewId,
      ...(modal.hash ? { hash: modal.hash } : {}),
      view: imageListModal(turn.view, page),
    });
  } else {
    await reply.replace(imageListMessage(turn.view, page));
  }
  return "ok";
}

export const imageMenuLabel = (args: ClickArgs<BlockAction<OverflowAction | ButtonAction>>): string =>
  `image_menu:${decodeImageMenuValue(menuValue(args.action))?.verb ?? "invalid"}`;

function menuValue(action: OverflowAction | ButtonAction): string | undefined {
  return action.type === "overflow" ? action.selected_option.value : action.value;
}

/** The overflow menu on each image: details now; edit and reinstall are wired by their own flows. */
export async function handleImageMenu(
  call: Call<ClickArgs<BlockAction<OverflowAction | ButtonAction>>>,
): Promise<CommandOutcome> {
  const { args, services, turn } = call;
  const { body, action, client } = args;
  const choice = decodeImageMenuValue(menuValue(action));
  const modal = inModal(body);
  const reply = messageReply(services.responseUrls, body.response_url, turn);
  const show = async (text: string, footnote?: string) => {
    if (modal)
      await client.views.push({
        trigger_id: body.trigger_id,
        view: noticeModal(turn.view, turn.m.lists.details, text, footnote),
      });
    else await reply.send(noticeMessage(turn.view, text, footnote));
  };
  call.tellErrorsIn(({ text, footnote }) => show(text, footnote));
  if (!choice) {
    await show(turn.m.lists.pageGone);
    return "user_error";
  }
  const trigger = { triggerId: body.trigger_id, push: modal !== undefined };
  const notify = async (payload: MessagePayload) => {
    if (modal)
      await client.views.push({
        trigger_id: body.trigger_id,
        view: noticeModal(turn.view, turn.m.lists.details, payload.text),
      });
    else await reply.send(payload);
  };
  if (choice.verb === "edit" || choice.verb === "reinstall") {
    const action = choice.verb === "edit" ? "update" : "reinstall";
    // Checked at click time: the message may be older than the policy. No channel: Home or a modal on it.
    const refusal = placementRefusal(services, turn, action, { id: body.channel?.id });
    if (refusal) {
      await show(refusal);
      return "user_error";
    }
  }
  if (choice.verb === "edit") {
    await startImageUpdate(call, client, trigger, choice.imageId, notify);
    return "ok";
  }
  if (choice.verb === "reinstall") {
    await startReinstallRequest(call, client, trigger, { imageId: choice.imageId }, notify);
    return "ok";
  }
  const { client: compshare } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
  const found = await findImage(compshare, choice.imageId);
  if (!found) {
    await show(turn.m.image.notFound(choice.imageId));
    return "user_error";
  }
  if (modal)
    await client.views.push({
      trigger_id: body.trigger_id,
      view: imageDetailModal(turn.view, found.image, found.source),
    });
  else await reply.send(imageDetailMessage(turn.view, found.image, found.source));
  return "ok";
}

/**
 * Home tab list buttons: there is no channel on Home, so the list opens in a modal. It opens at
 * once with a loading view (the trigger id lives 3 s), then fills in with views.update + hash.
 */
export const handleHomeList =
  (kind: ImageListKind) =>
  async ({ args, services, turn, tellErrorsIn }: ButtonClick): Promise<CommandOutcome> => {
    const { body, client } = args;
    const state: ListState = { kind, offset: 0, filters: {} };
    const title = listTitle(turn.m, kind);
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal(turn.view, title) });
    const viewId = opened.view?.id ?? "";
    const hash = opened.view?.hash;
    tellErrorsIn(({ text, footnote }) =>
      client.views.update({ view_id: viewId, view: noticeModal(turn.view, title, text, footnote) }),
    );
    const { client: compshare } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
    const page = await fetchImagePage(compshare, state);
    await client.views.update({
      view_id: viewId,
      ...(hash ? { hash } : {}),
      view: imageListModal(turn.view, page),
    });
    return "ok";
  };
