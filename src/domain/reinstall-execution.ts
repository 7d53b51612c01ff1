import type { CompShareClient } from "../compshare/client.ts";
import type { Logger } from "../log.ts";
import type { ApprovalRequest, ApprovalStore, AuditLog } from "../store/types.ts";
import {
  type ExecutionResult,
  isExpectedFailure,
  resultBeforeSending,
  resultOfCallError,
  succeeded,
} from "./reinstall-outcome.ts";

/**
 * Journey 5's approve path (DESIGN §5): pending → approved → executing → succeeded | failed |
 * unknown, each move a compare-and-set, so of any number of clicks on any number of replicas
 * exactly one reaches ReinstallCompShareInstance. The call is made once and never retried: a
 * timeout after sending is recorded as unknown, not guessed at.
 */

export interface ExecutionDeps {
  approvals: ApprovalStore;
  audit: AuditLog;
  logger: Logger;
  /** The requester's own client: the reinstall runs with the keys of the person who asked. */
  requesterClient(request: ApprovalRequest): Promise<CompShareClient>;
  /** Called once the request is executing, before the call; a failure here is logged and ignored. */
  onExecuting?(request: ApprovalRequest): Promise<void>;
}

export type ApproveResult =
  /** Someone else moved the request first (or it expired); `current` is what they left. */
  { kind: "lost"; current: ApprovalRequest | undefined } | { kind: "finished"; request: ApprovalRequest };

export async function approveAndReinstall(
  deps: ExecutionDeps,
  requestId: string,
  deciderId: string,
): Promise<ApproveResult> {
  const { approvals } = deps;
  const approved = await approvals.transition(requestId, "pending", "approved", { decidedBy: deciderId });
  if (!approved.ok) return { kind: "lost", current: approved.current };
  const executing = await approvals.transition(requestId, "approved", "executing");
  if (!executing.ok) return { kind: "lost", current: executing.current };
  const request = executing.request;
  const log = deps.logger.child({ approval: request.id, instance: request.instanceId });

  if (deps.onExecuting) {
    await deps.onExecuting(request).catch((error: unknown) => {
      log.warn({ err: error }, "could not show that the reinstall is running");
    });
  }
  const result = await runReinstall(deps, request, log);
  const finished = await approvals.transition(request.id, "executing", result.status, { outcome: result.outcome });
  // Only a replica's stale-execution sweep can move an executing request; its unknown then stands.
  const final = finished.ok ? finished.request : (finished.current ?? request);
  log.info(
    { status: final.status, retCode: result.outcome.retCode, requestId: result.outcome.requestId },
    "reinstall finished",
  );
  await deps.audit.append({
    teamId: request.teamId,
    actorId: deciderId,
    action: "reinstall.execute",
    target: request.instanceId,
    result: final.status,
    detail: {
      approval: request.id,
      requester: request.requesterId,
      image: request.imageId,
      retCode: result.outcome.retCode ?? null,
      apiRequestId: result.outcome.requestId ?? null,
    },
  });
  return { kind: "finished", request: final };
}

async function runReinstall(deps: ExecutionDeps, request: ApprovalRequest, log: Logger): Promise<ExecutionResult> {
  const unexpected = (error: unknown) => {
    if (!isExpectedFailure(error)) log.error({ err: error }, "reinstall step failed inside the bot");
  };
  let client: CompShareClient;
  try {
    client = await deps.requesterClient(request);
  } catch (error) {
    unexpected(error);
    return resultBeforeSending(error);
  }
  try {
    const answer = await client.reinstallInstance({
      Region: request.region,
      Zone: request.zone,
      ...(request.projectId ? { ProjectId: request.projectId } : {}),
      UHostId: request.instanceId,
      CompShareImageId: request.imageId,
    });
    return succeeded(answer.requestId);
  } catch (error) {
    unexpected(error);
    return resultOfCallError(error);
  }
}
