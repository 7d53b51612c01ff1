import { page, readIndexedList, readOptionalString, readPaging } from "../param-readers.ts";
import { instanceView } from "../views.ts";
import type { ActionDefinition } from "./action.ts";

/**
 * The caller's instances in every zone of the Region (the SDKs: "returns all matching UHost
 * instances of the current Region"), optionally narrowed to `UHostIds.N` and, when the request
 * names one, to a Zone, as the real API may filter by it.
 */
export const describeCompShareInstance: ActionDefinition = {
  required: ["Region"],
  handle({ params, account, state }) {
    const paging = readPaging(params);
    const ids = readIndexedList(params, "UHostIds");
    const zone = readOptionalString(params, "Zone");
    const matching = state
      .listInstances(account.accountId)
      .filter(
        (instance) =>
          (ids === undefined || ids.includes(instance.UHostId)) &&
          instance.Zone.startsWith(`${params.Region}-`) &&
          (zone === undefined || instance.Zone === zone),
      );
    return { TotalCount: matching.length, UHostSet: page(matching, paging).map(instanceView) };
  },
};
