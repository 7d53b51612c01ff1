import { startBot } from "../bot.ts";
import { type Config, configSecrets, DEFAULT_PORT, formatProblems, parseConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { SlackConnectError } from "../slack/slack-connect-error.ts";
import { StoreError } from "../store/errors.ts";
import { BOT_VERSION } from "../version.ts";
import { answerWithoutRunning, type CommandSpec, parseCommand } from "./args.ts";
import type { CliIo } from "./io.ts";
import { describeSlackFailure } from "./slack-errors.ts";

export const START_COMMAND: CommandSpec<Record<string, never>> = {
  name: "start",
  maxPositionals: 0,
  options: {},
  summary: "run the Slack bot (the default)",
  details: `Runs the Slack bot until SIGTERM or SIGINT, then lets work in flight finish and exits 0.
Settings come from environment variables (README.md, "Configuration"), PORT (default ${DEFAULT_PORT}) among
them; \`compshare-bot doctor\` checks them.
Exit codes: 0 after a clean stop, 1 when it cannot start, 2 bad arguments.`,
};

export interface StartCommandDeps {
  /** Stops the bot when aborted; SIGTERM or SIGINT when absent. */
  stop?: AbortSignal;
}

/** `compshare-bot start`: runs the bot until told to stop, then drains and closes it. */
export async function runStartCommand(
  args: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  deps: StartCommandDeps = {},
): Promise<number> {
  const command = parseCommand(START_COMMAND, args);
  if (command.kind !== "run") return answerWithoutRunning(command, START_COMMAND, io, BOT_VERSION);
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    io.err(formatProblems(parsed.problems));
    return 1;
  }
  const config: Config = parsed.config;
  const { logger, scrubber } = createLogger({ level: config.logLevel });
  scrubber.add(...configSecrets(config));
  // Listening before starting: a signal during start-up stops the bot as soon as it is up.
  const stopRequested = stopSignal(deps.stop);
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
  const reason = await stopRequested;
  logger.info({ reason }, "shutting down: finishing work in flight");
  await bot.stop();
  logger.flush();
  return 0;
}

function describeStartupFailure(error: unknown, config: Config): string {
  if (error instanceof SlackConnectError) {
    return describeSlackFailure(error.cause, { token: error.token, method: error.method, apiUrl: config.slack.apiUrl });
  }
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") {
    const port = (error as { port?: unknown }).port;
    const which = port !== undefined && port === config.metricsPort ? "METRICS_PORT" : "PORT";
    return `${which} ${String(port ?? config.port)} is already in use; set ${which} to a free port.`;
  }
  if (error instanceof StoreError) return `${error.message}. Check DATABASE_URL (and CREDENTIALS_KEY for stored keys).`;
  return error instanceof Error ? error.message : String(error);
}

function stopSignal(abort: AbortSignal | undefined): Promise<string> {
  if (abort !== undefined) {
    return abort.aborted
      ? Promise.resolve("aborted")
      : new Promise((resolve) => abort.addEventListener("abort", () => resolve("aborted"), { once: true }));
  }
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve(signal);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
