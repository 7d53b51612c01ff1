import { timingSafeEqual } from "node:crypto";
import type { FlatParams } from "../compshare/params.ts";
import type { SimAccount } from "./accounts.ts";
import { ApiError, RetCode } from "./retcodes.ts";
import { expectedSignature } from "./signature.ts";
import type { SimulatorState } from "./state.ts";

/**
 * The account whose key pair signed these params (DESIGN §3), checked with the simulator's own
 * implementation of the algorithm, not the client's. Error messages never carry the expected
 * signature: a caller could otherwise sign anything for any public key.
 */
export function authenticate(params: FlatParams, state: SimulatorState): SimAccount {
  const signature = params.Signature;
  if (signature === undefined || signature === "") throw new ApiError(RetCode.missingSignature, "Missing signature");
  const account = params.PublicKey === undefined ? undefined : state.findAccountByPublicKey(params.PublicKey);
  if (account === undefined) throw new ApiError(RetCode.userNotFound, "user does not exist");
  const expected = Buffer.from(expectedSignature(params, account.privateKey), "utf8");
  const given = Buffer.from(signature, "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(RetCode.signatureError, "Signature error");
  }
  return account;
}
