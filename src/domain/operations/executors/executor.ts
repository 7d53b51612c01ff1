import type { StepContext, Verdict } from "../step-context.ts";

export interface StepExecutor {
  /** Runs a step whose mutation has not been sent. */
  run(ctx: StepContext): Promise<Verdict>;
  /**
   * Settles a step whose mutation was sent and whose answer was lost (a restart, "check again")
   * from what CompShare shows now, until the context's deadline; never sends.
   */
  reconcile(ctx: StepContext): Promise<Verdict>;
}
