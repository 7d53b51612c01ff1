import { flattenParams } from "../src/compshare/params.ts";
import { signParams } from "../src/compshare/signature.ts";

export const IMAGES_PAGE = { Offset: 0, Limit: 10 } as const;
export const BENCH_REGION = { region: "cn-wlcb", zone: "cn-wlcb-01" } as const;

export interface BenchAccount {
  publicKey: string;
  privateKey: string;
  region: string;
  zone: string;
}

/**
 * One DescribeCompShareImages form body, signed once up front: what the client sends for a page
 * of platform images (Region and Zone from the account, then the paging), for the raw-undici
 * baselines to post again and again.
 */
export function signedImagesBody(account: BenchAccount, page: { Offset: number; Limit: number } = IMAGES_PAGE): string {
  const flat = flattenParams({
    Region: account.region,
    Zone: account.zone,
    ...page,
    Action: "DescribeCompShareImages",
  });
  flat.PublicKey = account.publicKey;
  const signature = signParams(flat, account.publicKey, account.privateKey);
  return new URLSearchParams({ ...flat, Signature: signature }).toString();
}

/** What a server answers to one form POST, as text. */
export async function postForm(url: string, body: string): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body,
  });
  return response.text();
}
