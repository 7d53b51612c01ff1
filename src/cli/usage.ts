import { type CommandSpec, synopsis } from "./args.ts";

/** The top-level usage, built from each command's own spec so the two never disagree. */
export function mainUsage(commands: readonly CommandSpec[]): string {
  const rows: [string, string][] = [
    ...commands.map((spec): [string, string] => [synopsis(spec), spec.summary]),
    ["help [command]", "show this message, or one command's usage"],
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    "Usage: compshare-bot [command] [options]",
    "",
    "Commands:",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    "",
    "Options:",
    "  -h, --help  show usage; after a command, that command's usage",
    "  --version   print the version",
    "",
    "Configuration comes from environment variables; README.md lists them.",
  ].join("\n");
}
