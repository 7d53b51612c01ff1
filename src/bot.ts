import type { Dispatcher } from "undici";
import { createCompShareApi } from "./compshare/client.ts";
import type { Config } from "./config.ts";
import { accountFor } from "./domain/accounts.ts";
import { createOperationsEngine, type EngineOptions } from "./domain/operations/index.ts";
import { loadPolicy, type Policy } from "./domain/policy/index.ts";
import type { Logger, SecretScrubber } from "./log.ts";
import {
  createSlackBot,
  createWebClients,
  PRODUCTION_WEB_CLIENT,
  type SlackBot,
  type WebClientPolicy,
} from "./slack/app.ts";
import { createReinstallKit } from "./slack/flows/reinstall-kit.ts";
import { createFormSeal } from "./slack/form-seal.ts";
import { createLocaleResolver } from "./slack/i18n/locale-resolver.ts";
import { InFlight } from "./slack/in-flight.ts";
import { createMetrics } from "./slack/metrics.ts";
import { createOperationAnnouncer } from "./slack/operation-announcer.ts";
import { createOperationFollowers } from "./slack/operation-followers.ts";
import { createResponseUrlPoster } from "./slack/response-url.ts";
import type { BotServices } from "./slack/services.ts";
import { openStore } from "./store/open-store.ts";
import type { Store } from "./store/types.ts";

export interface StartBotOptions {
  config: Config;
  logger: Logger;
  scrubber: SecretScrubber;
  clock?: () => number;
  /** The port to listen on; config.port when omitted (tests pass 0). */
  port?: number;
  /** The port /metrics listens on when METRICS_PORT is set; config.metricsPort when omitted. */
  metricsPort?: number;
  webClient?: WebClientPolicy;
  compshareDispatcher?: Dispatcher;
  /** Each CompShare call's overall deadline; the client's default (15 s) when omitted. Tests shorten it. */
  compshareDeadlineMs?: number;
  drainTimeoutMs?: number;
  /** Engine settings tests shorten (sweep interval, step deadlines, claim time). */
  engine?: Partial<Pick<EngineOptions, "sweepIntervalMs" | "claimMs" | "deadlines" | "sleep" | "retentionMs">>;
  /** At most one edit per card this often (2 s by default). */
  cardEditIntervalMs?: number;
  /** The approval policy; read from config (POLICY_FILE or the approval variables) when omitted. */
  policy?: Policy;
}

export interface RunningBot {
  readonly port: number;
  /** Where /metrics is served: `port` unless METRICS_PORT is set. */
  readonly metricsPort: number;
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
  // Everything opened so far, closed in reverse on stop or on a failed start.
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => logger.warn({ err: error }, "error while closing"));
    }
  };
  // The locale resolver asks users.info through the Bolt app's own client, built below.
  let slack: SlackBot | undefined;
  const requireSlack = (): SlackBot => {
    if (!slack) throw new Error("the Slack app is not built yet");
    return slack;
  };

  try {
    // First: a bad policy file stops the start before anything is opened.
    const policy = options.policy ?? (await loadPolicy(options.config));
    const store = await openStore({
      url: config.databaseUrl,
      keys: config.credentialKeys,
      clock: () => new Date(clock()),
      logger,
    });
    closers.push(() => store.close());
    if (config.credentialKeys.length > 1) await rotateStoredKeys(store, logger);
    // The sandbox brings its own CompShare: the simulator, in this process, on a free loopback port.
    const sandbox = config.compshare.sandbox
      ? await (await import("./simulator/simulator.ts")).startSimulator({
          port: 0,
          logger: logger.child({ component: "sandbox-simulator" }),
        })
      : undefined;
    if (sandbox) {
      closers.push(() => sandbox.close());
      logger.warn({ url: sandbox.url }, "SANDBOX: CompShare calls go to the in-process simulator, not the real cloud");
    }
    const compshare = createCompShareApi({
      baseUrl: sandbox?.url ?? config.compshare.apiUrl,
      logger,
      clock,
      onCall: (event) => metrics.compshareCall(event),
      ...(options.compshareDispatcher ? { dispatcher: options.compshareDispatcher } : {}),
      ...(options.compshareDeadlineMs !== undefined ? { deadlineMs: options.compshareDeadlineMs } : {}),
    });
    closers.push(() => compshare.close());
    const responseUrls = createResponseUrlPoster({
      timeoutMs: options.webClient?.timeoutMs ?? PRODUCTION_WEB_CLIENT.timeoutMs,
    });
    closers.push(() => responseUrls.close());

    const inFlight = new InFlight();
    const locales = createLocaleResolver({
      client: { users: { info: (args) => requireSlack().app.client.users.info(args) } },
      fallback: config.defaultLocale,
      clock,
      logger,
    });
    const webClients = createWebClients(config, options.webClient ?? PRODUCTION_WEB_CLIENT);
    const operations = createOperationsEngine({
      operations: store.operations,
      audit: store.audit,
      accountFor: (teamId, userId) => accountFor(store, compshare, teamId, userId),
      clock,
      logger,
      allowSelfApproval: (kind) => policy.actions[kind].allowSelfApproval,
      windowsFor: (kind) => policy.actions[kind].windows,
      exclusiveStore: store.driver === "sqlite",
      track: (work) => inFlight.track(work),
      retentionMs: config.requestRetentionMs,
      ...options.engine,
    });
    const services: BotServices = {
      config,
      policy,
      logger,
      scrubber,
      store,
      compshare,
      clock,
      metrics,
      sandboxKeys: sandbox && { publicKey: sandbox.demoAccount.publicKey, privateKey: sandbox.demoAccount.privateKey },
      inFlight,
      updateFormSeal: createFormSeal(config.credentialKeys, "image-update form"),
      responseUrls,
      reinstall: createReinstallKit({ policy, clock, logger }),
      locales,
      operations,
      followers: createOperationFollowers(logger),
      announcer: createOperationAnnouncer({
        services: { config, locales, logger },
        cardClient: webClients.card,
        client: webClients.general,
        clock,
        ...(options.cardEditIntervalMs !== undefined ? { minIntervalMs: options.cardEditIntervalMs } : {}),
      }),
      cardClient: webClients.card,
    };
    const bot = createSlackBot({
      services,
      webClient: options.webClient ?? PRODUCTION_WEB_CLIENT,
      ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
    });
    slack = bot;
    const { port, metricsPort } = await bot.start({
      port: options.port ?? config.port,
      metricsPort: options.metricsPort ?? config.metricsPort,
    });
    logger.info({ port, metricsPort, mode: config.slack.mode, store: store.driver }, "compshare-bot is listening");
    return {
      port,
      metricsPort,
      services,
      slack: bot,
      async stop() {
        await bot.stop();
        await closeAll();
        logger.info("compshare-bot stopped");
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * With several CREDENTIALS_KEY entries, records still under an older key are re-encrypted under
 * the first at start, so the old key can be dropped once every replica has restarted. A record
 * no key can open is reported and left alone; it must not keep the bot from starting.
 */
async function rotateStoredKeys(store: Store, logger: Logger): Promise<void> {
  try {
    const { reencrypted } = await store.credentials.rotate();
    logger.info({ reencrypted }, "stored private keys re-encrypted under the first CREDENTIALS_KEY");
  } catch (error) {
    logger.error(
      { err: error },
      "could not re-encrypt stored private keys; the affected users must run /compshare login again",
    );
  }
}
