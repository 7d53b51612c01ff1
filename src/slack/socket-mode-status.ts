import type { EventEmitter } from "node:events";
import { format } from "node:util";
import type { Logger as BoltLogger } from "@slack/bolt";

/**
 * Whether the Socket Mode connection is up, and if not, why: what /readyz says. The Socket Mode
 * client reports connection states as events, but a failed apps.connections.open only as a log
 * line (and, when Slack answers without a URL, one that reads `(response: [object Object])`), so
 * the logger given to it is read here too: those lines are recorded and reworded.
 */
export interface SocketModeStatus {
  /** undefined while connected; otherwise the reason, for /readyz and logs. */
  notReadyReason(): string | undefined;
  /** The logger to give the Socket Mode receiver. */
  readonly logger: BoltLogger;
  /** Follows the client's connection events. */
  watch(client: EventEmitter): void;
  /** Settles at the first connection or the first failed attempt that the client will retry. */
  readonly firstOutcome: Promise<void>;
}

// The Socket Mode client's own wording (@slack/socket-mode 2.x/3.x, SocketModeClient.retrieveWSSURL).
const NO_URL_PREFIX = "apps.connections.open did not return a URL!";
const RETRIEVE_FAILED = /^Failed to retrieve a new WSS URL \(error: (.*)\)$/s;

const NO_URL =
  "Slack answered apps.connections.open without a WebSocket URL; check that Socket Mode is enabled for the app (api.slack.com/apps → your app → Socket Mode)";

export function createSocketModeStatus(logger: BoltLogger): SocketModeStatus {
  let reason: string | undefined = "Socket Mode is connecting to Slack";
  let settle: () => void = () => {};
  const firstOutcome = new Promise<void>((resolve) => {
    settle = resolve;
  });

  const attemptFailed = (cause: string) => {
    reason = `Socket Mode is not connected: ${cause}`;
    // An unrecoverable failure is logged the same way and then rejects the client's start() in
    // microtasks; settling after them lets that rejection be seen first by whoever races the two.
    setImmediate(settle);
    return reason;
  };

  const error = (...msg: unknown[]) => {
    const text = format(...msg);
    if (text.startsWith(NO_URL_PREFIX)) return; // said once, in words, by the line that follows
    const failed = RETRIEVE_FAILED.exec(text);
    if (failed) {
      const cause = failed[1]?.includes(NO_URL_PREFIX) ? NO_URL : `apps.connections.open failed (${failed[1]})`;
      logger.error(attemptFailed(cause));
      return;
    }
    logger.error(...msg);
  };

  return {
    notReadyReason: () => reason,
    firstOutcome,
    logger: {
      debug: (...msg) => logger.debug(...msg),
      info: (...msg) => logger.info(...msg),
      warn: (...msg) => logger.warn(...msg),
      error,
      setLevel: (level) => logger.setLevel(level),
      getLevel: () => logger.getLevel(),
      setName: (name) => logger.setName(name),
    },
    watch(client) {
      client.on("connected", () => {
        reason = undefined;
        settle();
      });
      client.on("close", () => {
        reason ??= "Socket Mode lost its connection to Slack; reconnecting";
      });
      client.on("reconnecting", () => {
        reason ??= "Socket Mode is reconnecting to Slack";
      });
      client.on("disconnected", () => {
        reason = "Socket Mode is disconnected from Slack";
      });
    },
  };
}
