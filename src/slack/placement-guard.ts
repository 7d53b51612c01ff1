import { checkPlacement, commandPlace, type PolicyAction } from "../domain/policy/index.ts";
import type { BotServices } from "./services.ts";
import type { Turn } from "./turn.ts";

/**
 * Channel guardrails at every entry that starts an action: the slash command and the buttons
 * on older messages. Answers the refusal in the person's language, or undefined when allowed.
 */

/** The command each action is started with, as the refusal names it. */
const COMMAND_OF: Readonly<Record<PolicyAction, string>> = {
  reinstall: "/compshare reinstall",
  update: "/compshare update",
  stop: "/compshare stop",
  start: "/compshare start",
  reboot: "/compshare reboot",
};

/** Where the payload came from: a channel (id and, for commands, name), or nothing (the Home tab, a modal). */
export interface PayloadChannel {
  id?: string | undefined;
  name?: string | undefined;
}

export function placementRefusal(
  services: Pick<BotServices, "policy">,
  turn: Pick<Turn, "m" | "log">,
  action: PolicyAction,
  channel: PayloadChannel,
): string | undefined {
  const check = checkPlacement(services.policy.actions[action], commandPlace(channel.id, channel.name));
  if (check.allowed) return undefined;
  turn.log.info({ action, channel: channel.id }, "refused by the policy's channel rules");
  return turn.m.policy.notHere(COMMAND_OF[action], check.allowedIn);
}
