import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, webApi } from "@slack/bolt";
import { reinstallEnabled } from "../../config.ts";
import { accountFor } from "../../domain/accounts.ts";
import { type ApprovalHousekeeping, createApprovalHousekeeping } from "../../domain/approval-housekeeping.ts";
import { messagesFor } from "../i18n/messages.ts";
import type { CommandOutcome } from "../metrics.ts";
import { type ModalTrigger, openModal } from "../modal-trigger.ts";
import { placementRefusal } from "../placement-guard.ts";
import type { BotServices } from "../services.ts";
import { tracked } from "../tracked.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { APPROVAL_ACTIONS } from "../views/approval-card.ts";
import { noticeMessage } from "../views/help.ts";
import { HOME_ACTIONS } from "../views/home.ts";
import { noticeModal } from "../views/modals.ts";
import {
  type FormMetadata,
  REINSTALL_ACTIONS,
  REINSTALL_CALLBACK,
  REJECT_CALLBACK,
  reinstallRequestModal,
} from "../views/reinstall-modal.ts";
import type { MessagePayload } from "../views/view-context.ts";
import { approvalAnnouncer } from "./approval-announcer.ts";
import { handleDecisionClick, handleRejectSubmit } from "./approval-decisions.ts";
import { answerImageOptions, type OptionsArgs } from "./image-picker-options.ts";
import { handleFormRefresh, handleRequestSubmit, lookUpImage, lookUpInstance } from "./reinstall-form.ts";

/**
 * Journey 4: ask for a reinstall. Entry points: `/compshare reinstall [uhost-id] [image-id]`,
 * "Reinstall with this image" on any image, and "Request a reinstall" on Home. The request is
 * posted as a card in APPROVAL_CHANNEL, where journey 5 (approval-decisions.ts) takes over.
 */

export async function startReinstallRequest(
  services: BotServices,
  turn: Turn,
  client: webApi.WebClient,
  trigger: ModalTrigger,
  prefill: { instanceId?: string; imageId?: string },
  notify: (payload: MessagePayload) => Promise<void>,
): Promise<void> {
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

type HomeButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "Request a reinstall" on Home: no channel there, so anything to say goes into a modal. */
async function handleHomeRequest(services: BotServices, args: HomeButtonArgs): Promise<void> {
  const { ack, body, client } = args;
  await ack();
  const turn = await beginTurn(
    services,
    { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id, what: "home_reinstall" },
    { maxWaitMs: 800 },
  );
  const show = async (text: string, footnote?: string) => {
    const view = noticeModal(turn.view, turn.m.reinstall.modal.title, text, footnote);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
  let outcome: CommandOutcome = "ok";
  try {
    // The Home tab has no channel: it counts as a direct message with the bot.
    const refusal = placementRefusal(services, turn, "reinstall", {});
    if (refusal) {
      await show(refusal);
      outcome = "user_error";
    } else {
      const trigger = { triggerId: body.trigger_id, push: false };
      await startReinstallRequest(services, turn, client, trigger, {}, (payload) => show(payload.text));
    }
  } catch (error) {
    outcome = await reportError(turn, error, (reply) => show(reply.text, reply.footnote));
  }
  services.metrics.commandFinished("home_reinstall", outcome);
}

/** What app.ts starts after the app listens and stops before it drains. */
export interface ReinstallHandle {
  readonly housekeeping: ApprovalHousekeeping;
}

/** Registers the flow's listeners and returns the housekeeping the app starts and stops with itself. */
export function registerReinstall(app: App, services: BotServices): ReinstallHandle {
  const kit = services.reinstall;
  app.options(
    REINSTALL_ACTIONS.image,
    tracked(services, (s, args: OptionsArgs) =>
      // No waiting for users.info here: the options must be back within Slack's 3 s.
      answerImageOptions(s, kit.catalogue, args, messagesFor(s.locales.peek(args.body.user.id))),
    ),
  );
  app.action(REINSTALL_ACTIONS.instance, tracked(services, handleFormRefresh));
  app.action(REINSTALL_ACTIONS.image, tracked(services, handleFormRefresh));
  app.view(REINSTALL_CALLBACK, tracked(services, handleRequestSubmit));
  app.action(APPROVAL_ACTIONS.approve, tracked(services, handleDecisionClick(kit, "approve")));
  app.action(APPROVAL_ACTIONS.reject, tracked(services, handleDecisionClick(kit, "reject")));
  app.action(APPROVAL_ACTIONS.cancel, tracked(services, handleDecisionClick(kit, "cancel")));
  app.view(REJECT_CALLBACK, tracked(services, handleRejectSubmit(kit)));
  app.action(HOME_ACTIONS.reinstall, tracked(services, handleHomeRequest));

  const announcer = approvalAnnouncer(services, app.client);
  return {
    housekeeping: createApprovalHousekeeping({
      approvals: services.store.approvals,
      exclusiveStore: services.store.driver === "sqlite",
      clock: services.clock,
      logger: services.logger,
      announce: (request, reason) => announcer.announceSwept(request, reason),
      track: (work) => services.inFlight.track(work),
    }),
  };
}
