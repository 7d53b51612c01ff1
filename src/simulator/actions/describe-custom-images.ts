import type { ActionDefinition } from "./action.ts";
import { imageListAnswer } from "./image-list.ts";

/** The caller's own images. */
export const describeCompShareCustomImages: ActionDefinition = {
  required: ["Region", "Zone"],
  handle({ params, account, state }) {
    return imageListAnswer(state, { kind: "custom", accountId: account.accountId }, params);
  },
};
