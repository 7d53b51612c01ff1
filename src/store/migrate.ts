import type { Logger } from "../log.ts";
import { MigrationError } from "./errors.ts";
import { latestVersion, MIGRATIONS, type Migration, migrationChecksum, SCHEMA_MIGRATIONS_DDL } from "./migrations.ts";
import { optionalNumber, toIso, toText } from "./row-values.ts";
import type { SqlDriver, SqlExecutor } from "./sql-driver.ts";
import type { Readiness } from "./types.ts";

interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies the pending migrations, each in its own transaction together with its
 * schema_migrations row, under the driver's migration lock. Returns the versions this call applied.
 */
export async function migrate(
  driver: SqlDriver,
  deps: { now: () => Date; logger: Logger; migrations?: readonly Migration[] },
): Promise<number[]> {
  const migrations = [...(deps.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  return driver.withMigrationLock(async (session) => {
    await session.script(SCHEMA_MIGRATIONS_DDL[driver.dialect]);
    const applied = await readApplied(session);
    verifyApplied(applied, migrations, deps.logger);
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      const ran = await session.transaction(async (tx) => {
        // SQLite has no lock around the whole run; re-check under this transaction's write lock.
        const already = await tx.query("SELECT 1 FROM schema_migrations WHERE version = ?", [migration.version]);
        if (already.length > 0) return false;
        await tx.script(migration[driver.dialect]);
        await tx.query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)", [
          migration.version,
          migration.name,
          migrationChecksum(migration),
          toIso(deps.now()),
        ]);
        return true;
      });
      if (ran) {
        deps.logger.info({ version: migration.version, name: migration.name }, "applied store migration");
        done.push(migration.version);
      }
    }
    return done;
  });
}

/** For /readyz: the database answers and holds every migration this code knows. */
export async function checkMigrated(
  db: SqlExecutor,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<Readiness> {
  const [row] = await db.query("SELECT MAX(version) AS version FROM schema_migrations");
  const current = optionalNumber(row?.version, "schema_migrations.version") ?? 0;
  const wanted = latestVersion(migrations);
  return current >= wanted
    ? { ok: true }
    : { ok: false, reason: `schema is at version ${current}, expected ${wanted}` };
}

async function readApplied(db: SqlExecutor): Promise<Map<number, AppliedMigration>> {
  const rows = await db.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  const applied = new Map<number, AppliedMigration>();
  for (const row of rows) {
    const version = optionalNumber(row.version, "schema_migrations.version") ?? 0;
    applied.set(version, {
      version,
      name: toText(row.name, "schema_migrations.name"),
      checksum: toText(row.checksum, "schema_migrations.checksum"),
    });
  }
  return applied;
}

/**
 * An applied migration that no longer matches the code means someone edited a released one:
 * refuse to run on a schema we cannot vouch for. Versions the code does not know come from a
 * newer release (a rollback, or a rolling deploy): additive migrations keep that safe, so warn.
 */
function verifyApplied(
  applied: ReadonlyMap<number, AppliedMigration>,
  migrations: readonly Migration[],
  logger: Logger,
): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied.values()) {
    const migration = known.get(row.version);
    if (migration === undefined) {
      logger.warn({ version: row.version, name: row.name }, "database has a migration this release does not know");
      continue;
    }
    if (row.name !== migration.name || row.checksum !== migrationChecksum(migration)) {
      throw new MigrationError(
        `migration ${row.version} (${row.name}) in the database differs from this release's copy; released migrations must never be edited`,
      );
    }
  }
}
