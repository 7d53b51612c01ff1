import type { Server } from "node:http";
import { App, HTTPReceiver, type LogLevel, SocketModeReceiver, type webApi } from "@slack/bolt";
import { boltLevelFor, toBoltLogger } from "../log.ts";
import { handleCompshareCommand } from "./commands/compshare-command.ts";
import { handleAppHomeOpened } from "./events/home.ts";
import { operationalRoutes, portOf, serveRoutes } from "./http-routes.ts";
import { handleHomeList, handleImageMenu, handleListPage } from "./interactions/image-lists.ts";
import { registerImageUpdate } from "./interactions/image-update.ts";
import { handleHomeLogin, handleLoginSubmit } from "./interactions/login.ts";
import { type ReinstallHandle, registerReinstall } from "./interactions/reinstall.ts";
import { guardSlackEndpoint } from "./receiver-guard.ts";
import type { BotServices } from "./services.ts";
import { tracked } from "./tracked.ts";
import { HOME_ACTIONS } from "./views/home.ts";
import { ACTION_IMAGE_EDIT, ACTION_IMAGE_REINSTALL } from "./views/image-detail.ts";
import { ACTION_IMAGE_MENU, ACTION_LIST_PAGE } from "./views/image-list.ts";
import { LOGIN_CALLBACK } from "./views/keys.ts";

const SLACK_ENDPOINT = "/slack/events";

export interface WebClientPolicy {
  /** Retries on 5xx and network errors; Slack's client would otherwise retry for ~30 minutes. */
  retries: number;
  timeoutMs: number;
}

/** Production: a few quick retries, then give up and tell the user, rather than hang a handler for half an hour. */
export const PRODUCTION_WEB_CLIENT: WebClientPolicy = { retries: 2, timeoutMs: 10_000 };

export interface SlackBotOptions {
  services: BotServices;
  webClient?: WebClientPolicy;
  /** How long shutdown waits for acknowledged work (a reinstall, a reply) to finish. */
  drainTimeoutMs?: number;
}

export interface SlackBot {
  readonly app: App;
  /** Expiry and restart sweeps of reinstall requests; started with the app, stopped with it. */
  readonly housekeeping: ReinstallHandle["housekeeping"];
  /** Connects (auth.test), listens, and resolves with the port health and Slack requests are served on. */
  start(port: number): Promise<{ port: number }>;
  /** Stops taking requests, lets in-flight work finish (bounded), then stops the receiver. */
  stop(): Promise<void>;
}

export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { services } = options;
  const { config } = services;
  const logger = toBoltLogger(services.logger);
  const logLevel = boltLevelFor(config.logLevel) as LogLevel;
  const policy = options.webClient ?? PRODUCTION_WEB_CLIENT;
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: policy.retries, factor: 2, minTimeout: 500, maxTimeout: 4000, randomize: true },
    timeout: policy.timeoutMs,
  };
  let stopping = false;
  const routes = operationalRoutes({ store: services.store, metrics: services.metrics, isStopping: () => stopping });
  let healthServer: Server | undefined;

  const receiver =
    config.slack.mode === "socket"
      ? new SocketModeReceiver({
          appToken: config.slack.appToken ?? "",
          logger,
          logLevel,
          installerOptions: { clientOptions },
        })
      : new HTTPReceiver({
          signingSecret: config.slack.signingSecret ?? "",
          endpoints: SLACK_ENDPOINT,
          customRoutes: routes,
          logger,
          logLevel,
          processBeforeResponse: false,
        });
  if (receiver instanceof HTTPReceiver) {
    receiver.requestListener = guardSlackEndpoint(receiver.requestListener, {
      signingSecret: config.slack.signingSecret ?? "",
      endpoint: SLACK_ENDPOINT,
      deliveries: services.store.deliveries,
      logger: services.logger,
    });
  }

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger,
    logLevel,
    clientOptions,
    deferInitialization: true,
    // Bolt's conversation store keeps per-channel state the bot never reads, at a cost on every event.
    convoStore: false,
  });
  const { housekeeping } = register(app, services);

  return {
    app,
    housekeeping,
    async start(port) {
      await app.init();
      if (receiver instanceof HTTPReceiver) {
        const server = (await app.start(port)) as unknown as Server;
        housekeeping.start();
        return { port: portOf(server) };
      }
      await app.start();
      healthServer = await serveRoutes(routes, port);
      housekeeping.start();
      return { port: portOf(healthServer) };
    },
    async stop() {
      stopping = true;
      housekeeping.stop();
      const drained = await services.inFlight.drain(options.drainTimeoutMs ?? 20_000);
      if (!drained) services.logger.warn({ inFlight: services.inFlight.count }, "stopping with work still in flight");
      await app.stop();
      if (healthServer) {
        healthServer.closeAllConnections();
        await new Promise<void>((resolve) => healthServer?.close(() => resolve()));
      }
    },
  };
}

/** Every listener runs under InFlight so shutdown waits for it. */
function register(app: App, services: BotServices): ReinstallHandle {
  const track = <A>(handler: (services: BotServices, args: A) => Promise<void>) => tracked(services, handler);

  app.command("/compshare", track(handleCompshareCommand));
  app.view(LOGIN_CALLBACK, track(handleLoginSubmit));
  app.action(new RegExp(`^${ACTION_LIST_PAGE}_`), track(handleListPage));
  app.action(ACTION_IMAGE_MENU, track(handleImageMenu));
  app.action(ACTION_IMAGE_EDIT, track(handleImageMenu));
  app.action(ACTION_IMAGE_REINSTALL, track(handleImageMenu));
  app.action(HOME_ACTIONS.platform, track(handleHomeList("platform")));
  app.action(HOME_ACTIONS.custom, track(handleHomeList("custom")));
  app.action(HOME_ACTIONS.shared, track(handleHomeList("shared")));
  app.action(HOME_ACTIONS.login, track(handleHomeLogin));
  app.event("app_home_opened", track(handleAppHomeOpened));
  registerImageUpdate(app, services);
  const reinstall = registerReinstall(app, services);

  // The backstop: handlers report their own failures; anything reaching here is a bug in wiring.
  app.error(async (error) => {
    services.logger.error({ err: error }, "unhandled error in a Slack listener");
  });
  return reinstall;
}
