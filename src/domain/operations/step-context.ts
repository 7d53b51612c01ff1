import type { CompShareClient } from "../../compshare/client.ts";
import {
  CompShareAbortedError,
  CompShareApiError,
  CompShareNetworkError,
  CompShareRequestError,
  CompShareTimeoutError,
} from "../../compshare/errors.ts";
import type { CompShareInstance } from "../../compshare/schemas.ts";
import type { Logger } from "../../log.ts";
import type { Operation, Step, StepProblem, StepResult } from "./api.ts";
import { nextPollDelay } from "./backoff.ts";
import type { Judgement } from "./evidence.ts";

/** What an executor gets to run one claimed step; everything with a side effect on the store goes through it. */
export interface StepContext {
  operation: Operation;
  step: Step;
  client: CompShareClient;
  location: { Region: string; Zone: string; ProjectId?: string };
  now(): number;
  /** Rejects with StepPausedError when the engine stops. */
  sleep(ms: number): Promise<void>;
  /** Past this (engine clock, ms) the step gives up. */
  deadlineAt: number;
  log: Logger;
  /** Extends this engine's claim on the step; throws ClaimLostError when another replica has it. */
  keepClaim(): Promise<void>;
  /** Records that the mutation is about to go out, so a restart reconciles instead of resending. */
  beforeSend(): Promise<void>;
  /** The mutation was definitely refused: nothing was done, and it may be tried again. */
  refused(): Promise<void>;
  /** Records what the step has seen so far; subscribers hear of it when it changed. */
  observe(result: StepResult): Promise<void>;
}

export interface Verdict {
  status: "done" | "failed" | "unknown";
  result: StepResult;
}

/** The step is no longer this engine's: another replica took it over after this one's claim lapsed. */
export class ClaimLostError extends Error {
  constructor() {
    super("the step's claim passed to another engine");
    this.name = "ClaimLostError";
  }
}

/** The engine is stopping; the step stays running and is resumed later, here or by another replica. */
export class StepPausedError extends Error {
  constructor() {
    super("the engine stopped while the step was running");
    this.name = "StepPausedError";
  }
}

export async function describeOne(ctx: StepContext): Promise<CompShareInstance | undefined> {
  const page = await ctx.client.describeInstances({ ...ctx.location, UHostIds: [ctx.step.instanceId] });
  return page.UHostSet.find((instance) => instance.UHostId === ctx.step.instanceId);
}

/**
 * Asks `judge` until it settles or the deadline passes, 2 s apart doubling to 20 s; always at
 * least once, so a check with its deadline now is one read. A read that fails is a look that
 * saw nothing: the next one may.
 */
export async function pollUntil(
  ctx: StepContext,
  judge: () => Promise<Judgement>,
  onDeadline: (lastState: string | undefined) => Verdict,
): Promise<Verdict> {
  let delay: number | undefined;
  let lastState: string | undefined;
  for (;;) {
    await ctx.keepClaim();
    let judgement: Judgement;
    try {
      judgement = await judge();
    } catch (error) {
      ctx.log.info({ err: error }, "a read for a step failed; looking again");
      judgement = { settled: false, ...(lastState !== undefined ? { lastState } : {}) };
    }
    if (judgement.settled !== false) return { status: judgement.settled, result: judgement.result };
    if (judgement.lastState !== undefined && judgement.lastState !== lastState) {
      lastState = judgement.lastState;
      await ctx.observe(judgement.seen ?? { observedState: lastState });
    }
    const left = ctx.deadlineAt - ctx.now();
    if (left <= 0) return onDeadline(lastState);
    delay = nextPollDelay(delay);
    await ctx.sleep(Math.min(delay, left));
  }
}

export type SendOutcome<T> = { kind: "accepted"; answer: T } | { kind: "settled"; verdict: Verdict };

/**
 * Sends a mutation once. InstanceOperationInProgress is a definite refusal (the lock of another
 * operation), so it is waited out and sent again within the deadline; any other RetCode stops
 * the step. Everything that does not prove the write was refused (a lost answer, any HTTP error,
 * an unreadable body) is settled from the instance's state by `reconcile`, never resent.
 */
export async function sendOnce<T extends { requestId?: string | undefined }>(
  ctx: StepContext,
  send: () => Promise<T>,
  reconcile: () => Promise<Verdict>,
): Promise<SendOutcome<T>> {
  let delay: number | undefined;
  for (;;) {
    await ctx.beforeSend();
    let failure: unknown;
    try {
      return { kind: "accepted", answer: await send() };
    } catch (error) {
      failure = error;
    }
    const refusal = definiteRefusal(failure);
    if (refusal === undefined) {
      ctx.log.warn({ err: failure }, "a step's write has no known outcome; reconciling from the instance's state");
      return { kind: "settled", verdict: await reconcile() };
    }
    await ctx.refused();
    const apiRequestId = failure instanceof CompShareApiError ? failure.requestId : undefined;
    const failed: Verdict = {
      status: "failed",
      result: { problem: refusal, ...(apiRequestId ? { apiRequestId } : {}) },
    };
    if (!(failure instanceof CompShareApiError && failure.isInstanceOperationInProgress)) {
      return { kind: "settled", verdict: failed };
    }
    delay = nextPollDelay(delay);
    if (ctx.now() + delay > ctx.deadlineAt) return { kind: "settled", verdict: failed };
    ctx.log.info({ attempt: ctx.step.attempts + 1 }, "instance busy with another operation; waiting to send again");
    await ctx.sleep(delay);
    await ctx.keepClaim();
  }
}

/** The problem when CompShare surely did nothing, undefined when it may have acted. */
export function definiteRefusal(error: unknown): StepProblem | undefined {
  if (error instanceof CompShareApiError) {
    return { code: "refused", retCode: error.retCode, message: error.apiMessage };
  }
  if (error instanceof CompShareRequestError) return { code: "not_sent" };
  if (
    (error instanceof CompShareNetworkError ||
      error instanceof CompShareTimeoutError ||
      error instanceof CompShareAbortedError) &&
    !error.requestSent
  ) {
    return { code: "not_sent" };
  }
  return undefined;
}

export function noEvidence(lastState: string | undefined): Verdict {
  return {
    status: "unknown",
    result: {
      problem: { code: "no_evidence", ...(lastState ? { lastState } : {}) },
      ...(lastState !== undefined ? { observedState: lastState } : {}),
    },
  };
}
