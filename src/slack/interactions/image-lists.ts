import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import { accountFor } from "../../domain/accounts.ts";
import { findImage } from "../../domain/image-search.ts";
import { fetchImagePage } from "../commands/list-images.ts";
import { messageReply } from "../message-reply.ts";
import type { CommandOutcome } from "../metrics.ts";
import { placementRefusal } from "../placement-guard.ts";
import type { BotServices } from "../services.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { noticeMessage } from "../views/help.ts";
import { imageDetailMessage } from "../views/image-detail.ts";
import { decodeImageMenuValue, imageListMessage, imageListModal, listTitle } from "../views/image-list.ts";
import { decodeListState, type ImageListKind, type ListState } from "../views/list-state.ts";
import { imageDetailModal, loadingModal, noticeModal } from "../views/modals.ts";
import type { MessagePayload } from "../views/view-context.ts";
import { startImageUpdate } from "./image-update.ts";
import { startReinstallRequest } from "./reinstall.ts";

type ActionArgs<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

function turnFor(services: BotServices, body: BlockAction, what: string, options?: { maxWaitMs?: number }) {
  return beginTurn(services, { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id, what }, options);
}

/** Clicks come from an ephemeral message (answered through response_url) or from inside a modal. */
function inModal(body: BlockAction): { viewId: string; hash: string | undefined } | undefined {
  if (body.container?.type !== "view" || !body.view) return undefined;
  return { viewId: body.view.id, hash: body.view.hash };
}

async function finish(
  services: BotServices,
  what: string,
  turn: Turn,
  work: () => Promise<CommandOutcome>,
  onError: (text: string, footnote?: string) => Promise<unknown>,
) {
  let outcome: CommandOutcome;
  try {
    outcome = await work();
  } catch (error) {
    outcome = await reportError(turn, error, (r) => onError(r.text, r.footnote));
  }
  services.metrics.commandFinished(what, outcome);
}

/** Previous / Next: the state rides in the button value and is re-validated here. */
export async function handleListPage(
  services: BotServices,
  args: ActionArgs<BlockAction<ButtonAction>>,
): Promise<void> {
  const { ack, body, action, client } = args;
  await ack();
  const turn = await turnFor(services, body, "list_page");
  const modal = inModal(body);
  const reply = messageReply(services.responseUrls, body.response_url, turn);
  const state = decodeListState(action.value);
  await finish(
    services,
    "list_page",
    turn,
    async () => {
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
    },
    (text, footnote) =>
      modal
        ? client.views.update({
            view_id: modal.viewId,
            view: noticeModal(turn.view, listTitle(turn.m, state?.kind ?? "platform"), text, footnote),
          })
        : reply.send(noticeMessage(turn.view, text, footnote)),
  );
}

/** The overflow menu on each image: details now; edit and reinstall are wired by their own flows. */
export async function handleImageMenu(
  services: BotServices,
  args: ActionArgs<BlockAction<OverflowAction | ButtonAction>>,
): Promise<void> {
  const { ack, body, action, client } = args;
  await ack();
  const value = action.type === "overflow" ? action.selected_option.value : action.value;
  const choice = decodeImageMenuValue(value);
  const turn = await turnFor(services, body, "image_menu", { maxWaitMs: 800 });
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
  await finish(
    services,
    `image_menu:${choice?.verb ?? "invalid"}`,
    turn,
    async () => {
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
        await startImageUpdate(services, turn, client, trigger, choice.imageId, notify);
        return "ok";
      }
      if (choice.verb === "reinstall") {
        await startReinstallRequest(services, turn, client, trigger, { imageId: choice.imageId }, notify);
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
    },
    show,
  );
}

/**
 * Home tab list buttons: there is no channel on Home, so the list opens in a modal. It opens at
 * once with a loading view (the trigger id lives 3 s), then fills in with views.update + hash.
 */
export const handleHomeList =
  (kind: ImageListKind) =>
  async (services: BotServices, args: ActionArgs<BlockAction<ButtonAction>>): Promise<void> => {
    const { ack, body, client } = args;
    await ack();
    const turn = await turnFor(services, body, `home_list:${kind}`, { maxWaitMs: 800 });
    const state: ListState = { kind, offset: 0, filters: {} };
    const title = listTitle(turn.m, kind);
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal(turn.view, title) });
    const viewId = opened.view?.id ?? "";
    const hash = opened.view?.hash;
    await finish(
      services,
      `home_list:${kind}`,
      turn,
      async () => {
        const { client: compshare } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
        const page = await fetchImagePage(compshare, state);
        await client.views.update({
          view_id: viewId,
          ...(hash ? { hash } : {}),
          view: imageListModal(turn.view, page),
        });
        return "ok";
      },
      (text, footnote) => client.views.update({ view_id: viewId, view: noticeModal(turn.view, title, text, footnote) }),
    );
  };
