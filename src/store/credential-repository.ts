import { z } from "zod";
import type { Logger } from "../log.ts";
import type { CredentialCipher, CredentialOwner } from "./credential-cipher.ts";
import { parseInput } from "./input-validation.ts";
import { optionalText, toBytes, toDate, toIso, toText, withoutUndefined } from "./row-values.ts";
import type { SqlDriver, SqlRow } from "./sql-driver.ts";
import type { CredentialStore, StoredCredentials } from "./types.ts";

const slackId = z.string().trim().min(1).max(64);
const credentialsInput = z.object({
  teamId: slackId,
  userId: slackId,
  publicKey: z.string().min(1).max(512),
  privateKey: z.string().min(1).max(512),
  region: z.string().trim().min(1).max(64),
  zone: z.string().trim().min(1).max(64),
  projectId: z.string().trim().min(1).max(128).optional(),
});

const COLUMNS =
  "team_id, user_id, public_key, key_id, nonce, private_key_sealed, region, zone, project_id, created_at, updated_at";

export function createCredentialStore(
  db: SqlDriver,
  deps: { cipher: CredentialCipher; now: () => Date; logger: Logger },
): CredentialStore {
  const { cipher, now, logger } = deps;

  return {
    async upsert(input) {
      const c = parseInput(credentialsInput, input, "credentials");
      const owner = { teamId: c.teamId, userId: c.userId };
      const secret = cipher.seal(c.privateKey, owner);
      const at = toIso(now());
      const [row] = await db.query(
        `INSERT INTO credentials (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (team_id, user_id) DO UPDATE SET
           public_key = excluded.public_key, key_id = excluded.key_id, nonce = excluded.nonce,
           private_key_sealed = excluded.private_key_sealed, region = excluded.region, zone = excluded.zone,
           project_id = excluded.project_id, updated_at = excluded.updated_at
         RETURNING created_at, updated_at`,
        [
          c.teamId,
          c.userId,
          c.publicKey,
          secret.keyId,
          secret.nonce,
          secret.sealed,
          c.region,
          c.zone,
          c.projectId ?? null,
          at,
          at,
        ],
      );
      return withoutUndefined({
        ...c,
        createdAt: toDate(row?.created_at, "credentials.created_at"),
        updatedAt: toDate(row?.updated_at, "credentials.updated_at"),
      });
    },

    async get(teamId, userId) {
      const [row] = await db.query(`SELECT ${COLUMNS} FROM credentials WHERE team_id = ? AND user_id = ?`, [
        teamId,
        userId,
      ]);
      if (row === undefined) return undefined;
      return toCredentials(row, cipher.open(sealedOf(row), { teamId, userId }));
    },

    async delete(teamId, userId) {
      const rows = await db.query("DELETE FROM credentials WHERE team_id = ? AND user_id = ? RETURNING user_id", [
        teamId,
        userId,
      ]);
      return rows.length > 0;
    },

    async rotate() {
      const reencrypted = await db.transaction(async (tx) => {
        const rows = await tx.query(
          "SELECT team_id, user_id, key_id, nonce, private_key_sealed FROM credentials WHERE key_id <> ? ORDER BY team_id, user_id",
          [cipher.primaryKeyId],
        );
        let count = 0;
        for (const row of rows) {
          const owner = ownerOf(row);
          const previous = sealedOf(row);
          const next = cipher.seal(cipher.open(previous, owner), owner);
          // Compare-and-set on the nonce: a login that replaced the record meanwhile wins.
          const updated = await tx.query(
            `UPDATE credentials SET key_id = ?, nonce = ?, private_key_sealed = ?
             WHERE team_id = ? AND user_id = ? AND nonce = ? RETURNING user_id`,
            [next.keyId, next.nonce, next.sealed, owner.teamId, owner.userId, previous.nonce],
          );
          count += updated.length;
        }
        return count;
      });
      if (reencrypted > 0) logger.info({ reencrypted, keyId: cipher.primaryKeyId }, "re-encrypted stored credentials");
      return { reencrypted };
    },
  };
}

function ownerOf(row: SqlRow): CredentialOwner {
  return { teamId: toText(row.team_id, "credentials.team_id"), userId: toText(row.user_id, "credentials.user_id") };
}

function sealedOf(row: SqlRow) {
  return {
    keyId: toText(row.key_id, "credentials.key_id"),
    nonce: toBytes(row.nonce, "credentials.nonce"),
    sealed: toBytes(row.private_key_sealed, "credentials.private_key_sealed"),
  };
}

function toCredentials(row: SqlRow, privateKey: string): StoredCredentials {
  return withoutUndefined({
    ...ownerOf(row),
    publicKey: toText(row.public_key, "credentials.public_key"),
    privateKey,
    region: toText(row.region, "credentials.region"),
    zone: toText(row.zone, "credentials.zone"),
    projectId: optionalText(row.project_id, "credentials.project_id"),
    createdAt: toDate(row.created_at, "credentials.created_at"),
    updatedAt: toDate(row.updated_at, "credentials.updated_at"),
  });
}
