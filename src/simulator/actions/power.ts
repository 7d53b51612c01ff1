import { readOptionalString } from "../param-readers.ts";
import { ApiError, RetCode } from "../retcodes.ts";
import type { InstanceState } from "../state.ts";
import type { ActionDefinition } from "./action.ts";
import { ownedInstance } from "./owned-instance.ts";

/**
 * Stop and Start move an instance at once (no Stopping/Starting phase, no lock) so tests and the
 * sandbox can drive states; a real instance passes through the intermediate state first.
 */
function transition(from: InstanceState, to: InstanceState, verb: string): ActionDefinition {
  return {
    required: ["Region", "UHostId"],
    handle({ params, account, state }) {
      const uhostId = params.UHostId ?? "";
      const instance = ownedInstance(state, account, uhostId, readOptionalString(params, "Zone"));
      if (instance.State !== from) {
        throw new ApiError(
          RetCode.instanceStateInvalid,
          `instance ${uhostId} is ${instance.State === "" ? "in an unknown state" : instance.State}; it must be ${from} to ${verb}`,
        );
      }
      state.setInstanceState(uhostId, to);
      return { UHostId: uhostId };
    },
  };
}

export const stopCompShareInstance = transition("Running", "Stopped", "stop");
export const startCompShareInstance = transition("Stopped", "Running", "start");
