import type { Logger } from "../log.ts";
import { createAuditLog } from "./audit-log.ts";
import type { CredentialCipher } from "./credential-cipher.ts";
import { createCredentialStore } from "./credential-repository.ts";
import { createDeliveryLedger } from "./delivery-ledger.ts";
import { StoreConfigError } from "./errors.ts";
import { checkMigrated } from "./migrate.ts";
import { createOperationStore } from "./operation-repository.ts";
import type { SqlDriver } from "./sql-driver.ts";
import type { Store } from "./types.ts";

export interface SqlStoreDeps {
  cipher: CredentialCipher;
  clock: () => Date;
  logger: Logger;
}

/** The Store over either driver: the repositories hold the SQL, the driver the dialect. */
export function createSqlStore(db: SqlDriver, deps: SqlStoreDeps): Store {
  const now = checkedClock(deps.clock);
  let closed = false;
  return {
    driver: db.dialect,
    credentials: createCredentialStore(db, { cipher: deps.cipher, now, logger: deps.logger }),
    operations: createOperationStore(db, { now }),
    audit: createAuditLog(db, { now }),
    deliveries: createDeliveryLedger(db, { now }),
    async ready() {
      if (closed) return { ok: false, reason: "the store is closed" };
      try {
        return await checkMigrated(db);
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
    async close() {
      closed = true;
      await db.close();
    },
  };
}

/** Every stored time comes from the injected clock; a broken clock must not write garbage dates. */
export function checkedClock(clock: () => Date): () => Date {
  return () => {
    const now = clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new StoreConfigError("the store's clock returned an invalid date");
    }
    return now;
  };
}
