import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/slack/metrics.ts";
import { lint, parseExposition } from "./promlint.ts";

async function exposition(): Promise<string> {
  const metrics = createMetrics();
  metrics.commandFinished("images", "ok");
  metrics.compshareCall({ action: "DescribeCompShareImages", outcome: "ok", attempts: 1, durationMs: 42 });
  return metrics.registry.metrics();
}

describe("/metrics", () => {
  it("carries Node's process metrics under their standard names, without the app prefix", async () => {
    const text = await exposition();
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_heap_size_used_bytes"])
      expect(text).toMatch(new RegExp(`^${name} `, "m"));
    expect(text).toMatch(/^nodejs_active_handles\{type="/m);
    expect(text).not.toMatch(/^compshare_bot_(process|nodejs)_/m);
    expect(text).toMatch(/^compshare_bot_commands_total\{subcommand="images",outcome="ok"\} 1$/m);
  });

  it("passes promtool's lint: `promtool check metrics` where installed, and always the same rules re-stated", async () => {
    const text = await exposition();
    expect(lint(parseExposition(text))).toEqual([]);
    const promtool = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    if (promtool.error === undefined) expect(`${promtool.stdout}${promtool.stderr}`.trim()).toBe("");
  });

  it("the re-stated rules catch what promtool catches", () => {
    const problems = lint(
      parseExposition(
        [
          "# HELP a_total x",
          "# TYPE a_total gauge",
          "a_total 1",
          "# HELP b_requests x",
          "# TYPE b_requests counter",
          "b_requests 1",
          "# TYPE c_latency_ms gauge",
          "c_latency_ms 1",
          "# HELP d_duration_milliseconds x",
          "# TYPE d_duration_milliseconds histogram",
          'd_duration_milliseconds_bucket{le="+Inf"} 1',
          "# HELP e_fooBar x",
          "# TYPE e_fooBar gauge",
          'e_fooBar{someLabel="1"} 1',
        ].join("\n"),
      ),
    );
    expect(problems).toEqual([
      'a_total: non-counter metrics should not have "_total" suffix',
      'b_requests: counter metrics should have "_total" suffix',
      "c_latency_ms: no help text",
      "c_latency_ms: metric names should not contain abbreviated units",
      'd_duration_milliseconds: use base unit "seconds" instead of "milliseconds"',
      "e_fooBar: metric names should be written in 'snake_case' not 'camelCase'",
      "e_fooBar: label names should be written in 'snake_case' not 'camelCase'",
    ]);
  });
});
