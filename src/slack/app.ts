import type { EventEmitter } from "node:events";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { App, LogLevel, webApi } from "@slack/bolt";
import { boltLevelFor, toBoltLogger } from "../log.ts";
import { commandLabel, commandLocaleWait, handleCompshareCommand } from "./commands/compshare-command.ts";
import { handleAppHomeOpened } from "./events/home.ts";
import { closeServer, healthRoutes, metricsRoute, portOf, type Route, serveRoutes } from "./http-routes.ts";
import { handleCheckAgain, handleDecisionClick, handleRejectSubmit } from "./interactions/decisions.ts";
import { handleHomeList, handleImageMenu, handleListPage, imageMenuLabel } from "./interactions/image-lists.ts";
import { answerImageOptions } from "./interactions/image-picker-options.ts";
import { imageUpdateListeners } from "./interactions/image-update.ts";
import {
  handleInstanceOp,
  handleInstancePage,
  handleInstanceReinstall,
  instanceOpLabel,
} from "./interactions/instances.ts";
import { handleHomeLogin, handleLoginSubmit } from "./interactions/login.ts";
import { handleHomeRequest } from "./interactions/reinstall.ts";
import { handleFormRefresh, handleRequestSubmit } from "./interactions/reinstall-form.ts";
import { handleScheduleClick } from "./interactions/schedule.ts";
import { guardSlackEndpoint } from "./receiver-guard.ts";
import type { BotServices } from "./services.ts";
import { isSlackClientError, SlackConnectError } from "./slack-connect-error.ts";
import { createSocketModeStatus, type SocketModeStatus } from "./socket-mode-status.ts";
import { onClick, onCommand, onHomeOpened, onOptions, onSubmit } from "./surfaces.ts";
import { HOME_ACTIONS } from "./views/home.ts";
import { ACTION_IMAGE_EDIT, ACTION_IMAGE_REINSTALL } from "./views/image-detail.ts";
import { ACTION_IMAGE_MENU, ACTION_LIST_PAGE } from "./views/image-list.ts";
import { PICKER_ACTION, UPDATE_CALLBACK } from "./views/image-update-modal.ts";
import { INSTANCE_ACTIONS } from "./views/instances.ts";
import { LOGIN_CALLBACK } from "./views/keys.ts";
import { OPERATION_ACTIONS } from "./views/operation-card.ts";
import { REINSTALL_ACTIONS, REINSTALL_CALLBACK, REJECT_CALLBACK } from "./views/reinstall-modal.ts";
import { SCHEDULE_ACTIONS } from "./views/run-time.ts";

const SLACK_ENDPOINT = "/slack/events";

// Bolt's entry point also loads ExpressReceiver (express and some 120 modules) and AwsLambdaReceiver,
// which the bot never uses: about 5 MB of RSS and 100 ms or more of start-up. So the classes come
// by their own paths, and the Web API client from where Bolt itself resolves it. require, because
// these are CommonJS modules whose default export each ESM loader unwraps differently.
const require = createRequire(import.meta.url);
const { default: BoltApp } = require("@slack/bolt/dist/App.js") as typeof import("@slack/bolt/dist/App.js");
const { default: HTTPReceiver } =
  require("@slack/bolt/dist/receivers/HTTPReceiver.js") as typeof import("@slack/bolt/dist/receivers/HTTPReceiver.js");
const { default: SocketModeReceiver } =
  require("@slack/bolt/dist/receivers/SocketModeReceiver.js") as typeof import("@slack/bolt/dist/receivers/SocketModeReceiver.js");
const { WebClient } = createRequire(require.resolve("@slack/bolt"))("@slack/web-api") as typeof webApi;

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
  /**
   * Connects (auth.test), listens, starts the operations engine, and resolves with the ports
   * health, metrics and Slack requests are served on. In Socket Mode health is served first, and
   * start resolves once the socket has connected or its first attempt failed in a way the client
   * retries (/readyz says why until then).
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
        // The guard in front (receiver-guard.ts) has verified the signature of every POST that
        // reaches the endpoint, more strictly than Bolt would (three HMACs more per request).
        signatureVerification: false,
      });
  if (httpReceiver) {
    httpReceiver.requestListener = guardSlackEndpoint(httpReceiver.requestListener, {
      signingSecret: config.slack.signingSecret ?? "",
      endpoint: SLACK_ENDPOINT,
      deliveries: services.store.deliveries,
      logger: services.logger,
    });
  }

  const app = new BoltApp({
    token: config.slack.botToken,
    receiver: receiver ?? httpReceiver,
    logger,
    logLevel,
    clientOptions,
    deferInitialization: true,
    // Bolt's conversation store keeps per-channel state the bot never reads, at a cost on every event.
    convoStore: false,
  });
  register(app, services);
  const unsubscribe = services.operations.subscribe(async (event) => {
    await services.followers.hear(event);
    await services.announcer.hear(event);
  });

  const listen = async (routes: Route[], port: number) => {
    const server = await serveRoutes(routes, port);
    servers.push(server);
    return server;
  };

  return {
    app,
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
        services.operations.start();
        const slackPort = portOf(slackServer);
        return { port: slackPort, metricsPort: metricsServer ? portOf(metricsServer) : slackPort };
      } catch (error) {
        await Promise.all(servers.splice(0).map(closeServer));
        throw error;
      }
    },
    async stop() {
      stopping = true;
      await services.operations.stop();
      unsubscribe();
      await services.announcer.drain();
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

/** Every listener, each in the frame of its surface (surfaces.ts). */
function register(app: App, services: BotServices): void {
  const inMessage = { kind: "message" } as const;
  app.command(
    "/compshare",
    onCommand(services, { what: commandLabel, localeWaitMs: commandLocaleWait }, handleCompshareCommand),
  );
  app.view(LOGIN_CALLBACK, onSubmit(services, { what: "login", title: (m) => m.login.title }, handleLoginSubmit));
  app.action(
    new RegExp(`^${ACTION_LIST_PAGE}_`),
    onClick(services, { what: "list_page", errors: inMessage }, handleListPage),
  );
  const imageMenu = onClick(services, { what: imageMenuLabel, localeWaitMs: 800, errors: inMessage }, handleImageMenu);
  app.action(ACTION_IMAGE_MENU, imageMenu);
  app.action(ACTION_IMAGE_EDIT, imageMenu);
  app.action(ACTION_IMAGE_REINSTALL, imageMenu);
  for (const kind of ["platform", "custom", "shared"] as const) {
    app.action(
      HOME_ACTIONS[kind],
      onClick(
        services,
        { what: `home_list:${kind}`, localeWaitMs: 800, errors: { kind: "log" } },
        handleHomeList(kind),
      ),
    );
  }
  app.action(
    HOME_ACTIONS.login,
    onClick(services, { what: "home_login", localeWaitMs: 800, errors: { kind: "log" } }, handleHomeLogin),
  );
  app.event("app_home_opened", onHomeOpened(services, handleAppHomeOpened));
  const update = imageUpdateListeners(services);
  app.options(PICKER_ACTION, update.options);
  app.action(PICKER_ACTION, update.pick);
  app.view(UPDATE_CALLBACK, update.submit);

  // Journeys 4–5 and 8: reinstall plans, their cards, and instances.
  const inModal = { kind: "log" } as const;
  // No waiting for users.info here: the options must be back within Slack's 3 s.
  app.options(REINSTALL_ACTIONS.image, onOptions(services, { what: "image_options" }, answerImageOptions));
  for (const id of [REINSTALL_ACTIONS.instance, REINSTALL_ACTIONS.image]) {
    app.action(id, onClick(services, { what: "reinstall_form", errors: inModal }, handleFormRefresh));
  }
  app.view(
    REINSTALL_CALLBACK,
    onSubmit(services, { what: "reinstall_request", title: (m) => m.reinstall.submitted.title }, handleRequestSubmit),
  );
  for (const verdict of ["approve", "reject", "cancel"] as const) {
    app.action(
      OPERATION_ACTIONS[verdict],
      onClick(
        services,
        { what: `approval_${verdict}`, errors: inMessage, ...(verdict === "reject" ? { localeWaitMs: 800 } : {}) },
        handleDecisionClick(verdict),
      ),
    );
  }
  app.view(
    REJECT_CALLBACK,
    onSubmit(services, { what: "approval_reject", title: (m) => m.reinstall.reject.title }, handleRejectSubmit),
  );
  for (const move of ["runNow", "cancel"] as const) {
    app.action(
      SCHEDULE_ACTIONS[move],
      onClick(services, { what: `schedule_${move}`, errors: inMessage }, handleScheduleClick(move)),
    );
  }
  app.action(
    OPERATION_ACTIONS.checkAgain,
    onClick(services, { what: "check_again", errors: inMessage }, handleCheckAgain),
  );
  app.action(
    HOME_ACTIONS.reinstall,
    onClick(
      services,
      {
        what: "home_reinstall",
        localeWaitMs: 800,
        errors: { kind: "new-modal", title: (m) => m.reinstall.modal.title },
      },
      handleHomeRequest,
    ),
  );
  app.action(
    new RegExp(`^${INSTANCE_ACTIONS.opPrefix}`),
    onClick(services, { what: instanceOpLabel, errors: inMessage }, handleInstanceOp),
  );
  app.action(
    new RegExp(`^${INSTANCE_ACTIONS.page}_`),
    onClick(services, { what: "instances_page", errors: inMessage }, handleInstancePage),
  );
  app.action(
    INSTANCE_ACTIONS.reinstall,
    onClick(services, { what: "instance_reinstall", localeWaitMs: 800, errors: inMessage }, handleInstanceReinstall),
  );

  // The backstop: the frame reports handlers' failures; anything reaching here is a bug in wiring.
  app.error(async (error) => {
    services.logger.error({ err: error }, "unhandled error in a Slack listener");
  });
}

/**
 * The clients the bot's own announcements use, outside Bolt: `general` with the deliberate retry
 * policy (DMs, permalinks), and `card` with no retries and 429s rejected (card-delivery.ts).
 */
export function createWebClients(
  config: BotServices["config"],
  policy: WebClientPolicy,
): { general: webApi.WebClient; card: webApi.WebClient } {
  const base = { slackApiUrl: config.slack.apiUrl, timeout: policy.timeoutMs };
  return {
    general: new WebClient(config.slack.botToken, {
      ...base,
      retryConfig: { retries: policy.retries, factor: 2, minTimeout: 500, maxTimeout: 4000, randomize: true },
    }),
    card: new WebClient(config.slack.botToken, {
      ...base,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
  };
}
