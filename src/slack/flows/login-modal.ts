import type { webApi } from "@slack/bolt";
import type { BotServices } from "../services.ts";
import type { Turn } from "../turn.ts";
import { loginModal } from "../views/keys.ts";

/** Journey 1's form, pre-filled with what is stored (never the private key) or the sandbox's demo pair. */
export async function openLoginModal(
  services: BotServices,
  turn: Turn,
  client: webApi.WebClient,
  triggerId: string,
): Promise<void> {
  const stored = await services.store.credentials.get(turn.teamId, turn.userId).catch(() => undefined);
  await client.views.open({
    trigger_id: triggerId,
    view: loginModal(turn.view, {
      region: stored?.region ?? services.config.compshare.region,
      zone: stored?.zone ?? services.config.compshare.zone,
      ...(stored ? { publicKey: stored.publicKey } : {}),
      ...(services.sandboxKeys
        ? { publicKey: services.sandboxKeys.publicKey, sandboxPrivateKey: services.sandboxKeys.privateKey }
        : {}),
      ...(stored?.projectId ? { projectId: stored.projectId } : {}),
    }),
  });
}
