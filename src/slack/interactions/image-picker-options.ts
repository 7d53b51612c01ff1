import type { CompShareClient } from "../../compshare/client.ts";
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
  const { teamId, userId } = turn;
  const catalogue: ImageCatalogue = services.reinstall.catalogue;
  const typed = body.value ?? "";
  const deadline = performance.now() + OPTIONS_BUDGET_MS;
  let images: readonly PickerImage[] = catalogue.peek(teamId, userId) ?? [];
  try {
    let account: Promise<CompShareClient> | undefined;
    const client = () => {
      account ??= accountFor(services.store, services.compshare, teamId, userId).then((found) => found.client);
      return account;
    };
    if (images.length === 0) {
      const loading = catalogue.load(teamId, userId, await client());
      loading.catch((error: unknown) => turn.log.info({ err: error }, "image list for the picker failed"));
      images = (await withinBudget(loading, deadline - performance.now())) ?? [];
    }
    if (images.length > 0 && typed.trim() !== "") {
      const searching = catalogue.searchBeyondCap(teamId, userId, typed, client).catch((error: unknown) => {
        turn.log.info({ err: error }, "image name search for the picker failed");
        return [];
      });
      const found = (await withinBudget(searching, deadline - performance.now())) ?? [];
      images = withExtra(images, found);
    }
  } catch (error) {
    turn.log.info({ err: error }, "no images for the picker");
  }
  const groups = pickerOptions(turn.m, images, typed);
  await ack(groups.length > 0 ? { option_groups: groups } : { options: [] });
}

/** The cached images, then any found by name that the cache does not already hold. */
function withExtra(images: readonly PickerImage[], found: readonly PickerImage[]): readonly PickerImage[] {
  if (found.length === 0) return images;
  const held = new Set(images.map((image) => image.id));
  return [...images, ...found.filter((image) => !held.has(image.id))];
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
