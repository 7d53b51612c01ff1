/**
 * The RetCodes DESIGN §3 lists. `key` is a stable contract: the Slack layer translates keys,
 * never numbers or the vendor's Message text, so a key once published must not change.
 */
export interface RetCodeInfo {
  readonly key: RetCodeKey;
  readonly summary: string;
  /** Transient on the server's side, so a read may be sent again. Writes never are. */
  readonly retryableForReads: boolean;
}

export const RETCODES = {
  // 110, 130 and 174 are in UCloud's public table (API docs, "快速开始 · 错误码说明") though not in DESIGN's list.
  110: { key: "GATEWAY_TIMEOUT", summary: "API response timeout (60 s)", retryableForReads: false },
  // The gateway or the authentication service failed before the action ran, so a read may be sent again.
  130: { key: "GATEWAY_ERROR", summary: "API gateway or authentication service error", retryableForReads: true },
  150: { key: "SERVICE_UNAVAILABLE", summary: "service unavailable", retryableForReads: true },
  153: { key: "RATE_LIMITED", summary: "rate limited", retryableForReads: true },
  160: { key: "MISSING_ACTION", summary: "missing Action", retryableForReads: false },
  161: { key: "UNKNOWN_ACTION", summary: "unknown Action", retryableForReads: false },
  170: { key: "MISSING_SIGNATURE", summary: "missing signature", retryableForReads: false },
  171: { key: "SIGNATURE_ERROR", summary: "signature error", retryableForReads: false },
  172: { key: "USER_NOT_FOUND", summary: "user does not exist", retryableForReads: false },
  174: { key: "TOKEN_NOT_FOUND", summary: "token does not exist", retryableForReads: false },
  // Not in DESIGN's list, but what the UCloud gateway answers for a missing or malformed param.
  230: { key: "INVALID_PARAMS", summary: "params not valid", retryableForReads: false },
  292: { key: "PROJECT_NOT_FOUND", summary: "project does not exist", retryableForReads: false },
  293: { key: "ZONE_PERMISSION_DENIED", summary: "no permission for this zone", retryableForReads: false },
  294: { key: "IP_DENIED", summary: "caller IP denied", retryableForReads: false },
  295: { key: "SECURITY_LOCKED", summary: "account security lock", retryableForReads: false },
  299: { key: "IAM_PERMISSION_DENIED", summary: "IAM permission denied", retryableForReads: false },
  8433: { key: "SERVICE_ERROR", summary: "service error", retryableForReads: false },
  226601: { key: "INSTANCE_IN_ARREARS", summary: "instance in arrears", retryableForReads: false },
  226602: { key: "INSTANCE_EXPIRED", summary: "instance expired", retryableForReads: false },
  226603: {
    key: "IMAGE_GPU_TYPE_UNSUPPORTED",
    summary: "image does not support this GPU type",
    retryableForReads: false,
  },
  226604: { key: "INSUFFICIENT_RESOURCES", summary: "not enough resources", retryableForReads: false },
  226605: { key: "IMAGE_UPDATE_IN_PROGRESS", summary: "an image update task exists", retryableForReads: false },
  226606: { key: "ACCOUNT_NOT_VERIFIED", summary: "account not verified", retryableForReads: false },
} as const satisfies Record<number, { key: string; summary: string; retryableForReads: boolean }>;

export type KnownRetCode = keyof typeof RETCODES;

/**
 * Every key an API error can carry: the table's, the per-instance operation lock (which has no
 * published number and is recognised by its Message text), and UNKNOWN for anything else.
 */
export type RetCodeKey = (typeof RETCODES)[KnownRetCode]["key"] | "INSTANCE_OPERATION_IN_PROGRESS" | "UNKNOWN";

export function retCodeInfo(code: number): RetCodeInfo | undefined {
  return Object.hasOwn(RETCODES, code) ? RETCODES[code as KnownRetCode] : undefined;
}

const OPERATION_LOCK_TEXT = "InstanceOperationInProgress";

export function isInstanceOperationInProgress(message: string): boolean {
  return message.includes(OPERATION_LOCK_TEXT);
}

/** The key to show for an error; the lock's Message wins because it is more specific than any number it arrives with. */
export function retCodeKey(code: number, message: string): RetCodeKey {
  if (isInstanceOperationInProgress(message)) return "INSTANCE_OPERATION_IN_PROGRESS";
  return retCodeInfo(code)?.key ?? "UNKNOWN";
}
