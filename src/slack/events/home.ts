import type { AllMiddlewareArgs, SlackEventMiddlewareArgs, webApi } from "@slack/bolt";
import type { BotServices } from "../services.ts";
import { beginTurn, reportError, type Turn } from "../turn.ts";
import { homeView } from "../views/home.ts";
import type { KeySummary } from "../views/keys.ts";

/** What the Home tab knows about the user's keys, without failing the tab when they cannot be read. */
async function keySummary(services: BotServices, turn: Turn): Promise<KeySummary | undefined> {
  try {
    const stored = await services.store.credentials.get(turn.teamId, turn.userId);
    if (!stored) return undefined;
    return {
      publicKey: stored.publicKey,
      region: stored.region,
      zone: stored.zone,
      since: stored.createdAt,
      ...(stored.projectId ? { projectId: stored.projectId } : {}),
    };
  } catch (error) {
    turn.log.warn({ err: error }, "stored keys unreadable while building the Home tab");
    return undefined;
  }
}

export async function publishHome(services: BotServices, turn: Turn, client: webApi.WebClient): Promise<void> {
  const keys = await keySummary(services, turn);
  await client.views.publish({ user_id: turn.userId, view: homeView(turn.view, { keys }) });
}

export async function handleAppHomeOpened(
  services: BotServices,
  args: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs,
): Promise<void> {
  const { event, body, client } = args;
  if (event.tab !== "home") return;
  const teamId = body.team_id ?? "";
  const turn = await beginTurn(services, { teamId, userId: event.user, what: "home" });
  try {
    await publishHome(services, turn, client);
  } catch (error) {
    // Nowhere to show an error on an event; the log is the only witness.
    await reportError(turn, error, async () => undefined);
  }
}
