import type { ActionDefinition } from "./action.ts";
import { imageListAnswer } from "./image-list.ts";

/** Images other accounts shared with the caller. */
export const describeCompShareSharingImages: ActionDefinition = {
  required: ["Region"],
  handle({ params, account, state }) {
    return imageListAnswer(state, { kind: "shared", accountId: account.accountId }, params);
  },
};
