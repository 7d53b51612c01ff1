import type { Dispatcher } from "undici";
import { createCompShareApi } from "./compshare/client.ts";
import type { Config } from "./config.ts";
import type { Logger, SecretScrubber } from "./log.ts";
import { createSlackBot, PRODUCTION_WEB_CLIENT, type SlackBot, type WebClientPolicy } from "./slack/app.ts";
import { createLocaleResolver } from "./slack/i18n/locale-resolver.ts";
import { InFlight } from "./slack/in-flight.ts";
import { createMetrics } from "./slack/metrics.ts";
import type { BotServices } from "./slack/services.ts";
import { openStore } from "./store/open-store.ts";

export interface StartBotOptions {
  config: Config;
  logger: Logger;
  scrubber: SecretScrubber;
  clock?: () => number;
  /** The port to listen on; config.port when omitted (tests pass 0). */
  port?: number;
  webClient?: WebClientPolicy;
  compshareDispatcher?: Dispatcher;
  drainTimeoutMs?: number;
}

export interface RunningBot {
  readonly port: number;
  readonly services: BotServices;
  readonly slack: SlackBot;
  stop(): Promise<void>;
}

/**
 * Assembles the bot from its configuration: store (migrated), CompShare client, Slack app, and
 * starts listening. `stop` undoes it in reverse order. main.ts adds only process concerns.
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, logger, scrubber } = options;
  const clock = options.clock ?? Date.now;
  const metrics = createMetrics();
  const store = await openStore({
    url: config.databaseUrl,
    keys: config.credentialKeys,
    clock: () => new Date(clock()),
    logger,
  });
  const compshare = createCompShareApi({
    baseUrl: config.compshare.apiUrl,
    scrubber,
    logger,
    clock,
    onCall: (event) => metrics.compshareCall(event),
    ...(options.compshareDispatcher ? { dispatcher: options.compshareDispatcher } : {}),
  });

  // The locale resolver asks users.info through the Bolt app's own client, built just below.
  let slack: SlackBot | undefined;
  const services: BotServices = {
    config,
    logger,
    scrubber,
    store,
    compshare,
    clock,
    metrics,
    inFlight: new InFlight(),
    locales: createLocaleResolver({
      client: { users: { info: (args) => requireSlack().app.client.users.info(args) } },
      fallback: config.defaultLocale,
      clock,
      logger,
    }),
  };
  try {
    const bot = createSlackBot({
      services,
      webClient: options.webClient ?? PRODUCTION_WEB_CLIENT,
      ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
    });
    slack = bot;
    const { port } = await bot.start(options.port ?? config.port);
    logger.info({ port, mode: config.slack.mode, store: store.driver }, "compshare-bot is listening");
    return {
      port,
      services,
      slack: bot,
      async stop() {
        await bot.stop();
        await compshare.close();
        await store.close();
        logger.info("compshare-bot stopped");
      },
    };
  } catch (error) {
    await compshare.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }

  function requireSlack(): SlackBot {
    if (!slack) throw new Error("the Slack app is not built yet");
    return slack;
  }
}
