import { pino } from "pino";
import { LOG_LEVELS, type LogLevelName } from "../config.ts";
import { createLogger, type Logger } from "../log.ts";
import { type Simulator, startSimulator } from "../simulator/simulator.ts";
import type { CliIo } from "./io.ts";

export const SIMULATOR_USAGE = `Usage: compshare-bot simulator [--port N] [--extra-images N]

Runs the CompShare API simulator with demo data on 127.0.0.1 until Ctrl+C.
  --port N           TCP port to listen on, 0-65535 (default 8787; 0 picks a free one)
  --extra-images N   add N numbered platform images to the demo catalogue, 0-100000 (default 0),
                     to try paging, search and pickers on a large catalogue`;

export const DEFAULT_SIMULATOR_PORT = 8787;
export const MAX_EXTRA_IMAGES = 100_000;
const HOST = "127.0.0.1";

export interface SimulatorCommandDeps {
  /** Stops the simulator when aborted; SIGINT or SIGTERM when absent. */
  stop?: AbortSignal;
  /** Receives one debug line per request; a stderr logger at LOG_LEVEL when absent. */
  logger?: Logger;
}

type ParsedArgs =
  | { kind: "run"; port: number; extraImages: number }
  | { kind: "help" }
  | { kind: "error"; problem: string };

const OPTIONS = {
  "--port": { max: 65_535, needs: "a port number from 0 to 65535" },
  "--extra-images": { max: MAX_EXTRA_IMAGES, needs: `a number of images from 0 to ${MAX_EXTRA_IMAGES}` },
} as const;
type OptionName = keyof typeof OPTIONS;

export function parseSimulatorArgs(args: readonly string[]): ParsedArgs {
  const values: Record<OptionName, number> = { "--port": DEFAULT_SIMULATOR_PORT, "--extra-images": 0 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg];
    if (!(name in OPTIONS)) return { kind: "error", problem: `Unknown option "${arg}".` };
    const option = OPTIONS[name as OptionName];
    const value = inline ?? args[++i];
    if (value === undefined || !/^\d{1,6}$/.test(value) || Number(value) > option.max) {
      return {
        kind: "error",
        problem: `${name} needs ${option.needs}, got ${value === undefined ? "nothing" : `"${value}"`}.`,
      };
    }
    values[name as OptionName] = Number(value);
  }
  return { kind: "run", port: values["--port"], extraImages: values["--extra-images"] };
}

/**
 * `compshare-bot simulator [--port N] [--extra-images N]`: runs the simulator until stopped, then closes it.
 * Exit codes: 0 after a clean stop, 1 when it cannot listen, 2 for bad arguments.
 */
export async function runSimulatorCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  deps: SimulatorCommandDeps = {},
): Promise<number> {
  const parsed = parseSimulatorArgs(args);
  if (parsed.kind === "help") {
    io.out(SIMULATOR_USAGE);
    return 0;
  }
  if (parsed.kind === "error") {
    io.err(`${parsed.problem}\n\n${SIMULATOR_USAGE}`);
    return 2;
  }
  const logger = deps.logger ?? stderrLogger(env);
  let sim: Simulator;
  try {
    sim = await startSimulator({ port: parsed.port, host: HOST, logger, extraImages: parsed.extraImages });
  } catch (error) {
    io.err(cannotListen(parsed.port, error));
    return 1;
  }
  const stopped = waitForStop(deps.stop);
  io.out(simulatorBanner(sim));
  await stopped;
  io.out("Stopping the simulator.");
  await sim.close();
  return 0;
}

/** What a person needs to use the simulator: where it is, the demo keys, and what to paste. */
export function simulatorBanner(sim: Pick<Simulator, "url" | "demoAccount">): string {
  const { url, demoAccount } = sim;
  return [
    `CompShare simulator listening on ${url}`,
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
