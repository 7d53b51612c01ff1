import { type CommandSpec, commandUsage, usageError } from "./cli/args.ts";
import { AUDIT_COMMAND, runAuditCommand } from "./cli/audit-command.ts";
import { CALL_COMMAND, runCallCommand } from "./cli/call-command.ts";
import { DOCTOR_COMMAND, runDoctorCommand } from "./cli/doctor-command.ts";
import { type CliIo, createProcessIo } from "./cli/io.ts";
import { runSimulatorCommand, SIMULATOR_COMMAND } from "./cli/simulator-command.ts";
import { runStartCommand, START_COMMAND } from "./cli/start-command.ts";
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

const COMMANDS: readonly Command[] = [
  { spec: START_COMMAND, run: (args, io, env) => runStartCommand(args, io, env) },
  { spec: SIMULATOR_COMMAND, run: (args, io, env) => runSimulatorCommand(args, io, env) },
  { spec: CALL_COMMAND, run: (args, io, env) => runCallCommand(args, io, env) },
  { spec: DOCTOR_COMMAND, run: (args, io, env) => runDoctorCommand(args, io, env) },
  { spec: AUDIT_COMMAND, run: (args, io, env) => runAuditCommand(args, io, env) },
];

const USAGE = mainUsage(COMMANDS.map((c) => c.spec));

async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [first = "start", ...rest] = argv;
  const fail = (problem: string) => {
    io.err(usageError([problem], USAGE));
    return 2;
  };
  const print = (text: string) => {
    io.out(text);
    return 0;
  };
  if (first === "--version") return rest.length === 0 ? print(BOT_VERSION) : fail(`unexpected argument "${rest[0]}"`);
  if (first === "help" || first === "--help" || first === "-h") {
    const [topic, ...extra] = rest;
    if (topic === undefined) return print(USAGE);
    const command = COMMANDS.find((c) => c.spec.name === topic);
    if (!command) return fail(`unknown command "${topic}"`);
    return extra.length === 0 ? print(commandUsage(command.spec)) : fail(`unexpected argument "${extra[0]}"`);
  }
  const command = COMMANDS.find((c) => c.spec.name === first);
  if (command) return command.run(rest, io, env);
  return fail(first.startsWith("-") ? `unknown option ${first}` : `unknown command "${first}"`);
}

process.exitCode = await main(process.argv.slice(2), process.env, createProcessIo());
