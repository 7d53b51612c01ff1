import type { BlockAction, ButtonAction } from "@slack/bolt";
import { startReinstallRequest } from "../flows/reinstall-start.ts";
import type { Call } from "../listener-frame.ts";
import type { CommandOutcome } from "../metrics.ts";
import { placementRefusal } from "../placement-guard.ts";
import type { ClickArgs } from "../surfaces.ts";
import { noticeModal } from "../views/modals.ts";

/** "Request a reinstall" on Home: no channel there, so anything to say goes into a modal. */
export async function handleHomeRequest(call: Call<ClickArgs<BlockAction<ButtonAction>>>): Promise<CommandOutcome> {
  const { args, turn } = call;
  const { body, client } = args;
  const show = async (text: string) => {
    const view = noticeModal(turn.view, turn.m.reinstall.modal.title, text);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
  // The Home tab has no channel: it counts as a direct message with the bot.
  const refusal = placementRefusal(call.services, turn, "reinstall", {});
  if (refusal) {
    await show(refusal);
    return "user_error";
  }
  const trigger = { triggerId: body.trigger_id, push: false };
  await startReinstallRequest(call, client, trigger, {}, (payload) => show(payload.text));
  return "ok";
}
