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

/**
 * The per-instance operation lock (vendor page: repeated operations answer
 * InstanceOperationInProgress). Checked before the instance's state, as the lock is what the
 * caller can wait out.
 */
export function refuseWhileLocked(state: SimulatorState, uhostId: string): void {
  const lockedUntil = state.operationLockedUntil(uhostId);
  if (lockedUntil === undefined) return;
  const seconds = Math.ceil((lockedUntil - state.now()) / 1000);
  const wait = seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
  throw new ApiError(
    RetCode.instanceOperationInProgress,
    `InstanceOperationInProgress: another operation on ${uhostId} is in progress; try again in ${wait}`,
  );
}
