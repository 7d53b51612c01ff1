import { startBot } from "./bot.ts";
import { runCallCommand } from "./cli/call-command.ts";
import { runDoctorCommand } from "./cli/doctor-command.ts";
import { type CliIo, processIo } from "./cli/io.ts";
import { runSimulatorCommand } from "./cli/simulator-command.ts";
import { describeSlackFailure, isSlackClientError } from "./cli/slack-errors.ts";
import { USAGE } from "./cli/usage.ts";
import { type Config, configSecrets, formatProblems, parseConfig } from "./config.ts";
import { createLogger } from "./log.ts";
import { StoreError } from "./store/errors.ts";

/**
 * Composition root and the only place that decides the process's exit code. Each command
 * returns its exit code; long-running ones (start, simulator) resolve when they have stopped.
 */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [command = "start", ...rest] = argv;
  switch (command) {
    case "start":
      return start(env, io);
    case "simulator":
      return runSimulatorCommand(rest, io, env);
    case "call":
      return runCallCommand(rest, io, env);
    case "doctor":
      return runDoctorCommand(io, env);
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
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    io.err(formatProblems(parsed.problems));
    return 1;
  }
  const config: Config = parsed.config;
  const { logger, scrubber } = createLogger({ level: config.logLevel });
  scrubber.add(...configSecrets(config));
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  // Node exits on an unhandled rejection, dropping every request in flight. One stray promise
  // in a request's path (Bolt's receiver had one) must cost that request, not the process.
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled promise rejection; the bot keeps serving");
    bot?.services.metrics.unhandledRejection();
  });
  try {
    bot = await startBot({ config, logger, scrubber });
  } catch (error) {
    logger.fatal({ err: error }, "compshare-bot could not start");
    io.err(`compshare-bot could not start: ${scrubber.scrub(describeStartupFailure(error, config))}`);
    logger.flush();
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  logger.info({ signal }, "shutting down: finishing work in flight");
  await bot.stop();
  logger.flush();
  return 0;
}

function describeStartupFailure(error: unknown, config: Config): string {
  if (isSlackClientError(error)) return describeSlackFailure(error, config.slack.apiUrl);
  if ((error as { code?: unknown }).code === "EADDRINUSE")
    return `PORT ${config.port} is already in use; set PORT to a free port.`;
  if (error instanceof StoreError) return `${error.message}. Check DATABASE_URL (and CREDENTIALS_KEY for stored keys).`;
  return error instanceof Error ? error.message : String(error);
}

process.exitCode = await main(process.argv.slice(2), process.env, processIo);
