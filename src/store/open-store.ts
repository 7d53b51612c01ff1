import { pino } from "pino";
import type { Logger } from "../log.ts";
import { CredentialCipher } from "./credential-cipher.ts";
import { migrate } from "./migrate.ts";
import type { SqlDriver } from "./sql-driver.ts";
import { checkedClock, createSqlStore } from "./sql-store.ts";
import { openSqliteDriver } from "./sqlite-driver.ts";
import { parseStoreUrl } from "./store-url.ts";
import type { Store } from "./types.ts";

export interface OpenStoreOptions {
  /** DATABASE_URL; see store-url.ts for the forms accepted. */
  url: string;
  /** CREDENTIALS_KEY, decoded: the first encrypts, all decrypt. */
  keys: readonly Buffer[];
  clock?: () => Date;
  logger?: Logger;
  postgresPool?: { max?: number };
}

/** Opens the store named by the URL and applies pending migrations before returning it. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const cipher = new CredentialCipher(options.keys);
  const location = parseStoreUrl(options.url);
  const clock = options.clock ?? (() => new Date());
  const logger = (options.logger ?? pino({ level: "silent" })).child({ component: "store", driver: location.driver });
  // pg loads only for a PostgreSQL URL (10–24 ms and a few MB that SQLite deployments never use).
  const driver: SqlDriver =
    location.driver === "sqlite"
      ? openSqliteDriver({ path: location.path })
      : (await import("./postgres-driver.ts")).openPostgresDriver({
          connectionString: location.connectionString,
          target: location.target,
          logger,
          ...(location.schema === undefined ? {} : { schema: location.schema }),
          ...(options.postgresPool?.max === undefined ? {} : { max: options.postgresPool.max }),
        });
  try {
    await migrate(driver, { now: checkedClock(clock), logger });
  } catch (error) {
    await driver.close();
    throw error;
  }
  return createSqlStore(driver, { cipher, clock, logger });
}
