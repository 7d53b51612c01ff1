import { type CommandSpec, commandUsage, usageError } from "./cli/args.ts";
import { type CliIo, createProcessIo } from "./cli/io.ts";
import { mainUsage } from "./cli/usage.ts";
import { BOT_VERSION } from "./version.ts";

/**
 * Composition root and the only place that decides the process's exit code. Each command
 * parses its own arguments and returns its exit code; long-running ones (start, simulator)
 * resolve when they have stopped.
 */

interface Command {
  spec: CommandSpec;
  run(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number>;
}

/**
 * Each command's module loads only when that command runs (or usage lists them all): `start`
 * never loads the simulator, nor doctor's full Bolt entry point.
 */
const COMMANDS: readonly { name: string; load: () => Promise<Command> }[] = [
  {
    name: "start",
    load: async () => {
      const { START_COMMAND, runStartCommand } = await import("./cli/start-command.ts");
      return { spec: START_COMMAND, run: (args, io, env) => runStartCommand(args, io, env) };
    },
  },
  {
    name: "simulator",
    load: async () => {
      const { SIMULATOR_COMMAND, runSimulatorCommand } = await import("./cli/simulator-command.ts");
      return { spec: SIMULATOR_COMMAND, run: (args, io, env) => runSimulatorCommand(args, io, env) };
    },
  },
  {
    name: "call",
    load: async () => {
      const { CALL_COMMAND, runCallCommand } = await import("./cli/call-command.ts");
      return { spec: CALL_COMMAND, run: (args, io, env) => runCallCommand(args, io, env) };
    },
  },
  {
    name: "doctor",
    load: async () => {
      const { DOCTOR_COMMAND, runDoctorCommand } = await import("./cli/doctor-command.ts");
      return { spec: DOCTOR_COMMAND, run: (args, io, env) => runDoctorCommand(args, io, env) };
    },
  },
  {
    name: "audit",
    load: async () => {
      const { AUDIT_COMMAND, runAuditCommand } = await import("./cli/audit-command.ts");
      return { spec: AUDIT_COMMAND, run: (args, io, env) => runAuditCommand(args, io, env) };
    },
  },
];

const usage = async () => mainUsage((await Promise.all(COMMANDS.map((c) => c.load()))).map((c) => c.spec));

async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [first = "start", ...rest] = argv;
  const fail = async (problem: string) => {
    io.err(usageError([problem], await usage()));
    return 2;
  };
  const print = (text: string) => {
    io.out(text);
    return 0;
  };
  if (first === "--version") return rest.length === 0 ? print(BOT_VERSION) : fail(`unexpected argument "${rest[0]}"`);
  if (first === "help" || first === "--help" || first === "-h") {
    const [topic, ...extra] = rest;
    if (topic === undefined) return print(await usage());
    const command = COMMANDS.find((c) => c.name === topic);
    if (!command) return fail(`unknown command "${topic}"`);
    return extra.length === 0
      ? print(commandUsage((await command.load()).spec))
      : fail(`unexpected argument "${extra[0]}"`);
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (command) return (await command.load()).run(rest, io, env);
  return fail(first.startsWith("-") ? `unknown option ${first}` : `unknown command "${first}"`);
}

process.exitCode = await main(process.argv.slice(2), process.env, createProcessIo());
