import type { EventEmitter } from "node:events";
import type { Server } from "node:http";
import { App, HTTPReceiver, type LogLevel, SocketModeReceiver, type webApi } from "@slack/bolt";
import { boltLevelFor, toBoltLogger } from "../log.ts";
import { handleCompshareCommand } from "./commands/compshare-command.ts";
import { handleAppHomeOpened } from "./events/home.ts";
import { closeServer, healthRoutes, metricsRoute, portOf, type Route, serveRoutes } from "./http-routes.ts";
import { handleHomeList, handleImageMenu, handleListPage } from "./interactions/image-lists.ts";
import { registerImageUpdate } from "./interactions/image-update.ts";
import { handleHomeLogin, handleLoginSubmit } from "./interactions/login.ts";
import { type ReinstallHandle, registerReinstall } from "./interactions/reinstall.ts";
import { guardSlackEndpoint } from "./receiver-guard.ts";
import type { BotServices } from "./services.ts";
import { isSlackClientError, SlackConnectError } from "./slack-connect-error.ts";
import { createSocketModeStatus, type SocketModeStatus } from "./socket-mode-status.ts";
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

export interface ListenPorts {
  port: number;
  /** Where the /metrics server listens when METRICS_PORT is set; config.metricsPort when omitted (tests pass 0). */
  metricsPort?: number | undefined;
}

export interface SlackBot {
  readonly app: App;
  /** Expiry and restart sweeps of reinstall requests; started with the app, stopped with it. */
  readonly housekeeping: ReinstallHandle["housekeeping"];
  /**
   * Connects (auth.test), listens, and resolves with the ports health, metrics and Slack requests
   * are served on. In Socket Mode health is served first, and start resolves once the socket has
   * connected or its first attempt failed in a way the client retries (/readyz says why until then).
   */
  start(ports: ListenPorts): Promise<{ port: number; metricsPort: number }>;
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
  const socketStatus: SocketModeStatus | undefined =
    config.slack.mode === "socket" ? createSocketModeStatus(logger) : undefined;
  const health = healthRoutes({
    store: services.store,
    isStopping: () => stopping,
    ...(socketStatus ? { slackNotReady: socketStatus.notReadyReason } : {}),
  });
  const metrics = metricsRoute(services.metrics);
  // METRICS_PORT moves /metrics to a server of its own, off the port Slack (and the world) can reach.
  const ownMetricsServer = config.metricsPort !== undefined;
  const withMetrics = (routes: Route[]) => (ownMetricsServer ? routes : [...routes, metrics]);
  const servers: Server[] = [];

  const receiver =
    config.slack.mode === "socket"
      ? new SocketModeReceiver({
          appToken: config.slack.appToken ?? "",
          logger: socketStatus?.logger ?? logger,
          logLevel,
          // Its own copy: the Socket Mode client may write into the options it is given (fetch, retryConfig).
          installerOptions: { clientOptions: { ...clientOptions } },
        })
      : undefined;
  if (receiver && socketStatus) socketStatus.watch(receiver.client as unknown as EventEmitter);
  // In HTTP mode health (and metrics, unless METRICS_PORT) share the Slack receiver's server.
  const httpReceiver = receiver
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? "",
        endpoints: SLACK_ENDPOINT,
        customRoutes: withMetrics(health),
        logger,
        logLevel,
        processBeforeResponse: false,
      });
  if (httpReceiver) {
    httpReceiver.requestListener = guardSlackEndpoint(httpReceiver.requestListener, {
      signingSecret: config.slack.signingSecret ?? "",
      endpoint: SLACK_ENDPOINT,
      deliveries: services.store.deliveries,
      logger: services.logger,
    });
  }

  const app = new App({
    token: config.slack.botToken,
    receiver: receiver ?? httpReceiver,
    logger,
    logLevel,
    clientOptions,
    deferInitialization: true,
    // Bolt's conversation store keeps per-channel state the bot never reads, at a cost on every event.
    convoStore: false,
  });
  const { housekeeping } = register(app, services);

  const listen = async (routes: Route[], port: number) => {
    const server = await serveRoutes(routes, port);
    servers.push(server);
    return server;
  };

  return {
    app,
    housekeeping,
    async start({ port, metricsPort = config.metricsPort }) {
      try {
        const metricsServer =
          ownMetricsServer && metricsPort !== undefined ? await listen([metrics], metricsPort) : undefined;
        const healthServer = receiver ? await listen(withMetrics(health), port) : undefined;
        try {
          await app.init();
        } catch (error) {
          throw isSlackClientError(error) ? new SlackConnectError("SLACK_BOT_TOKEN", "auth.test", error) : error;
        }
        let slackServer: Server;
        if (receiver && healthServer && socketStatus) {
          await connectSocket(app, socketStatus, services.logger);
          slackServer = healthServer;
        } else {
          slackServer = (await app.start(port)) as unknown as Server;
        }
        housekeeping.start();
        const slackPort = portOf(slackServer);
        return { port: slackPort, metricsPort: metricsServer ? portOf(metricsServer) : slackPort };
      } catch (error) {
        await Promise.all(servers.splice(0).map(closeServer));
        throw error;
      }
    },
    async stop() {
      stopping = true;
      housekeeping.stop();
      const drained = await services.inFlight.drain(options.drainTimeoutMs ?? 20_000);
      if (!drained) services.logger.warn({ inFlight: services.inFlight.count }, "stopping with work still in flight");
      await app.stop();
      await Promise.all(servers.splice(0).map(closeServer));
    },
  };
}

/**
 * Starts the Socket Mode client. A rejected app token fails the start, naming SLACK_APP_TOKEN;
 * a failure the client retries (no URL from Slack, a dropped connection) leaves the bot running
 * and not ready, with the reason on /readyz, while the client keeps trying.
 */
async function connectSocket(app: App, status: SocketModeStatus, logger: BotServices["logger"]): Promise<void> {
  const connected = (app.start() as Promise<unknown>).then(
    () => "connected" as const,
    (error: unknown) => {
      throw isSlackClientError(error)
        ? new SlackConnectError("SLACK_APP_TOKEN", "apps.connections.open", error)
        : error;
    },
  );
  const outcome = await Promise.race([connected, status.firstOutcome.then(() => "retrying" as const)]);
  if (outcome === "retrying") {
    logger.warn(
      { reason: status.notReadyReason() },
      "Socket Mode is not connected yet; /readyz answers 503 until it is",
    );
    connected.catch((error: unknown) => logger.error({ err: error }, "Socket Mode gave up connecting"));
  }
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
