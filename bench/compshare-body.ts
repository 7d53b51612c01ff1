import { flattenParams } from "../src/compshare/params.ts";
import { signParams } from "../src/compshare/signature.ts";

export const IMAGES_PAGE = { Offset: 0, Limit: 10 } as const;

/**
 * One DescribeCompShareImages form body, signed once up front: what the client sends for the
 * first page of platform images (Region and Zone from the account, then the paging), for the
 * raw-undici baselines to post again and again.
 */
export function signedImagesBody(account: {
  publicKey: string;
  privateKey: string;
  region: string;
  zone: string;
}): string {
  const flat = flattenParams({
    Region: account.region,
    Zone: account.zone,
    ...IMAGES_PAGE,
    Action: "DescribeCompShareImages",
  });
  flat.PublicKey = account.publicKey;
  const signature = signParams(flat, account.publicKey, account.privateKey);
  return new URLSearchParams({ ...flat, Signature: signature }).toString();
}
