import { z } from "zod";
import { newApprovalId } from "./approval-id.ts";
import {
  APPROVAL_STATUSES,
  assertTransition,
  FINISHED_STATUSES,
  isApprovalStatus,
  isDecision,
} from "./approval-transitions.ts";
import { ApprovalNotFoundError, StoreQueryError } from "./errors.ts";
import { clampLimit, parseInput } from "./input-validation.ts";
import { optionalDate, optionalNumber, optionalText, toDate, toIso, toText, withoutUndefined } from "./row-values.ts";
import type { SqlDriver, SqlRow, SqlValue } from "./sql-driver.ts";
import type { ApprovalOutcome, ApprovalRequest, ApprovalStore } from "./types.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** What a bot restart mid-approval leaves behind: the reinstall may or may not have happened. */
export const INTERRUPTED_NOTE =
  "The bot restarted while this approved reinstall was being carried out; whether CompShare ran it is unknown. Check the instance before retrying.";

const text = (max: number) => z.string().trim().min(1).max(max);
const newRequestInput = z.object({
  teamId: text(64),
  requesterId: text(64),
  instanceId: text(128),
  instanceName: text(256).optional(),
  instanceGpu: text(128).optional(),
  instanceState: text(64).optional(),
  imageId: text(128),
  imageName: text(256).optional(),
  imageType: text(64).optional(),
  region: text(64),
  zone: text(64),
  projectId: text(128).optional(),
  reason: text(3000),
  ttlMs: z
    .number()
    .int()
    .positive()
    .max(366 * 86_400_000),
});

const patchInput = z.object({
  decidedBy: text(64).optional(),
  note: z.string().max(3000).optional(),
  outcome: z
    .object({
      retCode: z.number().int().optional(),
      message: z.string().max(3000).optional(),
      requestId: z.string().max(256).optional(),
    })
    .optional(),
});

export function createApprovalStore(db: SqlDriver, deps: { now: () => Date }): ApprovalStore {
  const { now } = deps;

  const get = async (id: string): Promise<ApprovalRequest | undefined> => {
    const [row] = await db.query("SELECT * FROM approval_requests WHERE id = ?", [id]);
    return row === undefined ? undefined : toApproval(row);
  };

  return {
    async create(input) {
      const r = parseInput(newRequestInput, input, "approval request");
      const created = now();
      const at = toIso(created);
      const expires = toIso(new Date(created.getTime() + r.ttlMs));
      const [row] = await db.query(
        `INSERT INTO approval_requests (id, team_id, requester_id, instance_id, instance_name, instance_gpu, instance_state,
           image_id, image_name, image_type, region, zone, project_id, reason, status, created_at, updated_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING *`,
        [
          newApprovalId(),
          r.teamId,
          r.requesterId,
          r.instanceId,
          r.instanceName ?? null,
          r.instanceGpu ?? null,
          r.instanceState ?? null,
          r.imageId,
          r.imageName ?? null,
          r.imageType ?? null,
          r.region,
          r.zone,
          r.projectId ?? null,
          r.reason,
          at,
          at,
          expires,
        ],
      );
      return toApproval(row);
    },

    get,

    async listForRequester(teamId, requesterId, opts = {}) {
      const params: SqlValue[] = [teamId, requesterId];
      let filter = "";
      if (opts.statuses !== undefined) {
        if (opts.statuses.length === 0) return [];
        filter = ` AND status IN (${placeholders(opts.statuses.length)})`;
        params.push(...opts.statuses);
      }
      params.push(clampLimit(opts.limit, DEFAULT_LIMIT, MAX_LIMIT));
      const rows = await db.query(
        `SELECT * FROM approval_requests WHERE team_id = ? AND requester_id = ?${filter}
         ORDER BY created_at DESC, seq DESC LIMIT ?`,
        params,
      );
      return rows.map(toApproval);
    },

    async listPending(teamId, opts = {}) {
      const params: SqlValue[] = [teamId, toIso(now())];
      let filter = "";
      if (opts.excludeRequester !== undefined) {
        filter = " AND requester_id <> ?";
        params.push(opts.excludeRequester);
      }
      params.push(clampLimit(opts.limit, DEFAULT_LIMIT, MAX_LIMIT));
      const rows = await db.query(
        `SELECT * FROM approval_requests WHERE team_id = ? AND status = 'pending' AND expires_at > ?${filter}
         ORDER BY created_at, seq LIMIT ?`,
        params,
      );
      return rows.map(toApproval);
    },

    async listRecent(teamId, opts = {}) {
      const params: SqlValue[] = [teamId, ...FINISHED_STATUSES];
      let filter = "";
      if (opts.involving !== undefined) {
        filter = " AND (requester_id = ? OR decided_by = ?)";
        params.push(opts.involving, opts.involving);
      }
      params.push(clampLimit(opts.limit, DEFAULT_LIMIT, MAX_LIMIT));
      const rows = await db.query(
        `SELECT * FROM approval_requests WHERE team_id = ? AND status IN (${placeholders(FINISHED_STATUSES.length)})${filter}
         ORDER BY decided_at DESC, seq DESC LIMIT ?`,
        params,
      );
      return rows.map(toApproval);
    },

    async transition(id, from, to, patch = {}) {
      assertTransition(from, to, patch);
      const p = parseInput(patchInput, patch, "transition patch");
      const at = toIso(now());
      const sets = ["status = ?", "updated_at = ?"];
      const values: SqlValue[] = [to, at];
      if (isDecision(from)) {
        sets.push("decided_by = ?", "decided_at = ?");
        values.push(p.decidedBy ?? null, at);
      }
      if (p.note !== undefined) {
        sets.push("note = ?");
        values.push(p.note);
      }
      if (p.outcome !== undefined) {
        sets.push("outcome_ret_code = ?", "outcome_message = ?", "outcome_request_id = ?");
        values.push(p.outcome.retCode ?? null, p.outcome.message ?? null, p.outcome.requestId ?? null);
      }
      // Leaving pending races the clock too: a decision needs time left, expiry needs none left.
      const deadline = !isDecision(from) ? "" : to === "expired" ? " AND expires_at <= ?" : " AND expires_at > ?";
      const where: SqlValue[] = deadline === "" ? [id, from] : [id, from, at];
      const [row] = await db.query(
        `UPDATE approval_requests SET ${sets.join(", ")} WHERE id = ? AND status = ?${deadline} RETURNING *`,
        [...values, ...where],
      );
      if (row !== undefined) return { ok: true, request: toApproval(row) };
      return { ok: false, current: await get(id) };
    },

    async setMessage(id, channelId, messageTs) {
      const rows = await db.query(
        "UPDATE approval_requests SET channel_id = ?, message_ts = ? WHERE id = ? RETURNING id",
        [channelId, messageTs, id],
      );
      if (rows.length === 0) throw new ApprovalNotFoundError(id);
    },

    async expireDue() {
      const at = toIso(now());
      // One statement is a compare-and-set on every row it touches: a decision that lands first keeps its row.
      const rows = await db.query(
        `UPDATE approval_requests SET status = 'expired', updated_at = ?, decided_at = ?
         WHERE status = 'pending' AND expires_at <= ? RETURNING *`,
        [at, at, at],
      );
      return rows.map(toApproval).sort(byCreation);
    },

    async markInterrupted(opts = {}) {
      const at = toIso(now());
      const params: SqlValue[] = [INTERRUPTED_NOTE, at];
      let filter = "";
      if (opts.startedBefore !== undefined) {
        filter = " AND updated_at < ?";
        params.push(toIso(opts.startedBefore));
      }
      const rows = await db.query(
        `UPDATE approval_requests SET status = 'unknown', note = ?, updated_at = ? WHERE status IN ('approved', 'executing')${filter} RETURNING *`,
        params,
      );
      return rows.map(toApproval).sort(byCreation);
    },
  };
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

function byCreation(a: ApprovalRequest, b: ApprovalRequest): number {
  return a.createdAt.getTime() - b.createdAt.getTime();
}

function toApproval(row: SqlRow | undefined): ApprovalRequest {
  if (row === undefined) throw new StoreQueryError("approval_requests statement returned no row");
  const status = row.status;
  if (!isApprovalStatus(status)) {
    throw new StoreQueryError(
      `approval_requests.status holds ${String(status)}, not one of ${APPROVAL_STATUSES.join(", ")}`,
    );
  }
  const col = (name: string) => `approval_requests.${name}`;
  return withoutUndefined<ApprovalRequest>({
    id: toText(row.id, col("id")),
    teamId: toText(row.team_id, col("team_id")),
    requesterId: toText(row.requester_id, col("requester_id")),
    instanceId: toText(row.instance_id, col("instance_id")),
    instanceName: optionalText(row.instance_name, col("instance_name")),
    instanceGpu: optionalText(row.instance_gpu, col("instance_gpu")),
    instanceState: optionalText(row.instance_state, col("instance_state")),
    imageId: toText(row.image_id, col("image_id")),
    imageName: optionalText(row.image_name, col("image_name")),
    imageType: optionalText(row.image_type, col("image_type")),
    region: toText(row.region, col("region")),
    zone: toText(row.zone, col("zone")),
    projectId: optionalText(row.project_id, col("project_id")),
    reason: toText(row.reason, col("reason")),
    status,
    decidedBy: optionalText(row.decided_by, col("decided_by")),
    decidedAt: optionalDate(row.decided_at, col("decided_at")),
    note: optionalText(row.note, col("note")),
    outcome: outcomeOf(row),
    channelId: optionalText(row.channel_id, col("channel_id")),
    messageTs: optionalText(row.message_ts, col("message_ts")),
    createdAt: toDate(row.created_at, col("created_at")),
    updatedAt: toDate(row.updated_at, col("updated_at")),
    expiresAt: toDate(row.expires_at, col("expires_at")),
  });
}

function outcomeOf(row: SqlRow): ApprovalOutcome | undefined {
  const outcome = withoutUndefined<ApprovalOutcome>({
    retCode: optionalNumber(row.outcome_ret_code, "approval_requests.outcome_ret_code"),
    message: optionalText(row.outcome_message, "approval_requests.outcome_message"),
    requestId: optionalText(row.outcome_request_id, "approval_requests.outcome_request_id"),
  });
  return Object.keys(outcome).length === 0 ? undefined : outcome;
}
