import { startBot } from "./bot.ts";
import { type CliIo, processIo } from "./cli/io.ts";
import { USAGE } from "./cli/usage.ts";
import { type Config, configSecrets, formatProblems, parseConfig } from "./config.ts";
import { createLogger } from "./log.ts";

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
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    io.err(formatProblems(parsed.problems));
    return 1;
  }
  const config: Config = parsed.config;
  const { logger, scrubber } = createLogger({ level: config.logLevel });
  scrubber.add(...configSecrets(config));
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot({ config, logger, scrubber });
  } catch (error) {
    logger.fatal({ err: error }, "compshare-bot could not start");
    io.err(
      `compshare-bot could not start: ${error instanceof Error ? scrubber.scrub(error.message) : "unknown error"}`,
    );
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

process.exitCode = await main(process.argv.slice(2), process.env, processIo);
