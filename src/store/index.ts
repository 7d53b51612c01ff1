/** The store's public face: what the rest of the bot imports. */

export { APPROVAL_ID_PATTERN } from "./approval-id.ts";
export { INTERRUPTED_NOTE } from "./approval-repository.ts";
export { APPROVAL_STATUSES, canTransition, FINISHED_STATUSES } from "./approval-transitions.ts";
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
export type * from "./types.ts";
