import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { type ApprovalHousekeeping, createApprovalHousekeeping } from "../../domain/approval-housekeeping.ts";
import { startReinstallRequest } from "../flows/reinstall-start.ts";
import type { Call } from "../listener-frame.ts";
import type { BotServices } from "../services.ts";
import { type ClickArgs, onClick, onOptions } from "../surfaces.ts";
import { tracked } from "../tracked.ts";
import { APPROVAL_ACTIONS } from "../views/approval-card.ts";
import { HOME_ACTIONS } from "../views/home.ts";
import { noticeModal } from "../views/modals.ts";
import { REINSTALL_ACTIONS, REINSTALL_CALLBACK, REJECT_CALLBACK } from "../views/reinstall-modal.ts";
import { approvalAnnouncer } from "./approval-announcer.ts";
import { handleDecisionClick, handleRejectSubmit } from "./approval-decisions.ts";
import { answerImageOptions } from "./image-picker-options.ts";
import { handleFormRefresh, handleRequestSubmit } from "./reinstall-form.ts";

/**
 * Journey 4: ask for a reinstall. Entry points: `/compshare reinstall [uhost-id] [image-id]`,
 * "Reinstall with this image" on any image, and "Request a reinstall" on Home. The request is
 * posted as a card in APPROVAL_CHANNEL, where journey 5 (approval-decisions.ts) takes over.
 */

type HomeButtonArgs = ClickArgs<BlockAction<ButtonAction>>;

/** "Request a reinstall" on Home: no channel there, so anything to say goes into a modal. */
async function handleHomeRequest(call: Call<HomeButtonArgs>): Promise<void> {
  const { args, turn } = call;
  const { body, client } = args;
  const show = async (text: string) => {
    const view = noticeModal(turn.view, turn.m.reinstall.modal.title, text);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
  const trigger = { triggerId: body.trigger_id, push: false };
  await startReinstallRequest(call, client, trigger, {}, (payload) => show(payload.text));
}

/** What app.ts starts after the app listens and stops before it drains. */
export interface ReinstallHandle {
  readonly housekeeping: ApprovalHousekeeping;
}

/** Registers the flow's listeners and returns the housekeeping the app starts and stops with itself. */
export function registerReinstall(app: App, services: BotServices): ReinstallHandle {
  const kit = services.reinstall;
  // No waiting for users.info here: the options must be back within Slack's 3 s.
  app.options(REINSTALL_ACTIONS.image, onOptions(services, { what: "image_options" }, answerImageOptions));
  app.action(REINSTALL_ACTIONS.instance, tracked(services, handleFormRefresh));
  app.action(REINSTALL_ACTIONS.image, tracked(services, handleFormRefresh));
  app.view(REINSTALL_CALLBACK, tracked(services, handleRequestSubmit));
  app.action(APPROVAL_ACTIONS.approve, tracked(services, handleDecisionClick(kit, "approve")));
  app.action(APPROVAL_ACTIONS.reject, tracked(services, handleDecisionClick(kit, "reject")));
  app.action(APPROVAL_ACTIONS.cancel, tracked(services, handleDecisionClick(kit, "cancel")));
  app.view(REJECT_CALLBACK, tracked(services, handleRejectSubmit(kit)));
  app.action(
    HOME_ACTIONS.reinstall,
    onClick(
      services,
      {
        what: "home_reinstall",
        localeWaitMs: 800,
        errors: { kind: "new-modal", title: (m) => m.reinstall.modal.title },
      },
      handleHomeRequest,
    ),
  );

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
