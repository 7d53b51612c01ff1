import type { SimAccount } from "../accounts.ts";
import { ApiError, RetCode } from "../retcodes.ts";
import type { InstanceRecord, SimulatorState } from "../state.ts";

/**
 * The caller's instance in the given zone. Another account's instance is "not found" too, so a
 * caller cannot learn which ids exist elsewhere.
 */
export function ownedInstance(
  state: SimulatorState,
  account: SimAccount,
  uhostId: string,
  zone: string | undefined,
): InstanceRecord {
  const instance = state.getInstance(uhostId);
  if (
    instance === undefined ||
    state.instanceOwner(uhostId) !== account.accountId ||
    (zone !== undefined && instance.Zone !== zone)
  ) {
    throw new ApiError(
      RetCode.instanceNotFound,
      `instance ${uhostId} not found${zone === undefined ? "" : ` in zone ${zone}`}`,
    );
  }
  return instance;
}
