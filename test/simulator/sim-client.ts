import { type FlatParams, flattenParams, type ParamValue } from "../../src/compshare/params.ts";
import { signParams } from "../../src/compshare/signature.ts";
import type { SimAccount, Simulator } from "../../src/simulator/simulator.ts";

/** A plain signed-call client for the simulator tests, built from the project's own params and signing. */

export interface ApiReply {
  status: number;
  requestId: string | null;
  body: Record<string, unknown>;
}

type Keys = Pick<SimAccount, "publicKey" | "privateKey">;

export function signed(keys: Keys, params: Record<string, ParamValue>): FlatParams {
  const flat = flattenParams({ ...params, PublicKey: keys.publicKey });
  return { ...flat, Signature: signParams(flat, keys.publicKey, keys.privateKey) };
}

export async function postForm(url: string, params: FlatParams): Promise<ApiReply> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  return {
    status: response.status,
    requestId: response.headers.get("x-ucloud-request-uuid"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** One signed call with Region cn-wlcb (pass Region: undefined to leave it out). */
export function call(
  sim: Pick<Simulator, "url">,
  keys: Keys,
  action: string,
  params: Record<string, ParamValue> = {},
): Promise<ApiReply> {
  return postForm(sim.url, signed(keys, { Action: action, Region: "cn-wlcb", ...params }));
}

export const ZONE = "cn-wlcb-01";

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2025, 5, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface ImageOut {
  CompShareImageId: string;
  Name: string;
  ImageType: string;
  Author: string;
  Status: string;
  Tags: string[];
  Readme?: string;
  [field: string]: unknown;
}

export function imageSet(reply: ApiReply): ImageOut[] {
  return reply.body.ImageSet as ImageOut[];
}
