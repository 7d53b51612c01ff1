import { parseArgs } from "node:util";

/**
 * Command-line parsing on node:util parseArgs, one spec per command. A spec is the single source
 * of a command's flags: parsing, the usage text and the synopsis in the command list all read it,
 * so adding a flag is one entry in `options`.
 */

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** The value's placeholder in usage, e.g. N for `--port N`. */
  readonly valueName?: string;
  readonly description: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  readonly name: string;
  /** Positional arguments as shown in usage, e.g. `<Action> [Key=Value ...]`. */
  readonly arguments?: string;
  /** How many positional arguments the command takes at most. */
  readonly maxPositionals: number;
  readonly options: O;
  /** One line for the command list. */
  readonly summary: string;
  /** What the command's own --help says after the usage line. */
  readonly details: string;
}

type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean;
};

export type ParsedCommand<O extends Record<string, OptionSpec>> =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "error"; problems: string[] }
  | { kind: "run"; values: Values<O>; positionals: string[] };

/** Every command takes these; they do nothing but print. */
const COMMON_OPTIONS: Readonly<Record<"help" | "version", OptionSpec>> = {
  help: { type: "boolean", short: "h", description: "show this message" },
  version: { type: "boolean", description: "print the version" },
};

/**
 * Parses one command's arguments. Unknown flags, flags missing their value and surplus
 * arguments are all collected, so one run names every problem. --help wins over any problem.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  args: readonly string[],
): ParsedCommand<O> {
  const known: Record<string, OptionSpec> = { ...spec.options, ...COMMON_OPTIONS };
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      Object.entries(known).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (values.help === true) return { kind: "help" };
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = known[token.name];
    if (option === undefined) problems.push(`unknown option ${token.rawName}`);
    else if (option.type === "string" && token.value === undefined) problems.push(`${token.rawName} needs a value`);
    else if (option.type === "boolean" && token.value !== undefined) problems.push(`${token.rawName} takes no value`);
  }
  for (const extra of positionals.slice(spec.maxPositionals)) problems.push(`unexpected argument "${extra}"`);
  if (problems.length > 0) return { kind: "error", problems };
  if (values.version === true) return { kind: "version" };
  const own: Record<string, string | boolean | undefined> = {};
  for (const name of Object.keys(spec.options)) own[name] = values[name];
  return { kind: "run", values: own as Values<O>, positionals };
}

/** `simulator [--port N]`: the command, its flags and its arguments, for usage lines. */
export function synopsis(spec: CommandSpec): string {
  const flags = Object.entries(spec.options).map(([name, o]) =>
    o.type === "string" ? `[--${name} ${o.valueName ?? "VALUE"}]` : `[--${name}]`,
  );
  return [spec.name, ...flags, ...(spec.arguments ? [spec.arguments] : [])].join(" ");
}

export function commandUsage(spec: CommandSpec): string {
  const options = [...Object.entries(spec.options), ...Object.entries(COMMON_OPTIONS)].map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...options.map(([flag]) => flag.length));
  return [
    `Usage: compshare-bot ${synopsis(spec)}`,
    "",
    spec.details,
    "",
    "Options:",
    ...options.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
  ].join("\n");
}

/** Exit code 2 and the problems, then the usage, on stderr. */
export function usageError(problems: readonly string[], usage: string): string {
  return `${problems.map((p) => `compshare-bot: ${p}`).join("\n")}\n\n${usage}`;
}

/** What every command does for --help, --version and bad arguments; the exit code. */
export function answerWithoutRunning(
  parsed: Exclude<ParsedCommand<Record<string, OptionSpec>>, { kind: "run" }>,
  spec: CommandSpec,
  io: { out(text: string): void; err(text: string): void },
  version: string,
): number {
  switch (parsed.kind) {
    case "help":
      io.out(commandUsage(spec));
      return 0;
    case "version":
      io.out(version);
      return 0;
    case "error":
      io.err(usageError(parsed.problems, commandUsage(spec)));
      return 2;
  }
}
