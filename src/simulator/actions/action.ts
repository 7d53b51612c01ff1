import type { FlatParams } from "../../compshare/params.ts";
import type { SimAccount } from "../accounts.ts";
import type { SimulatorState } from "../state.ts";

/** What a handler gets once the request is authenticated and its required params are present. */
export interface ActionContext {
  params: FlatParams;
  account: SimAccount;
  state: SimulatorState;
  /** Set by the installFail fault: the operation this call starts ends in "Install Fail". */
  endsInInstallFail: boolean;
}

export interface ActionDefinition {
  /** Checked in order before the handler runs; the first missing one is named in the error. */
  required: readonly string[];
  /** Returns the response fields besides Action and RetCode; throws ApiError for RetCode ≠ 0. */
  handle(context: ActionContext): Record<string, unknown>;
}
