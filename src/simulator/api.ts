import type { FlatParams } from "../compshare/params.ts";
import { ACTIONS } from "./action-registry.ts";
import { authenticate } from "./auth.ts";
import { requireParams } from "./param-readers.ts";
import { ApiError, RetCode } from "./retcodes.ts";
import type { SimulatorState } from "./state.ts";

export interface ApiAnswer {
  retCode: number;
  accountId: string | undefined;
  body: Record<string, unknown>;
}

/**
 * One API call from params to the JSON envelope, in the gateway's order: Action, signature and
 * account, required params, then the action itself. Only ApiError becomes a RetCode; anything
 * else is a simulator bug and propagates.
 */
export function answerApiCall(
  params: FlatParams,
  state: SimulatorState,
  options: { endsInInstallFail?: boolean } = {},
): ApiAnswer {
  const action = params.Action ?? "";
  let accountId: string | undefined;
  try {
    if (action === "") throw new ApiError(RetCode.missingAction, "Missing Action");
    const definition = ACTIONS.get(action);
    if (definition === undefined) throw new ApiError(RetCode.unknownAction, `Action [${action}] not found`);
    const account = authenticate(params, state);
    accountId = account.accountId;
    requireParams(params, definition.required);
    checkZoneInRegion(params);
    const fields = definition.handle({
      params,
      account,
      state,
      endsInInstallFail: options.endsInInstallFail === true,
    });
    return { retCode: RetCode.ok, accountId, body: envelope(action, RetCode.ok, undefined, fields) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { retCode: error.retCode, accountId, body: envelope(action, error.retCode, error.message) };
  }
}

export function envelope(
  action: string,
  retCode: number,
  message?: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    Action: `${action}Response`,
    RetCode: retCode,
    ...(message === undefined ? {} : { Message: message }),
    ...fields,
  };
}

/** The gateway's answer when a zone is not one of the region's (cn-wlcb-01 belongs to cn-wlcb). */
function checkZoneInRegion(params: FlatParams): void {
  const { Region: region, Zone: zone } = params;
  if (region !== undefined && zone !== undefined && zone !== "" && !zone.startsWith(`${region}-`)) {
    throw new ApiError(RetCode.invalidParam, "Params [Zone] not available");
  }
}
