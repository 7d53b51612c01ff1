/** The store's public face: what the rest of the bot imports. */

export { APPROVAL_ID_PATTERN } from "./approval-id.ts";
export { assertSafeAuditDetail } from "./audit-log.ts";
export {
  ApprovalNotFoundError,
  CredentialDecryptError,
  InvalidStoreInputError,
  InvalidTransitionError,
  MigrationError,
  StoreClosedError,
  StoreConfigError,
  StoreError,
  StoreQueryError,
  StoreUnavailableError,
} from "./errors.ts";
export { type OpenStoreOptions, openStore } from "./open-store.ts";
export { canMove, FINISHED_REQUEST_STATUSES } from "./request-transitions.ts";
export type * from "./types.ts";
