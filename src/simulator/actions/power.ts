import { readOptionalString } from "../param-readers.ts";
import { ApiError, RetCode } from "../retcodes.ts";
import type { InstanceState, OperationKind } from "../state.ts";
import type { ActionDefinition } from "./action.ts";
import { ownedInstance, refuseWhileLocked } from "./owned-instance.ts";

/**
 * Stop, Start and Reboot: accepted only from the state they start from, then the instance shows
 * the transitional state (Stopping, Starting, Rebooting) under the operation lock until it lands.
 */
function transition(kind: OperationKind, from: InstanceState, verb: string): ActionDefinition {
  return {
    required: ["Region", "UHostId"],
    handle({ params, account, state, endsInInstallFail }) {
      const uhostId = params.UHostId ?? "";
      const instance = ownedInstance(state, account, uhostId, readOptionalString(params, "Zone"));
      refuseWhileLocked(state, uhostId);
      if (instance.State !== from) {
        throw new ApiError(
          RetCode.instanceStateInvalid,
          `instance ${uhostId} is ${instance.State === "" ? "in an unknown state" : instance.State}; it must be ${from} to ${verb}`,
        );
      }
      state.startOperation(uhostId, kind, { fails: endsInInstallFail });
      return { UHostId: uhostId };
    },
  };
}

export const stopCompShareInstance = transition("stop", "Running", "stop");
export const startCompShareInstance = transition("start", "Stopped", "start");
export const rebootCompShareInstance = transition("reboot", "Running", "reboot");
