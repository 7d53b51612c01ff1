import { z } from "zod";
import { MAX_TARGETS, OPERATION_KINDS, type Operation, type Step } from "../domain/operations/api.ts";
import { newApprovalId } from "./approval-id.ts";
import { ApprovalNotFoundError, StoreQueryError } from "./errors.ts";
import { clampLimit, parseInput } from "./input-validation.ts";
import { toApproval, toOperation, toStep, toTarget } from "./operation-rows.ts";
import { assertMove, CLOSED_UNRUN, FINISHED_REQUEST_STATUSES } from "./request-transitions.ts";
import { toIso } from "./row-values.ts";
import type { Dialect, SqlDriver, SqlExecutor, SqlRow, SqlValue } from "./sql-driver.ts";
import type { OperationStore } from "./types.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const text = (max: number) => z.string().trim().min(1).max(max);
const targetInput = z.object({
  instanceId: text(128),
  name: text(256).optional(),
  gpu: text(128).optional(),
  stateBefore: text(64).optional(),
  imageBeforeId: text(128).optional(),
  imageBeforeName: text(256).optional(),
});
const newOperationInput = z.object({
  teamId: text(64),
  requesterId: text(64),
  kind: z.enum(OPERATION_KINDS),
  region: text(64),
  zone: text(64),
  projectId: text(128).optional(),
  // Empty where the policy does not require a reason (reason_required: false).
  reason: z.string().trim().max(3000),
  keyFingerprint: text(64),
  targets: z.array(targetInput).min(1).max(MAX_TARGETS),
  steps: z.array(z.object({ instanceId: text(128), action: z.object({ kind: z.string() }).loose() })).min(1),
  ttlMs: z
    .number()
    .int()
    .positive()
    .max(366 * 86_400_000),
  approvalsRequired: z.number().int().min(1).max(100).optional(),
  runAt: z.date().optional(),
});
const patchInput = z.object({
  decidedBy: text(64).optional(),
  note: z.string().max(3000).optional(),
  runAt: z.date().nullable().optional(),
});

const CLAIMABLE = "(status = 'pending' OR (status = 'running' AND (claimed_until IS NULL OR claimed_until < ?)))";

/**
 * Requests, their instances and their plans. Every move is one compare-and-set statement: the
 * request's status, and each step's own status and claim, so of any number of replicas exactly
 * one runs a step.
 */
/**
 * listPending's statement (exported for the index test). SQLite, having no statistics, would
 * rather seek the sweep's (status, expires_at) index and then sort every team's pending rows;
 * INDEXED BY makes it read the team's pending rows oldest first and stop at the limit (migration 6).
 */
export function pendingSql(dialect: Dialect, excludeRequester: boolean): string {
  const from =
    dialect === "sqlite" ? "operation_requests INDEXED BY operation_requests_pending_age" : "operation_requests";
  return `SELECT * FROM ${from} WHERE team_id = ? AND status = 'pending' AND expires_at > ?${excludeRequester ? " AND requester_id <> ?" : ""}
    ORDER BY created_at, seq LIMIT ?`;
}

const FINISHED = `status IN (${placeholders(FINISHED_REQUEST_STATUSES.length)}) AND finished_at IS NOT NULL`;
const NEWEST_FIRST = "ORDER BY finished_at DESC, seq DESC LIMIT ?";
const recentLeg = (column: "requester_id" | "decided_by") =>
  `SELECT * FROM (SELECT * FROM operation_requests WHERE team_id = ? AND ${column} = ? AND ${FINISHED} ${NEWEST_FIRST}) AS by_${column}`;
/**
 * A user's finished requests, as requester and as decider, each leg from its own index
 * (migration 6), merged; UNION keeps a request they both asked for and decided once.
 * Parameters: team, user, the finished statuses, the limit, twice, then the limit.
 */
export const RECENT_INVOLVING_SQL = `${recentLeg("requester_id")} UNION ${recentLeg("decided_by")} ${NEWEST_FIRST}`;

export function createOperationStore(db: SqlDriver, deps: { now: () => Date }): OperationStore {
  const { now } = deps;

  const load = async (q: SqlExecutor, rows: SqlRow[]): Promise<Operation[]> => {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => String(row.id));
    const marks = placeholders(ids.length);
    const [targets, steps, approvals] = await Promise.all([
      q.query(`SELECT * FROM operation_targets WHERE request_id IN (${marks}) ORDER BY request_id, position`, ids),
      q.query(`SELECT * FROM operation_steps WHERE request_id IN (${marks}) ORDER BY request_id, position`, ids),
      q.query(
        `SELECT * FROM operation_approvals WHERE request_id IN (${marks}) ORDER BY request_id, approved_at, approver_id`,
        ids,
      ),
    ]);
    const byRequest = <T>(list: SqlRow[], map: (row: SqlRow) => T) => {
      const grouped = new Map<string, T[]>();
      for (const row of list) {
        const key = String(row.request_id);
        const bucket = grouped.get(key) ?? [];
        bucket.push(map(row));
        grouped.set(key, bucket);
      }
      return grouped;
    };
    const targetsOf = byRequest(targets, toTarget);
    const stepsOf = byRequest(steps, toStep);
    const approvalsOf = byRequest(approvals, toApproval);
    return rows.map((row) =>
      toOperation(
        row,
        targetsOf.get(String(row.id)) ?? [],
        stepsOf.get(String(row.id)) ?? [],
        approvalsOf.get(String(row.id)) ?? [],
      ),
    );
  };

  const get = async (id: string, q: SqlExecutor = db): Promise<Operation | undefined> => {
    const rows = await q.query("SELECT * FROM operation_requests WHERE id = ?", [id]);
    return (await load(q, rows))[0];
  };

  const oneStep = (rows: SqlRow[]): Step | undefined => (rows[0] === undefined ? undefined : toStep(rows[0]));

  return {
    async create(input) {
      const r = parseInput(newOperationInput, input, "operation request");
      const created = now();
      const at = toIso(created);
      const id = newApprovalId();
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO operation_requests (id, team_id, kind, requester_id, region, zone, project_id, reason,
             key_fingerprint, status, created_at, updated_at, expires_at, run_at,
             approvals_required)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
          [
            id,
            r.teamId,
            r.kind,
            r.requesterId,
            r.region,
            r.zone,
            r.projectId ?? null,
            r.reason,
            r.keyFingerprint,
            at,
            at,
            toIso(new Date(created.getTime() + r.ttlMs)),
            r.runAt ? toIso(r.runAt) : null,
            r.approvalsRequired ?? 1,
          ],
        );
        for (const [position, t] of r.targets.entries()) {
          await tx.query(
            `INSERT INTO operation_targets (request_id, position, instance_id, instance_name, instance_gpu, state_before,
               image_before_id, image_before_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              id,
              position,
              t.instanceId,
              t.name ?? null,
              t.gpu ?? null,
              t.stateBefore ?? null,
              t.imageBeforeId ?? null,
              t.imageBeforeName ?? null,
            ],
          );
        }
        for (const [position, step] of input.steps.entries()) {
          await tx.query(
            `INSERT INTO operation_steps (request_id, position, instance_id, action, status, updated_at)
             VALUES (?, ?, ?, ?, 'pending', ?)`,
            [id, position, step.instanceId, JSON.stringify(step.action), at],
          );
        }
      });
      const operation = await get(id);
      if (!operation) throw new StoreQueryError("operation request vanished after insert");
      return operation;
    },

    get: (id) => get(id),

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
        `SELECT * FROM operation_requests WHERE team_id = ? AND requester_id = ?${filter}
         ORDER BY created_at DESC, seq DESC LIMIT ?`,
        params,
      );
      return load(db, rows);
    },

    async listPending(teamId, opts = {}) {
      const params: SqlValue[] = [teamId, toIso(now())];
      if (opts.excludeRequester !== undefined) params.push(opts.excludeRequester);
      params.push(clampLimit(opts.limit, DEFAULT_LIMIT, MAX_LIMIT));
      return load(db, await db.query(pendingSql(db.dialect, opts.excludeRequester !== undefined), params));
    },

    async listRecent(teamId, opts = {}) {
      const limit = clampLimit(opts.limit, DEFAULT_LIMIT, MAX_LIMIT);
      if (opts.involving === undefined) {
        const rows = await db.query(
          `SELECT * FROM operation_requests WHERE team_id = ? AND ${FINISHED} ${NEWEST_FIRST}`,
          [teamId, ...FINISHED_REQUEST_STATUSES, limit],
        );
        return load(db, rows);
      }
      const leg = [teamId, opts.involving, ...FINISHED_REQUEST_STATUSES, limit];
      return load(db, await db.query(RECENT_INVOLVING_SQL, [...leg, ...leg, limit]));
    },

    async transition(id, from, to, patch = {}) {
      assertMove(from, to, patch);
      const p = parseInput(patchInput, patch, "transition patch");
      const at = toIso(now());
      const sets = ["status = ?", "updated_at = ?", "finished_at = ?"];
      const values: SqlValue[] = [to, at, FINISHED_REQUEST_STATUSES.includes(to) ? at : null];
      // Cancelling a scheduled run is a decision too: who cancelled it replaces who approved (the audit keeps both).
      if (from === "pending" || (from === "approved" && to === "cancelled")) {
        sets.push("decided_by = ?", "decided_at = ?");
        values.push(p.decidedBy ?? null, at);
      }
      if (p.note !== undefined) {
        sets.push("note = ?");
        values.push(p.note);
      }
      if (p.runAt !== undefined) {
        sets.push("run_at = ?");
        values.push(p.runAt === null ? null : toIso(p.runAt));
      }
      // Leaving pending races the clock too: a decision needs time left, expiry needs none left;
      // and a scheduled plan starts only once its time has come.
      const deadline =
        from === "approved" && to === "executing"
          ? " AND (run_at IS NULL OR run_at <= ?)"
          : from !== "pending"
            ? ""
            : to === "expired"
              ? " AND expires_at <= ?"
              : " AND expires_at > ?";
      const where: SqlValue[] = deadline === "" ? [id, from] : [id, from, at];
      const moved = await db.transaction(async (tx) => {
        const rows = await tx.query(
          `UPDATE operation_requests SET ${sets.join(", ")} WHERE id = ? AND status = ?${deadline} RETURNING id`,
          [...values, ...where],
        );
        if (rows.length === 0) return false;
        if (CLOSED_UNRUN.includes(to)) await skipPending(tx, [id], at);
        return true;
      });
      const current = await get(id);
      if (moved && current) return { ok: true, operation: current };
      return { ok: false, current };
    },

    async setMessage(id, channelId, messageTs) {
      const rows = await db.query(
        "UPDATE operation_requests SET channel_id = ?, message_ts = ? WHERE id = ? RETURNING id",
        [channelId, messageTs, id],
      );
      if (rows.length === 0) throw new ApprovalNotFoundError(id);
    },

    async reschedule(id, runAt) {
      const rows = await db.query(
        "UPDATE operation_requests SET run_at = ?, updated_at = ? WHERE id = ? AND status = 'approved' RETURNING id",
        [runAt === null ? null : toIso(runAt), toIso(now()), id],
      );
      const current = await get(id);
      if (rows.length > 0 && current) return { ok: true, operation: current };
      return { ok: false, current };
    },

    async recordApproval(id, approverId) {
      const approver = parseInput(text(64), approverId, "approver id");
      // The primary key makes a second row for the same approver impossible, on any replica.
      const rows = await db.query(
        `INSERT INTO operation_approvals (request_id, approver_id, approved_at)
           SELECT id, ?, ? FROM operation_requests WHERE id = ? AND status = 'pending'
           ON CONFLICT (request_id, approver_id) DO NOTHING RETURNING request_id`,
        [approver, toIso(now()), id],
      );
      return rows.length > 0;
    },

    async claimStep(requestId, position, claim, lapsedBefore) {
      const at = toIso(now());
      const rows = await db.query(
        `UPDATE operation_steps SET status = 'running', claimed_by = ?, claimed_until = ?,
           started_at = COALESCE(started_at, ?), updated_at = ?
         WHERE request_id = ? AND position = ? AND ${CLAIMABLE}
           AND NOT EXISTS (SELECT 1 FROM operation_steps earlier WHERE earlier.request_id = operation_steps.request_id
             AND earlier.instance_id = operation_steps.instance_id AND earlier.position < operation_steps.position
             AND earlier.status <> 'done')
         RETURNING *`,
        [claim.owner, toIso(claim.until), at, at, requestId, position, toIso(lapsedBefore ?? now())],
      );
      return oneStep(rows);
    },

    async renewClaim(requestId, position, claim) {
      const rows = await db.query(
        `UPDATE operation_steps SET claimed_until = ? WHERE request_id = ? AND position = ? AND status = 'running'
           AND claimed_by = ? RETURNING position`,
        [toIso(claim.until), requestId, position, claim.owner],
      );
      return rows.length > 0;
    },

    async markSent(requestId, position, owner, sent) {
      const rows = await db.query(
        `UPDATE operation_steps SET sent = ?, attempts = attempts + ?, updated_at = ?
         WHERE request_id = ? AND position = ? AND status = 'running' AND claimed_by = ? RETURNING position`,
        [sent ? 1 : 0, sent ? 0 : 1, toIso(now()), requestId, position, owner],
      );
      return rows.length > 0;
    },

    async recordObservation(requestId, position, owner, result) {
      const rows = await db.query(
        `UPDATE operation_steps SET result = ?, updated_at = ?
         WHERE request_id = ? AND position = ? AND status = 'running' AND claimed_by = ? RETURNING *`,
        [JSON.stringify(result), toIso(now()), requestId, position, owner],
      );
      return oneStep(rows);
    },

    async finishStep(requestId, position, owner, status, result) {
      const at = toIso(now());
      const rows = await db.query(
        `UPDATE operation_steps SET status = ?, result = ?, sent = 0, claimed_by = NULL, claimed_until = NULL,
           finished_at = ?, updated_at = ?
         WHERE request_id = ? AND position = ? AND status = 'running' AND claimed_by = ? RETURNING *`,
        [status, JSON.stringify(result), at, at, requestId, position, owner],
      );
      return oneStep(rows);
    },

    async settleUnknownStep(requestId, position, status, result) {
      const at = toIso(now());
      const rows = await db.query(
        `UPDATE operation_steps SET status = ?, result = ?, finished_at = ?, updated_at = ?
         WHERE request_id = ? AND position = ? AND status = 'unknown' RETURNING *`,
        [status, JSON.stringify(result), at, at, requestId, position],
      );
      return oneStep(rows);
    },

    async skipRest(requestId, instanceId, position) {
      const rows = await db.query(
        `UPDATE operation_steps SET status = 'skipped', updated_at = ?
         WHERE request_id = ? AND instance_id = ? AND position > ? AND status = 'pending' RETURNING *`,
        [toIso(now()), requestId, instanceId, position],
      );
      return rows.map(toStep).sort((a, b) => a.position - b.position);
    },

    async expireDue(limit) {
      const at = toIso(now());
      return db.transaction(async (tx) => {
        // One statement is a compare-and-set on every row it touches: a decision that lands first keeps its row.
        const rows = await tx.query(
          `UPDATE operation_requests SET status = 'expired', updated_at = ?, decided_at = ?, finished_at = ?
           WHERE id IN (SELECT id FROM operation_requests WHERE status = 'pending' AND expires_at <= ?
                        ORDER BY expires_at LIMIT ?)
             AND status = 'pending' AND expires_at <= ?
           RETURNING *`,
          [at, at, at, at, limit, at],
        );
        await skipPending(
          tx,
          rows.map((row) => String(row.id)),
          at,
        );
        const expired = await load(tx, rows);
        return expired.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      });
    },

    async listResumable(limit, lapsedBefore) {
      const rows = await db.query(
        `SELECT id FROM operation_requests WHERE status IN ('approved', 'executing')
           AND (status = 'executing' OR run_at IS NULL OR run_at <= ?)
           AND NOT EXISTS (SELECT 1 FROM operation_steps s WHERE s.request_id = operation_requests.id
             AND s.status = 'running' AND s.claimed_until >= ?)
         ORDER BY seq LIMIT ?`,
        [toIso(now()), toIso(lapsedBefore ?? now()), limit],
      );
      return rows.map((row) => String(row.id));
    },

    async purgeFinished(before, limit) {
      const rows = await db.query(
        `DELETE FROM operation_requests WHERE id IN (SELECT id FROM operation_requests
           WHERE finished_at IS NOT NULL AND finished_at < ? ORDER BY finished_at LIMIT ?) RETURNING id`,
        [toIso(before), limit],
      );
      return rows.length;
    },
  };
}

async function skipPending(tx: SqlExecutor, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    `UPDATE operation_steps SET status = 'skipped', updated_at = ? WHERE request_id IN (${placeholders(ids.length)}) AND status = 'pending'`,
    [at, ...ids],
  );
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}
