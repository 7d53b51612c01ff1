import { createHash } from "node:crypto";

/**
 * The schema's history, oldest first. A released migration is frozen: never edit one, add the
 * next. test/store/migrations.test.ts pins every checksum, and opening a database whose applied
 * copy differs fails with MigrationError, so an edit cannot slip through.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

const STATUS_CHECK =
  "status IN ('pending', 'approved', 'executing', 'succeeded', 'failed', 'unknown', 'rejected', 'expired', 'cancelled')";

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  Object.freeze({
    version: 1,
    name: "2026-11-initial-schema",
    sqlite: `
CREATE TABLE credentials (
  team_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  key_id TEXT NOT NULL,
  nonce BLOB NOT NULL,
  private_key_sealed BLOB NOT NULL,
  region TEXT NOT NULL,
  zone TEXT NOT NULL,
  project_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
) STRICT;
CREATE INDEX credentials_key_id ON credentials (key_id);

CREATE TABLE approval_requests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  team_id TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  instance_name TEXT,
  instance_gpu TEXT,
  instance_state TEXT,
  image_id TEXT NOT NULL,
  image_name TEXT,
  image_type TEXT,
  region TEXT NOT NULL,
  zone TEXT NOT NULL,
  project_id TEXT,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (${STATUS_CHECK}),
  decided_by TEXT,
  decided_at TEXT,
  note TEXT,
  outcome_ret_code INTEGER,
  outcome_message TEXT,
  outcome_request_id TEXT,
  channel_id TEXT,
  message_ts TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX approval_requests_status ON approval_requests (team_id, status, expires_at);
CREATE INDEX approval_requests_requester ON approval_requests (team_id, requester_id, created_at);
CREATE INDEX approval_requests_decided ON approval_requests (team_id, decided_at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  team_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  result TEXT NOT NULL,
  detail TEXT
) STRICT;
CREATE INDEX audit_log_team_at ON audit_log (team_id, at);
CREATE INDEX audit_log_actor_at ON audit_log (team_id, actor_id, at);
`,
    postgres: `
CREATE TABLE credentials (
  team_id text NOT NULL,
  user_id text NOT NULL,
  public_key text NOT NULL,
  key_id text NOT NULL,
  nonce bytea NOT NULL,
  private_key_sealed bytea NOT NULL,
  region text NOT NULL,
  zone text NOT NULL,
  project_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX credentials_key_id ON credentials (key_id);

CREATE TABLE approval_requests (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  team_id text NOT NULL,
  requester_id text NOT NULL,
  instance_id text NOT NULL,
  instance_name text,
  instance_gpu text,
  instance_state text,
  image_id text NOT NULL,
  image_name text,
  image_type text,
  region text NOT NULL,
  zone text NOT NULL,
  project_id text,
  reason text NOT NULL,
  status text NOT NULL CHECK (${STATUS_CHECK}),
  decided_by text,
  decided_at timestamptz,
  note text,
  outcome_ret_code integer,
  outcome_message text,
  outcome_request_id text,
  channel_id text,
  message_ts text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX approval_requests_status ON approval_requests (team_id, status, expires_at);
CREATE INDEX approval_requests_requester ON approval_requests (team_id, requester_id, created_at);
CREATE INDEX approval_requests_decided ON approval_requests (team_id, decided_at);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  team_id text NOT NULL,
  actor_id text NOT NULL,
  action text NOT NULL,
  target text,
  result text NOT NULL,
  detail jsonb
);
CREATE INDEX audit_log_team_at ON audit_log (team_id, at);
CREATE INDEX audit_log_actor_at ON audit_log (team_id, actor_id, at);
`,
  }),
  // Version 2 is taken by another branch; numbers need only increase, so this one does not wait for it.
  Object.freeze({
    version: 3,
    name: "2026-12-slack-deliveries",
    sqlite: `
CREATE TABLE slack_deliveries (
  delivery_key TEXT PRIMARY KEY,
  claimed_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX slack_deliveries_expires ON slack_deliveries (expires_at);
`,
    postgres: `
CREATE TABLE slack_deliveries (
  delivery_key text PRIMARY KEY,
  claimed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX slack_deliveries_expires ON slack_deliveries (expires_at);
`,
  }),
]);

/** The bookkeeping table itself is not a migration: it must exist before any can be recorded. */
export const SCHEMA_MIGRATIONS_DDL = {
  sqlite:
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT",
  postgres:
    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)",
} as const;

export function migrationChecksum(migration: Migration): string {
  return createHash("sha256")
    .update(`${migration.version}\n${migration.name}\n${migration.sqlite}\n${migration.postgres}`)
    .digest("hex");
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}
