import type { CompShareClient } from "../../compshare/client.ts";
import { CredentialDecryptError } from "../../store/errors.ts";
import { NotLinkedError } from "../accounts.ts";
import type { Operation, Step, StepProblem, StepResult } from "./api.ts";
import type { EngineEnv } from "./engine-env.ts";
import { EXECUTORS } from "./executors/index.ts";
import { ClaimLostError, type StepContext, StepPausedError, type Verdict } from "./step-context.ts";

/**
 * Carries an approved request's plan forward: each instance's steps in order, each step claimed
 * by compare-and-set before it runs, so any number of engines may drive the same request and
 * every step still runs once. A failed step stops its instance (the rest skipped); an unknown
 * one stops it too but leaves the rest pending, for "check again" to carry on. When every
 * instance is finished or stopped, the request gets its final status.
 */
export interface PlanDriver {
  /** Resolves when this engine can do no more for the request now. */
  drive(requestId: string, opts?: { lapsedBefore?: Date }): Promise<void>;
  /** Requests this engine is driving. */
  readonly driving: ReadonlySet<string>;
  /** Re-reads unknown steps once; settles them when the evidence is there. */
  recheck(operation: Operation, actorId: string): Promise<void>;
}

export function createPlanDriver(env: EngineEnv): PlanDriver {
  const driving = new Set<string>();

  const drive = async (requestId: string, opts: { lapsedBefore?: Date } = {}) => {
    if (driving.has(requestId)) return;
    driving.add(requestId);
    try {
      let operation = await env.operations.get(requestId);
      if (operation?.status === "approved") {
        const moved = await env.operations.transition(requestId, "approved", "executing");
        if (moved.ok) {
          await env.audit(moved.operation, "system", "execute", "executing");
          await env.emit({ type: "request-moved", operation: moved.operation, cause: "executing" });
        }
        operation = moved.ok ? moved.operation : moved.current;
      }
      if (operation?.status !== "executing") return;
      const instances = [...new Set(operation.steps.map((step) => step.instanceId))];
      await Promise.all(instances.map((instanceId) => driveInstance(requestId, instanceId, opts.lapsedBefore)));
      if (!env.isStopping()) await finishIfSettled(requestId);
    } finally {
      driving.delete(requestId);
    }
  };

  const driveInstance = async (requestId: string, instanceId: string, lapsedBefore: Date | undefined) => {
    while (!env.isStopping()) {
      const operation = await env.operations.get(requestId);
      if (operation?.status !== "executing") return;
      const next = operation.steps.find((step) => step.instanceId === instanceId && step.status !== "done");
      if (!next || (next.status !== "pending" && next.status !== "running")) return;
      const claimed = await env.operations.claimStep(
        requestId,
        next.position,
        { owner: env.owner, until: new Date(env.clock() + env.claimMs) },
        lapsedBefore,
      );
      // Another engine holds it (or it moved on): that engine carries this instance on.
      if (!claimed) return;
      const status = await runStep({ ...operation, steps: replace(operation.steps, claimed) }, claimed);
      if (status === "lost" || status === "paused") return;
      // An unknown step keeps the rest pending: "check again" may find the evidence and go on.
      if (status === "failed") await env.operations.skipRest(requestId, instanceId, claimed.position);
      if (status !== "done") return;
    }
  };

  const runStep = async (operation: Operation, step: Step): Promise<Verdict["status"] | "lost" | "paused"> => {
    const log = env.logger.child({ approval: operation.id, instance: step.instanceId, step: step.position });
    await emitStep(operation.id, step);
    let sentHere = false;
    let verdict: Verdict;
    try {
      const client = await clientFor(operation);
      if ("problem" in client) {
        verdict = { status: "failed", result: { problem: client.problem } };
      } else {
        const ctx = stepContext(operation, step, client.client, log, () => {
          sentHere = true;
        });
        const executor = EXECUTORS[step.action.kind];
        if (step.sent) log.info({ action: step.action.kind }, "resuming a step whose write was in flight: reconciling");
        verdict = step.sent ? await executor.reconcile(ctx) : await executor.run(ctx);
      }
    } catch (error) {
      if (error instanceof ClaimLostError) {
        log.warn("another engine took this step over");
        return "lost";
      }
      if (error instanceof StepPausedError) {
        // Let go at once, so another replica need not wait for the claim to lapse.
        await env.operations.renewClaim(operation.id, step.position, {
          owner: env.owner,
          until: new Date(env.clock() - 1),
        });
        return "paused";
      }
      log.error({ err: error }, "a step failed inside the bot");
      // After a send nothing the bot did wrong proves CompShare did nothing.
      verdict = {
        status: sentHere || step.sent ? "unknown" : "failed",
        result: { problem: { code: "internal" } },
      };
    }
    const finished = await env.operations.finishStep(operation.id, step.position, env.owner, verdict.status, {
      ...keptFrom(step.result),
      ...verdict.result,
    });
    if (!finished) return "lost";
    log.info(
      { action: step.action.kind, status: finished.status, problem: finished.result?.problem?.code },
      "step finished",
    );
    await env.audit(operation, "system", "step", finished.status, stepDetail(finished));
    await emitStep(operation.id, finished);
    return finished.status === "done" || finished.status === "failed" || finished.status === "unknown"
      ? finished.status
      : "lost";
  };

  const emitStep = async (requestId: string, step: Step) => {
    const operation = await env.operations.get(requestId);
    if (operation) await env.emit({ type: "step-changed", operation, step });
  };

  const stepContext = (
    operation: Operation,
    claimed: Step,
    client: CompShareClient,
    log: StepContext["log"],
    onSend: () => void,
  ): StepContext => {
    const step = claimed;
    const claim = () => ({ owner: env.owner, until: new Date(env.clock() + env.claimMs) });
    let lastSeen = JSON.stringify(step.result ?? {});
    return {
      operation,
      step,
      client,
      location: locationOf(operation),
      now: env.clock,
      sleep: env.sleep,
      deadlineAt: env.clock() + env.deadlines[step.action.kind],
      log,
      async keepClaim() {
        if (!(await env.operations.renewClaim(operation.id, step.position, claim()))) throw new ClaimLostError();
      },
      async beforeSend() {
        if (env.isStopping()) throw new StepPausedError();
        if (!(await env.operations.renewClaim(operation.id, step.position, claim()))) throw new ClaimLostError();
        if (!(await env.operations.markSent(operation.id, step.position, env.owner, true))) throw new ClaimLostError();
        onSend();
      },
      async refused() {
        await env.operations.markSent(operation.id, step.position, env.owner, false);
        step.attempts += 1;
      },
      async observe(result) {
        const merged = { ...keptFrom(step.result), ...result };
        const text = JSON.stringify(merged);
        if (text === lastSeen) return;
        lastSeen = text;
        step.result = merged;
        const recorded = await env.operations.recordObservation(operation.id, step.position, env.owner, merged);
        if (!recorded) throw new ClaimLostError();
        await emitStep(operation.id, recorded);
      },
    };
  };

  const clientFor = async (operation: Operation): Promise<{ client: CompShareClient } | { problem: StepProblem }> => {
    try {
      const account = await env.accountFor(operation.teamId, operation.requesterId);
      if (operation.keyFingerprint && account.fingerprint !== operation.keyFingerprint) {
        return { problem: { code: "keys_changed" } };
      }
      return { client: account.client };
    } catch (error) {
      if (error instanceof NotLinkedError) return { problem: { code: "keys_removed" } };
      if (error instanceof CredentialDecryptError) return { problem: { code: "keys_unreadable" } };
      throw error;
    }
  };

  const finishIfSettled = async (requestId: string) => {
    const operation = await env.operations.get(requestId);
    if (operation?.status !== "executing") return;
    if (!isSettled(operation)) return;
    const final = operation.steps.some((step) => step.status === "failed")
      ? "failed"
      : operation.steps.some((step) => step.status === "unknown")
        ? "unknown"
        : "succeeded";
    const moved = await env.operations.transition(requestId, "executing", final);
    if (!moved.ok) return;
    env.logger.info({ approval: requestId, status: final }, "plan finished");
    await env.audit(moved.operation, moved.operation.decidedBy ?? "system", "execute", final, {
      steps: operation.steps.length,
    });
    await env.emit({ type: "plan-finished", operation: moved.operation });
  };

  const recheck = async (operation: Operation, actorId: string) => {
    const client = await clientFor(operation);
    for (const step of operation.steps.filter((s) => s.status === "unknown")) {
      let verdict: Verdict;
      if ("problem" in client) {
        verdict = { status: "unknown", result: { ...step.result, problem: client.problem } };
      } else {
        const log = env.logger.child({ approval: operation.id, instance: step.instanceId, step: step.position });
        verdict = await EXECUTORS[step.action.kind].reconcile(checkContext(operation, step, client.client, log));
      }
      const settled = await env.operations.settleUnknownStep(operation.id, step.position, verdict.status, {
        ...keptFrom(step.result),
        ...verdict.result,
      });
      if (!settled) continue;
      await env.audit(operation, actorId, "check", settled.status, stepDetail(settled));
      if (settled.status === "failed") await env.operations.skipRest(operation.id, step.instanceId, step.position);
      await emitStep(operation.id, settled);
    }
  };

  /** A context for one look, with no claim to keep: "check again" reads, the store's CAS settles. */
  const checkContext = (
    operation: Operation,
    step: Step,
    client: CompShareClient,
    log: StepContext["log"],
  ): StepContext => ({
    operation,
    step,
    client,
    location: locationOf(operation),
    now: env.clock,
    sleep: env.sleep,
    deadlineAt: env.clock(),
    log,
    keepClaim: async () => {},
    beforeSend: async () => {
      throw new Error("check again never sends");
    },
    refused: async () => {},
    observe: async () => {},
  });

  return { drive, driving, recheck };
}

/** Every instance is finished or stopped at a failed or unknown step; nothing can move without a person. */
export function isSettled(operation: Operation): boolean {
  const instances = new Set(operation.steps.map((step) => step.instanceId));
  return [...instances].every((instanceId) => {
    const next = operation.steps.find((step) => step.instanceId === instanceId && step.status !== "done");
    return next === undefined || next.status === "failed" || next.status === "unknown" || next.status === "skipped";
  });
}

function replace(steps: Step[], step: Step): Step[] {
  return steps.map((s) => (s.position === step.position ? step : s));
}

/** What a step learnt before a restart that its verdict must not drop (a snapshot's image id). */
function keptFrom(result: StepResult | undefined): StepResult {
  return result?.createdImageId ? { createdImageId: result.createdImageId } : {};
}

function stepDetail(step: Step): Record<string, string | number | boolean | null> {
  const problem = step.result?.problem;
  return {
    step: step.position,
    instance: step.instanceId,
    action: step.action.kind,
    problem: problem?.code ?? null,
    retCode: problem?.code === "refused" ? problem.retCode : null,
    apiRequestId: step.result?.apiRequestId ?? null,
    reconciled: step.result?.reconciled ?? false,
  };
}

/** Where a request's calls go: its region and zone, and its project when it has one. */
function locationOf(operation: Operation): StepContext["location"] {
  return {
    Region: operation.region,
    Zone: operation.zone,
    ...(operation.projectId ? { ProjectId: operation.projectId } : {}),
  };
}
