import { accountFor } from "../../domain/accounts.ts";
import { type ImageCatalogue, type PickerImage, pickerOptions } from "../flows/image-catalogue.ts";
import type { Call } from "../listener-frame.ts";
import type { OptionsArgs } from "../surfaces.ts";

/** Leaves Slack's 3-second window room for the answer to travel. */
const OPTIONS_BUDGET_MS = 2200;

/**
 * The reinstall image picker's type-ahead. Answers within the budget whatever happens: no keys
 * or a slow CompShare yields no options (Slack shows "no results"), and the listing carries on
 * to warm the cache.
 */
export async function answerImageOptions({ args, services, turn }: Call<OptionsArgs>): Promise<void> {
  const { body, ack } = args;
  const catalogue: ImageCatalogue = services.reinstall.catalogue;
  let images: readonly PickerImage[] = catalogue.peek(turn.teamId, turn.userId) ?? [];
  if (images.length === 0) {
    try {
      const { client } = await accountFor(services.store, services.compshare, turn.teamId, turn.userId);
      const loading = catalogue.load(turn.teamId, turn.userId, client);
      loading.catch((error: unknown) => turn.log.info({ err: error }, "image list for the picker failed"));
      images = (await withinBudget(loading, OPTIONS_BUDGET_MS)) ?? [];
    } catch (error) {
      turn.log.info({ err: error }, "no images for the picker");
    }
  }
  const groups = pickerOptions(turn.m, images, body.value ?? "");
  await ack(groups.length > 0 ? { option_groups: groups } : { options: [] });
}

async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
