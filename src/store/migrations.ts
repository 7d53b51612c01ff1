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

const KIND_CHECK = "kind IN ('reinstall', 'stop', 'start', 'reboot')";
const STEP_STATUS_CHECK = "status IN ('pending', 'running', 'done', 'failed', 'unknown', 'skipped')";
const V1_FINAL = "status IN ('succeeded', 'failed', 'unknown', 'rejected', 'expired', 'cancelled')";

/** A version 1 request's status, as the status of its one reinstall step. */
const V1_STEP_STATUS = `CASE status WHEN 'pending' THEN 'pending' WHEN 'approved' THEN 'pending'
    WHEN 'executing' THEN 'running' WHEN 'succeeded' THEN 'done' WHEN 'failed' THEN 'failed'
    WHEN 'unknown' THEN 'unknown' ELSE 'skipped' END`;

/** A version 1 outcome (RetCode, or a `bot:` code in the message) as a StepProblem. */
function V1_PROBLEM(object: "json_object" | "jsonb_build_object"): string {
  return `CASE
    WHEN outcome_ret_code IS NOT NULL THEN ${object}('code', 'refused', 'retCode', outcome_ret_code, 'message', COALESCE(outcome_message, ''))
    WHEN outcome_message = 'bot:keys_removed' THEN ${object}('code', 'keys_removed')
    WHEN outcome_message = 'bot:keys_unreadable' THEN ${object}('code', 'keys_unreadable')
    WHEN outcome_message = 'bot:not_sent' THEN ${object}('code', 'not_sent')
    WHEN outcome_message LIKE 'bot:http:%' THEN ${object}('code', 'http', 'status', CAST(substr(outcome_message, 10) AS integer))
    WHEN status = 'unknown' AND (outcome_message IS NULL OR outcome_message = 'bot:no_answer') THEN ${object}('code', 'no_evidence')
    WHEN status IN ('failed', 'unknown') THEN ${object}('code', 'internal')
  END`;
}

/**
 * What the Home tab reads, in the order it reads it, so a tab over 50,000 stored requests costs
 * about what one over 100 does: the team's pending requests oldest first (listPending stops after
 * its limit instead of sorting every pending row; it replaces (team_id, status, expires_at), which
 * only listPending read), and a user's finished requests newest first,
 * as requester and as decider (listRecent merges two short index walks instead of walking the
 * team's decisions).
 */
const HOME_INDEXES = `
DROP INDEX operation_requests_team_status;
CREATE INDEX operation_requests_pending_age ON operation_requests (team_id, status, created_at, seq);
CREATE INDEX operation_requests_recent_requester ON operation_requests (team_id, requester_id, finished_at, seq)
  WHERE finished_at IS NOT NULL;
CREATE INDEX operation_requests_recent_decider ON operation_requests (team_id, decided_by, finished_at, seq)
  WHERE finished_at IS NOT NULL;
`;

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
  Object.freeze({
    version: 2,
    name: "2026-12-operation-plans",
    sqlite: `
CREATE TABLE operation_requests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  team_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (${KIND_CHECK}),
  requester_id TEXT NOT NULL,
  region TEXT NOT NULL,
  zone TEXT NOT NULL,
  project_id TEXT,
  reason TEXT NOT NULL,
  key_fingerprint TEXT,
  status TEXT NOT NULL CHECK (${STATUS_CHECK}),
  decided_by TEXT,
  decided_at TEXT,
  note TEXT,
  channel_id TEXT,
  message_ts TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;
CREATE INDEX operation_requests_team_status ON operation_requests (team_id, status, expires_at);
CREATE INDEX operation_requests_requester ON operation_requests (team_id, requester_id, created_at);
CREATE INDEX operation_requests_decided ON operation_requests (team_id, decided_at);
CREATE INDEX operation_requests_sweep ON operation_requests (status, expires_at);
CREATE INDEX operation_requests_finished ON operation_requests (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE operation_targets (
  request_id TEXT NOT NULL REFERENCES operation_requests (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  instance_id TEXT NOT NULL,
  instance_name TEXT,
  instance_gpu TEXT,
  state_before TEXT,
  image_before_id TEXT,
  image_before_name TEXT,
  PRIMARY KEY (request_id, position)
) STRICT;

CREATE TABLE operation_steps (
  request_id TEXT NOT NULL REFERENCES operation_requests (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  instance_id TEXT NOT NULL,
  action TEXT NOT NULL,
  status TEXT NOT NULL CHECK (${STEP_STATUS_CHECK}),
  attempts INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0 CHECK (sent IN (0, 1)),
  claimed_by TEXT,
  claimed_until TEXT,
  result TEXT,
  started_at TEXT,
  finished_at TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (request_id, position)
) STRICT;
CREATE INDEX operation_steps_status ON operation_steps (status, claimed_until);

INSERT INTO operation_requests (id, team_id, kind, requester_id, region, zone, project_id, reason, status,
  decided_by, decided_at, note, channel_id, message_ts, created_at, updated_at, expires_at, finished_at)
SELECT id, team_id, 'reinstall', requester_id, region, zone, project_id, reason, status,
  decided_by, decided_at, note, channel_id, message_ts, created_at, updated_at, expires_at,
  CASE WHEN ${V1_FINAL} THEN updated_at END
FROM approval_requests ORDER BY seq;

INSERT INTO operation_targets (request_id, position, instance_id, instance_name, instance_gpu, state_before)
SELECT id, 0, instance_id, instance_name, instance_gpu, instance_state FROM approval_requests;

INSERT INTO operation_steps (request_id, position, instance_id, action, status, sent, result, started_at, finished_at, updated_at)
SELECT id, 0, instance_id,
  json_object('kind', 'reinstall', 'imageId', image_id, 'imageName', image_name),
  ${V1_STEP_STATUS},
  CASE WHEN status = 'executing' THEN 1 ELSE 0 END,
  CASE WHEN status IN ('succeeded', 'failed', 'unknown') THEN json_object('apiRequestId', outcome_request_id, 'problem', json(${V1_PROBLEM("json_object")})) END,
  CASE WHEN status IN ('executing', 'succeeded', 'failed', 'unknown') THEN COALESCE(decided_at, updated_at) END,
  CASE WHEN status IN ('succeeded', 'failed', 'unknown') THEN updated_at END,
  updated_at
FROM approval_requests;

DROP TABLE approval_requests;
`,
    postgres: `
CREATE TABLE operation_requests (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  team_id text NOT NULL,
  kind text NOT NULL CHECK (${KIND_CHECK}),
  requester_id text NOT NULL,
  region text NOT NULL,
  zone text NOT NULL,
  project_id text,
  reason text NOT NULL,
  key_fingerprint text,
  status text NOT NULL CHECK (${STATUS_CHECK}),
  decided_by text,
  decided_at timestamptz,
  note text,
  channel_id text,
  message_ts text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX operation_requests_team_status ON operation_requests (team_id, status, expires_at);
CREATE INDEX operation_requests_requester ON operation_requests (team_id, requester_id, created_at);
CREATE INDEX operation_requests_decided ON operation_requests (team_id, decided_at);
CREATE INDEX operation_requests_sweep ON operation_requests (status, expires_at);
CREATE INDEX operation_requests_finished ON operation_requests (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE operation_targets (
  request_id text NOT NULL REFERENCES operation_requests (id) ON DELETE CASCADE,
  position integer NOT NULL,
  instance_id text NOT NULL,
  instance_name text,
  instance_gpu text,
  state_before text,
  image_before_id text,
  image_before_name text,
  PRIMARY KEY (request_id, position)
);

CREATE TABLE operation_steps (
  request_id text NOT NULL REFERENCES operation_requests (id) ON DELETE CASCADE,
  position integer NOT NULL,
  instance_id text NOT NULL,
  action jsonb NOT NULL,
  status text NOT NULL CHECK (${STEP_STATUS_CHECK}),
  attempts integer NOT NULL DEFAULT 0,
  sent integer NOT NULL DEFAULT 0 CHECK (sent IN (0, 1)),
  claimed_by text,
  claimed_until timestamptz,
  result jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (request_id, position)
);
CREATE INDEX operation_steps_status ON operation_steps (status, claimed_until);

INSERT INTO operation_requests (id, team_id, kind, requester_id, region, zone, project_id, reason, status,
  decided_by, decided_at, note, channel_id, message_ts, created_at, updated_at, expires_at, finished_at)
SELECT id, team_id, 'reinstall', requester_id, region, zone, project_id, reason, status,
  decided_by, decided_at, note, channel_id, message_ts, created_at, updated_at, expires_at,
  CASE WHEN ${V1_FINAL} THEN updated_at END
FROM approval_requests ORDER BY seq;

INSERT INTO operation_targets (request_id, position, instance_id, instance_name, instance_gpu, state_before)
SELECT id, 0, instance_id, instance_name, instance_gpu, instance_state FROM approval_requests;

INSERT INTO operation_steps (request_id, position, instance_id, action, status, sent, result, started_at, finished_at, updated_at)
SELECT id, 0, instance_id,
  jsonb_strip_nulls(jsonb_build_object('kind', 'reinstall', 'imageId', image_id, 'imageName', image_name)),
  ${V1_STEP_STATUS},
  CASE WHEN status = 'executing' THEN 1 ELSE 0 END,
  CASE WHEN status IN ('succeeded', 'failed', 'unknown') THEN jsonb_strip_nulls(jsonb_build_object('apiRequestId', outcome_request_id, 'problem', ${V1_PROBLEM("jsonb_build_object")})) END,
  CASE WHEN status IN ('executing', 'succeeded', 'failed', 'unknown') THEN COALESCE(decided_at, updated_at) END,
  CASE WHEN status IN ('succeeded', 'failed', 'unknown') THEN updated_at END,
  updated_at
FROM approval_requests;

DROP TABLE approval_requests;
`,
  }),
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
  Object.freeze({
    version: 4,
    name: "2026-12-approval-quorum",
    // One row per (request, approver): a second click by the same approver cannot count twice, on any replica.
    sqlite: `
ALTER TABLE operation_requests ADD COLUMN approvals_required INTEGER NOT NULL DEFAULT 1;
CREATE TABLE operation_approvals (
  request_id TEXT NOT NULL REFERENCES operation_requests (id) ON DELETE CASCADE,
  approver_id TEXT NOT NULL,
  approved_at TEXT NOT NULL,
  PRIMARY KEY (request_id, approver_id)
) STRICT;
`,
    postgres: `
ALTER TABLE operation_requests ADD COLUMN approvals_required integer NOT NULL DEFAULT 1;
CREATE TABLE operation_approvals (
  request_id text NOT NULL REFERENCES operation_requests (id) ON DELETE CASCADE,
  approver_id text NOT NULL,
  approved_at timestamptz NOT NULL,
  PRIMARY KEY (request_id, approver_id)
);
`,
  }),
  Object.freeze({
    version: 5,
    name: "2026-12-scheduled-runs",
    // The time a request waits for: at creation the one asked for, from approval the one it runs at.
    // The sweep reads it beside status through operation_requests_sweep; no index of its own.
    sqlite: `
ALTER TABLE operation_requests ADD COLUMN run_at TEXT;
`,
    postgres: `
ALTER TABLE operation_requests ADD COLUMN run_at timestamptz;
`,
  }),
  Object.freeze({
    version: 6,
    name: "2026-12-home-request-indexes",
    sqlite: HOME_INDEXES,
    postgres: HOME_INDEXES,
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
