import { startBot } from "../../src/bot.ts";
import { parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";

/**
 * The bot as its own process, for tests that kill it (SIGKILL, no goodbye) and start another:
 * production wiring from the environment, plus the timings a test needs shorter, from
 * TEST_BOT_TUNING (JSON). Prints "LISTENING <port>" once it serves.
 */
interface Tuning {
  /** Longest sleep between the engine's polls (production backs off 2 s → 20 s). */
  pollCapMs?: number;
  claimMs?: number;
  sweepIntervalMs?: number;
  cardEditIntervalMs?: number;
}

const parsed = parseConfig(process.env);
if (!parsed.ok) {
  process.stderr.write(`bot-process: bad configuration ${JSON.stringify(parsed.problems)}\n`);
  process.exit(2);
}
const tuning = JSON.parse(process.env.TEST_BOT_TUNING ?? "{}") as Tuning;
const { logger, scrubber } = createLogger({ level: parsed.config.logLevel });
const cap = tuning.pollCapMs;
const bot = await startBot({
  config: parsed.config,
  logger,
  scrubber,
  port: 0,
  webClient: { retries: 0, timeoutMs: 5_000 },
  engine: {
    ...(cap !== undefined
      ? { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, cap))) }
      : {}),
    ...(tuning.claimMs !== undefined ? { claimMs: tuning.claimMs } : {}),
    ...(tuning.sweepIntervalMs !== undefined ? { sweepIntervalMs: tuning.sweepIntervalMs } : {}),
  },
  ...(tuning.cardEditIntervalMs !== undefined ? { cardEditIntervalMs: tuning.cardEditIntervalMs } : {}),
});
process.stdout.write(`LISTENING ${bot.port}\n`);
process.on("SIGTERM", () => {
  bot.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
