import { pino } from "pino";
import { LOG_LEVELS, type LogLevelName } from "../config.ts";
import { createLogger, type Logger } from "../log.ts";
import { DEFAULT_OP_SECONDS, type Simulator, startSimulator } from "../simulator/simulator.ts";
import { BOT_VERSION } from "../version.ts";
import {
  answerWithoutRunning,
  type CommandSpec,
  commandUsage,
  type OptionSpec,
  type ParsedCommand,
  parseCommand,
} from "./args.ts";
import type { CliIo } from "./io.ts";

export const DEFAULT_SIMULATOR_PORT = 8787;
/** An hour: anything longer is surely a typo, and the lock lets go after 10 minutes anyway. */
export const MAX_OP_SECONDS = 3600;
export const MAX_EXTRA_IMAGES = 100_000;
const HOST = "127.0.0.1";

/** The simulator's flags; a new flag is one entry here (parsing and usage follow). */
const SIMULATOR_OPTIONS = {
  port: {
    type: "string",
    valueName: "N",
    description: `TCP port to listen on, 0-65535 (default ${DEFAULT_SIMULATOR_PORT}; 0 picks a free one)`,
  },
  "op-seconds": {
    type: "string",
    valueName: "N",
    description: `how long each Stop, Start, Reboot, Reinstall and custom-image creation takes, 0-${MAX_OP_SECONDS}, decimals allowed (default ${DEFAULT_OP_SECONDS}; 0 makes them instant)`,
  },
  "extra-images": {
    type: "string",
    valueName: "N",
    description: `add N numbered platform images to the demo catalogue, 0-${MAX_EXTRA_IMAGES} (default 0), to try paging, search and pickers on a large catalogue`,
  },
} as const satisfies Record<string, OptionSpec>;

export const SIMULATOR_COMMAND: CommandSpec<typeof SIMULATOR_OPTIONS> = {
  name: "simulator",
  maxPositionals: 0,
  options: SIMULATOR_OPTIONS,
  summary: `run the CompShare API simulator with demo data on ${HOST} (default port ${DEFAULT_SIMULATOR_PORT})`,
  details: `Runs the CompShare API simulator with demo data on ${HOST} until Ctrl+C.`,
};

export const SIMULATOR_USAGE = commandUsage(SIMULATOR_COMMAND);

export interface SimulatorCommandDeps {
  /** Stops the simulator when aborted; SIGINT or SIGTERM when absent. */
  stop?: AbortSignal;
  /** Receives one debug line per request; a stderr logger at LOG_LEVEL when absent. */
  logger?: Logger;
}

type ParsedArgs =
  | { kind: "run"; port: number; opSeconds: number; extraImages: number }
  | Exclude<ParsedCommand<typeof SIMULATOR_OPTIONS>, { kind: "run" }>;

export function parseSimulatorArgs(args: readonly string[]): ParsedArgs {
  const parsed = parseCommand(SIMULATOR_COMMAND, args);
  if (parsed.kind !== "run") return parsed;
  const {
    port = String(DEFAULT_SIMULATOR_PORT),
    "op-seconds": opSeconds = String(DEFAULT_OP_SECONDS),
    "extra-images": extraImages = "0",
  } = parsed.values;
  const problems: string[] = [];
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
    problems.push(`--port needs a port number from 0 to 65535, got "${port}"`);
  }
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(opSeconds) || Number(opSeconds) > MAX_OP_SECONDS) {
    problems.push(`--op-seconds needs a number of seconds from 0 to ${MAX_OP_SECONDS}, got "${opSeconds}"`);
  }
  if (!/^\d{1,6}$/.test(extraImages) || Number(extraImages) > MAX_EXTRA_IMAGES) {
    problems.push(`--extra-images needs a number of images from 0 to ${MAX_EXTRA_IMAGES}, got "${extraImages}"`);
  }
  if (problems.length > 0) return { kind: "error", problems };
  return { kind: "run", port: Number(port), opSeconds: Number(opSeconds), extraImages: Number(extraImages) };
}

/**
 * `compshare-bot simulator [--port N] [--op-seconds N] [--extra-images N]`: runs the simulator until stopped, then closes it.
 * Exit codes: 0 after a clean stop, 1 when it cannot listen, 2 for bad arguments.
 */
export async function runSimulatorCommand(
  args: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  deps: SimulatorCommandDeps = {},
): Promise<number> {
  const parsed = parseSimulatorArgs(args);
  if (parsed.kind !== "run") return answerWithoutRunning(parsed, SIMULATOR_COMMAND, io, BOT_VERSION);
  const logger = deps.logger ?? stderrLogger(env);
  let sim: Simulator;
  try {
    sim = await startSimulator({
      port: parsed.port,
      host: HOST,
      logger,
      opSeconds: parsed.opSeconds,
      extraImages: parsed.extraImages,
    });
  } catch (error) {
    io.err(cannotListen(parsed.port, error));
    return 1;
  }
  const stopped = waitForStop(deps.stop);
  io.out(simulatorBanner(sim, parsed.opSeconds));
  await stopped;
  io.out("Stopping the simulator.");
  await sim.close();
  return 0;
}

/** What a person needs to use the simulator: where it is, the demo keys, and what to paste. */
export function simulatorBanner(sim: Pick<Simulator, "url" | "demoAccount">, opSeconds: number): string {
  const { url, demoAccount } = sim;
  return [
    `CompShare simulator listening on ${url}`,
    opSeconds === 0
      ? "Instance operations are instant (--op-seconds 0)."
      : `Each instance operation (stop, start, reboot, reinstall, custom image) takes ${opSeconds} s (--op-seconds N).`,
    "",
    `Demo account "${demoAccount.accountName}" (id ${demoAccount.accountId}); these keys open only this simulator:`,
    `  public key:  ${demoAccount.publicKey}`,
    `  private key: ${demoAccount.privateKey}`,
    "",
    "Point the CLI or the bot at it:",
    `  export COMPSHARE_API_URL=${url} COMPSHARE_PUBLIC_KEY=${demoAccount.publicKey} COMPSHARE_PRIVATE_KEY=${demoAccount.privateKey}`,
    "",
    "Then try:",
    "  compshare-bot call DescribeCompShareImages Region=cn-wlcb Limit=100",
    "",
    "Press Ctrl+C to stop.",
  ].join("\n");
}

function cannotListen(port: number, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") return `Port ${port} on ${HOST} is already in use. Choose another with --port N.`;
  if (code === "EACCES") return `Not allowed to listen on port ${port}. Choose a port above 1023 with --port N.`;
  return `The simulator could not start: ${error instanceof Error ? error.message : String(error)}`;
}

function stderrLogger(env: NodeJS.ProcessEnv): Logger {
  const wanted = env.LOG_LEVEL?.trim().toLowerCase();
  const level: LogLevelName = LOG_LEVELS.find((candidate) => candidate === wanted) ?? "info";
  // stderr, so the banner on stdout stays clean to read or parse.
  return createLogger({ level, destination: pino.destination({ dest: 2, sync: true }) }).logger;
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    return signal.aborted
      ? Promise.resolve()
      : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  }
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
