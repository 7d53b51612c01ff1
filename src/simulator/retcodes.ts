/**
 * The RetCodes the simulator answers with. The first block is UCloud's published platform table
 * (DESIGN §3). The parameter code follows what the UCloud gateway is seen answering in the wild:
 * RetCode 230 with `Params [X] not valid` / `Params [Zone] not available`; for a missing param the
 * gateway's own wording is `Missing params [X]`, which the simulator keeps under the same 230.
 * The business codes below have no published number; they are the simulator's own choice and a
 * client must go by the Message for them (InstanceOperationInProgress is matched by text, as the
 * real API gives it no number either).
 */
export const RetCode = {
  ok: 0,
  serviceUnavailable: 150,
  rateLimited: 153,
  missingAction: 160,
  unknownAction: 161,
  missingSignature: 170,
  signatureError: 171,
  userNotFound: 172,
  invalidParam: 230,
  imageNotSupportedOnGpu: 226603,
  imageTaskExists: 226605,
  imageNotFound: 226690,
  imageNotOwned: 226691,
  instanceNotFound: 226692,
  instanceStateInvalid: 226693,
  imageNotAvailable: 226694,
  instanceOperationInProgress: 226695,
  imageNameTaken: 226696,
} as const;

/**
 * An answer with RetCode ≠ 0. Thrown by validation and action handlers, turned into the JSON
 * envelope by the server; its message goes to the caller, so it never holds a secret.
 */
export class ApiError extends Error {
  readonly code = "SIMULATOR_API_ERROR";
  readonly retCode: number;
  constructor(retCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ApiError";
    this.retCode = retCode;
  }
}

export function missingParam(name: string): ApiError {
  return new ApiError(RetCode.invalidParam, `Missing params [${name}]`);
}

export function invalidParam(name: string, reason: string): ApiError {
  return new ApiError(RetCode.invalidParam, `Params [${name}] not valid: ${reason}`);
}
