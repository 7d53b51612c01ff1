import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { CallEvent } from "../compshare/client.ts";

/**
 * Prometheus metrics for one bot instance, on a registry of its own so several instances (tests,
 * benchmarks) never share counters.
 */
export interface Metrics {
  readonly registry: Registry;
  commandFinished(subcommand: string, outcome: CommandOutcome): void;
  compshareCall(event: CallEvent): void;
  /** A promise rejected with nobody listening: a bug, survived by the last-resort handler in main.ts. */
  unhandledRejection(): void;
}

/** ok; user_error = the user's input or account needs fixing; upstream = CompShare or Slack failed; error = our bug. */
export type CommandOutcome = "ok" | "user_error" | "upstream" | "error";

/**
 * prom-client's default gauges whose names end in _total, which promtool's lint refuses for a
 * non-counter. Each has a twin without the suffix, labelled by type, whose sum is the same number.
 */
const GAUGES_NAMED_LIKE_COUNTERS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
] as const;

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    // No prefix: process_cpu_seconds_total, nodejs_heap_size_used_bytes … are the names stock Node.js dashboards query.
    collectDefaultMetrics({ register: registry });
    for (const name of GAUGES_NAMED_LIKE_COUNTERS) registry.removeSingleMetric(name);
  }
  const commands = new Counter({
    name: "compshare_bot_commands_total",
    help: "Slash commands and interactions handled, by subcommand and outcome.",
    labelNames: ["subcommand", "outcome"] as const,
    registers: [registry],
  });
  const calls = new Counter({
    name: "compshare_bot_compshare_calls_total",
    help: "CompShare API calls, by action, outcome and RetCode (after retries).",
    labelNames: ["action", "outcome", "retcode"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "compshare_bot_compshare_call_duration_seconds",
    help: "CompShare API call latency including retries, by action.",
    labelNames: ["action"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
    registers: [registry],
  });
  const unhandled = new Counter({
    name: "compshare_bot_unhandled_rejections_total",
    help: "Promise rejections nobody handled; each is a bug, logged, and the bot kept serving.",
    registers: [registry],
  });
  return {
    registry,
    unhandledRejection() {
      unhandled.inc();
    },
    commandFinished(subcommand, outcome) {
      commands.inc({ subcommand, outcome });
    },
    compshareCall(event) {
      const retcode = event.retCode !== undefined ? String(event.retCode) : event.outcome === "ok" ? "0" : "none";
      calls.inc({ action: event.action, outcome: event.outcome, retcode });
      latency.observe({ action: event.action }, event.durationMs / 1000);
    },
  };
}
