import { createHash } from "node:crypto";
import type { CompShareApi, CompShareClient } from "../compshare/client.ts";
import type { Store, StoredCredentials } from "../store/types.ts";

/** The user has not linked CompShare keys (or removed them); the fix is `/compshare login`. */
export class NotLinkedError extends Error {
  readonly code = "not_linked";
  constructor() {
    super("no CompShare keys are linked to this Slack user");
    this.name = "NotLinkedError";
  }
}

export interface LinkedAccount {
  credentials: StoredCredentials;
  client: CompShareClient;
  /** keyFingerprint of the public key: what a request records so a later key change is noticed. */
  fingerprint: string;
}

/** Names a public key without holding it: the first 16 hex digits of its SHA-256. */
export function keyFingerprint(publicKey: string): string {
  return createHash("sha256").update(publicKey, "utf8").digest("hex").slice(0, 16);
}

/** The user's own CompShare client, built from their stored keys; the private key stays in memory only. */
export async function accountFor(
  store: Store,
  api: CompShareApi,
  teamId: string,
  userId: string,
): Promise<LinkedAccount> {
  const credentials = await store.credentials.get(teamId, userId);
  if (!credentials) throw new NotLinkedError();
  const client = api.forAccount({
    publicKey: credentials.publicKey,
    privateKey: credentials.privateKey,
    region: credentials.region,
    zone: credentials.zone,
    ...(credentials.projectId ? { projectId: credentials.projectId } : {}),
  });
  return { credentials, client, fingerprint: keyFingerprint(credentials.publicKey) };
}
