import { describe, expect, it } from "vitest";
import { type CommandSpec, commandUsage, parseCommand, synopsis } from "../../src/cli/args.ts";

const SPEC: CommandSpec<{
  port: { type: "string"; valueName: "N"; description: string };
  dry: { type: "boolean"; description: string };
}> = {
  name: "demo",
  arguments: "<thing>",
  maxPositionals: 1,
  options: {
    port: { type: "string", valueName: "N", description: "the port" },
    dry: { type: "boolean", description: "change nothing" },
  },
  summary: "a demo",
  details: "Does a demo.",
};

describe("parseCommand", () => {
  it("reads each declared flag and the positionals", () => {
    expect(parseCommand(SPEC, ["--port", "80", "x"])).toEqual({
      kind: "run",
      values: { port: "80", dry: undefined },
      positionals: ["x"],
    });
    expect(parseCommand(SPEC, ["--port=81", "--dry"])).toEqual({
      kind: "run",
      values: { port: "81", dry: true },
      positionals: [],
    });
  });

  it("names every problem at once", () => {
    expect(parseCommand(SPEC, ["--bogus", "-z", "--dry=yes", "a", "b", "--port"])).toEqual({
      kind: "error",
      problems: [
        "unknown option --bogus",
        "unknown option -z",
        "--dry takes no value",
        "--port needs a value",
        'unexpected argument "b"',
      ],
    });
  });

  it("lets --help and -h win over any problem, and answers --version", () => {
    expect(parseCommand(SPEC, ["--bogus", "-h"])).toEqual({ kind: "help" });
    expect(parseCommand(SPEC, ["--help", "a", "b"])).toEqual({ kind: "help" });
    expect(parseCommand(SPEC, ["--version"])).toEqual({ kind: "version" });
  });

  it("builds the synopsis and usage from the same spec, so a new flag shows up by itself", () => {
    expect(synopsis(SPEC)).toBe("demo [--port N] [--dry] <thing>");
    const usage = commandUsage(SPEC);
    expect(usage).toMatch(/^Usage: compshare-bot demo \[--port N\] \[--dry\] <thing>\n\nDoes a demo\.\n/);
    expect(usage).toContain("  --port N    the port");
    expect(usage).toContain("  -h, --help  show this message");
  });
});
