/** What the simulator can do to a request instead of (or before) answering it. */
export type Fault =
  | { kind: "latency"; ms: number }
  | ({ kind: "http"; status: 500 | 502 | 503 | 429 } & AfterAction)
  | { kind: "retcode"; retCode: number; message?: string }
  | ({ kind: "drop" } & AfterAction)
  | ({ kind: "malformed" } & AfterAction)
  /** Answered normally, but the operation the call starts ends in "Install Fail". */
  | { kind: "installFail" }
  /** Answered normally, then the instance named by UHostId is gone, as if deleted in the console. */
  | { kind: "deleteInstance" };

interface AfterAction {
  /**
   * Run the action first, then answer with the fault instead of its result: a write that took
   * effect although the client cannot tell (false by default: the action does not run).
   */
  afterAction?: boolean;
}

export interface FaultOptions {
  /** How many matching requests get the fault; every matching request until clear() when absent. */
  times?: number;
  /** Only requests for these actions match; every action when absent. */
  actions?: string[];
}

export class InvalidFaultError extends Error {
  readonly code = "SIMULATOR_INVALID_FAULT";
  constructor(message: string) {
    super(message);
    this.name = "InvalidFaultError";
  }
}

interface Armed {
  fault: Fault;
  remaining: number;
  actions: ReadonlySet<string> | undefined;
}

/**
 * Faults armed by tests. Each request takes at most one: the first armed fault that matches its
 * action, in the order they were injected.
 */
export class FaultInjector {
  #armed: Armed[] = [];

  inject(fault: Fault, options: FaultOptions = {}): void {
    const times = options.times ?? Number.POSITIVE_INFINITY;
    if (!(times >= 1) || (Number.isFinite(times) && !Number.isInteger(times))) {
      throw new InvalidFaultError(`times must be a positive integer, got ${options.times}`);
    }
    if (fault.kind === "latency" && !(fault.ms >= 0)) {
      throw new InvalidFaultError(`latency must be ≥ 0 ms, got ${fault.ms}`);
    }
    this.#armed.push({
      fault: { ...fault },
      remaining: times,
      actions: options.actions === undefined ? undefined : new Set(options.actions),
    });
  }

  clear(): void {
    this.#armed = [];
  }

  /** The fault this request gets, if any; counts it against its `times`. */
  take(action: string): Fault | undefined {
    const index = this.#armed.findIndex((armed) => armed.actions === undefined || armed.actions.has(action));
    const armed = this.#armed[index];
    if (armed === undefined) return undefined;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.#armed.splice(index, 1);
    return armed.fault;
  }
}
