import type { ActionPolicy, Placement } from "./types.ts";

/**
 * Channel guardrails: may an action's command be used where it was typed (or its button clicked)?
 * Pure; the Slack side says where the person is and puts a refusal into words.
 */

/** Where a command came from. The Home tab is the person's own space with the bot, like a DM. */
export type CommandPlace = { kind: "channel"; channelId: string } | { kind: "direct_message" };

export type PlacementCheck = { allowed: true } | { allowed: false; allowedIn: Placement };

/** From a payload's channel: D… ids (and Slack's "directmessage" name) are DMs; no channel means the Home tab. */
export function commandPlace(channelId: string | undefined, channelName?: string): CommandPlace {
  if (channelId === undefined || channelId === "" || channelId.startsWith("D") || channelName === "directmessage") {
    return { kind: "direct_message" };
  }
  return { kind: "channel", channelId };
}

export function checkPlacement(policy: Pick<ActionPolicy, "placement">, place: CommandPlace): PlacementCheck {
  const { placement } = policy;
  const allowed =
    place.kind === "direct_message"
      ? placement.directMessages
      : placement.channels === undefined || placement.channels.includes(place.channelId);
  return allowed ? { allowed: true } : { allowed: false, allowedIn: placement };
}
