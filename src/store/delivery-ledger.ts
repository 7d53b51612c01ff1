import { z } from "zod";
import { parseInput } from "./input-validation.ts";
import { toIso } from "./row-values.ts";
import type { SqlDriver } from "./sql-driver.ts";
import type { DeliveryLedger } from "./types.ts";

/** Keys are digests made by the caller (receiver-guard.ts), never a raw signature. */
const claimInput = z.object({ key: z.string().regex(/^[0-9a-f]{64}$/), ttlMs: z.number().int().positive() });

/**
 * Which Slack deliveries were taken already, in the database so every replica sees one ledger.
 * A claim is one INSERT that succeeds only for a new key or one whose claim has expired, so two
 * replicas racing on the same delivery cannot both win.
 */
export function createDeliveryLedger(db: SqlDriver, deps: { now: () => Date }): DeliveryLedger {
  return {
    async claim(key, ttlMs) {
      parseInput(claimInput, { key, ttlMs }, "delivery claim");
      const now = deps.now();
      const rows = await db.query(
        `INSERT INTO slack_deliveries (delivery_key, claimed_at, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (delivery_key) DO UPDATE SET claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
         WHERE slack_deliveries.expires_at <= ?
         RETURNING delivery_key`,
        [key, toIso(now), toIso(new Date(now.getTime() + ttlMs)), toIso(now)],
      );
      return rows.length === 1;
    },
    async release(key) {
      await db.query("DELETE FROM slack_deliveries WHERE delivery_key = ?", [key]);
    },
    async prune() {
      const rows = await db.query("DELETE FROM slack_deliveries WHERE expires_at <= ? RETURNING delivery_key", [
        toIso(deps.now()),
      ]);
      return rows.length;
    },
  };
}
