import { type CliIo, processIo } from "./cli/io.ts";
import { USAGE } from "./cli/usage.ts";
import { ConfigError, loadConfig } from "./config.ts";

/**
 * Composition root and the only place that decides the process's exit code. Each command
 * returns its exit code; long-running ones (start, simulator) resolve when they have stopped.
 */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [command = "start"] = argv;
  switch (command) {
    case "start":
      return start(env, io);
    case "help":
    case "--help":
    case "-h":
      io.out(USAGE);
      return 0;
    default:
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function start(env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  io.err("The Slack app is not built yet.");
  return 1;
}

process.exitCode = await main(process.argv.slice(2), process.env, processIo);
