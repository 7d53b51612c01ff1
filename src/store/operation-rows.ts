import { z } from "zod";
import {
  type Approval,
  OPERATION_KINDS,
  type Operation,
  STEP_STATUSES,
  type Step,
  type StepAction,
  type StepResult,
  type Target,
} from "../domain/operations/api.ts";
import { StoreQueryError } from "./errors.ts";
import { isRequestStatus } from "./request-transitions.ts";
import { optionalDate, optionalNumber, optionalText, toDate, toText, withoutUndefined } from "./row-values.ts";
import type { SqlRow } from "./sql-driver.ts";

/** Rows of operation_requests, operation_targets and operation_steps, read back into records. */

/** SQLite's json_object keeps nulls; a null is an absent field. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

const stepActionSchema: z.ZodType<StepAction, unknown> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("stop") }),
  z.object({ kind: z.literal("start") }),
  z.object({ kind: z.literal("reboot") }),
  z.object({ kind: z.literal("reinstall"), imageId: z.string(), imageName: optional(z.string()) }),
  z.object({ kind: z.literal("snapshot"), imageName: z.string() }),
  z.object({
    kind: z.literal("wait-for-state"),
    state: z.enum(["Stopped", "Running"]),
    imageId: optional(z.string()),
  }),
]) as z.ZodType<StepAction, unknown>;

const problemSchema = z.discriminatedUnion("code", [
  z.object({ code: z.literal("refused"), retCode: z.number(), message: z.string() }),
  z.object({ code: z.literal("http"), status: z.number() }),
  z.object({ code: z.literal("timed_out"), wanted: z.string(), lastState: optional(z.string()) }),
  z.object({ code: z.literal("instance_failed"), state: z.string() }),
  z.object({ code: z.literal("no_evidence"), lastState: optional(z.string()) }),
  z.object({
    code: z.enum([
      "not_sent",
      "instance_gone",
      "image_failed",
      "keys_removed",
      "keys_unreadable",
      "keys_changed",
      "internal",
    ]),
  }),
]);

const stepResultSchema = z.object({
  problem: optional(problemSchema),
  apiRequestId: optional(z.string()),
  observedState: optional(z.string()),
  observedImageId: optional(z.string()),
  observedImageName: optional(z.string()),
  createdImageId: optional(z.string()),
  progress: optional(z.number()),
  reconciled: optional(z.boolean()),
});

/** SQLite keeps JSON as text, PostgreSQL as jsonb (already parsed by pg). */
function json<T>(value: unknown, schema: z.ZodType<T, unknown>, column: string): T {
  let parsed: unknown;
  try {
    parsed = typeof value === "string" ? JSON.parse(value) : value;
  } catch (error) {
    throw new StoreQueryError(`${column} does not hold JSON`, { cause: error });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new StoreQueryError(`${column} does not hold what this release expects`);
  return result.data;
}

export function toStep(row: SqlRow): Step {
  const col = (name: string) => `operation_steps.${name}`;
  const status = row.status;
  if (!(STEP_STATUSES as readonly unknown[]).includes(status)) {
    throw new StoreQueryError(`operation_steps.status holds ${String(status)}`);
  }
  const result =
    row.result === null || row.result === undefined
      ? undefined
      : withoutUndefined(json(row.result, stepResultSchema, col("result")) as StepResult);
  return withoutUndefined<Step>({
    requestId: toText(row.request_id, col("request_id")),
    position: optionalNumber(row.position, col("position")) ?? 0,
    instanceId: toText(row.instance_id, col("instance_id")),
    action: withoutUndefined(json(row.action, stepActionSchema, col("action"))),
    status: status as Step["status"],
    attempts: optionalNumber(row.attempts, col("attempts")) ?? 0,
    sent: optionalNumber(row.sent, col("sent")) === 1,
    startedAt: optionalDate(row.started_at, col("started_at")),
    finishedAt: optionalDate(row.finished_at, col("finished_at")),
    updatedAt: toDate(row.updated_at, col("updated_at")),
    result,
  });
}

export function toTarget(row: SqlRow): Target {
  const col = (name: string) => `operation_targets.${name}`;
  return withoutUndefined<Target>({
    instanceId: toText(row.instance_id, col("instance_id")),
    name: optionalText(row.instance_name, col("instance_name")),
    gpu: optionalText(row.instance_gpu, col("instance_gpu")),
    stateBefore: optionalText(row.state_before, col("state_before")),
    imageBeforeId: optionalText(row.image_before_id, col("image_before_id")),
    imageBeforeName: optionalText(row.image_before_name, col("image_before_name")),
  });
}

export function toApproval(row: SqlRow): Approval {
  return {
    userId: toText(row.approver_id, "operation_approvals.approver_id"),
    at: toDate(row.approved_at, "operation_approvals.approved_at"),
  };
}

export function toOperation(row: SqlRow, targets: Target[], steps: Step[], approvals: Approval[] = []): Operation {
  const col = (name: string) => `operation_requests.${name}`;
  const status = row.status;
  if (!isRequestStatus(status)) throw new StoreQueryError(`operation_requests.status holds ${String(status)}`);
  const kind = row.kind;
  if (!(OPERATION_KINDS as readonly unknown[]).includes(kind)) {
    throw new StoreQueryError(`operation_requests.kind holds ${String(kind)}`);
  }
  return withoutUndefined<Operation>({
    id: toText(row.id, col("id")),
    teamId: toText(row.team_id, col("team_id")),
    kind: kind as Operation["kind"],
    requesterId: toText(row.requester_id, col("requester_id")),
    region: toText(row.region, col("region")),
    zone: toText(row.zone, col("zone")),
    projectId: optionalText(row.project_id, col("project_id")),
    reason: toText(row.reason, col("reason")),
    keyFingerprint: optionalText(row.key_fingerprint, col("key_fingerprint")),
    status,
    decidedBy: optionalText(row.decided_by, col("decided_by")),
    decidedAt: optionalDate(row.decided_at, col("decided_at")),
    note: optionalText(row.note, col("note")),
    channelId: optionalText(row.channel_id, col("channel_id")),
    messageTs: optionalText(row.message_ts, col("message_ts")),
    createdAt: toDate(row.created_at, col("created_at")),
    updatedAt: toDate(row.updated_at, col("updated_at")),
    expiresAt: toDate(row.expires_at, col("expires_at")),
    finishedAt: optionalDate(row.finished_at, col("finished_at")),
    runAt: optionalDate(row.run_at, col("run_at")),
    approvalsRequired: optionalNumber(row.approvals_required, col("approvals_required")) ?? 1,
    approvals,
    targets,
    steps,
  });
}
