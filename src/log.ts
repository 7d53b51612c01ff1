import { format } from "node:util";
import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from "@slack/bolt";
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

export type { Logger } from "pino";

/**
 * Keys whose values are secrets wherever they appear (two levels deep by path; the
 * pattern pass below catches what paths cannot reach, such as text inside messages).
 */
const SECRET_KEYS = [
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "privateKey",
  "PrivateKey",
  "private_key",
  "Signature",
  "signature",
  "credentialsKey",
  "CREDENTIALS_KEY",
  "password",
  "Password",
  "authorization",
  "cookie",
];

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

const REDACTED = "[REDACTED]";

/**
 * Patterns for secrets that can hide inside free text: Slack tokens, UCloud request
 * signatures (in a form body, a query string or JSON) and bearer credentials.
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\bxox[abposer]-[A-Za-z0-9-]+/g, `xox-${REDACTED}`],
  [/\bxapp-[A-Za-z0-9-]+/g, `xapp-${REDACTED}`],
  [/(Signature\\?["']?\s*[:=]\s*\\?["']?)[0-9a-fA-F]{40}/g, `$1${REDACTED}`],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, `$1${REDACTED}`],
];

/** Shorter values are too likely to occur by chance in ordinary text. */
const MIN_KNOWN_SECRET_LENGTH = 8;
/** Private keys of every user who made a call are added; bound the set so it cannot grow forever. */
const MAX_KNOWN_SECRETS = 10_000;

/**
 * Replaces secrets in serialised log lines. Known values (tokens from the config, private
 * keys the client signs with) are replaced wherever they appear; patterns catch the rest.
 */
export class SecretScrubber {
  readonly #known = new Set<string>();

  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value === undefined || value.length < MIN_KNOWN_SECRET_LENGTH || this.#known.has(value)) continue;
      if (this.#known.size >= MAX_KNOWN_SECRETS) {
        const oldest = this.#known.values().next().value;
        if (oldest !== undefined) this.#known.delete(oldest);
      }
      this.#known.add(value);
    }
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.#known) {
      if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    }
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; stdout when omitted. Tests pass an in-memory stream. */
  destination?: DestinationStream;
  scrubber?: SecretScrubber;
}

export function createLogger(options: LoggerOptions): { logger: Logger; scrubber: SecretScrubber } {
  const scrubber = options.scrubber ?? new SecretScrubber();
  const logger = pino(
    {
      level: options.level,
      base: { service: "compshare-bot" },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: (line) => scrubber.scrub(line) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
  return { logger, scrubber };
}

const BOLT_TO_PINO: Record<string, LevelWithSilent> = { debug: "debug", info: "info", warn: "warn", error: "error" };

/** Bolt's LogLevel is one of four; our root may be configured finer or coarser. */
export function boltLevelFor(level: LevelWithSilent): BoltLogLevel {
  switch (level) {
    case "trace":
    case "debug":
      return "debug" as BoltLogLevel;
    case "info":
      return "info" as BoltLogLevel;
    case "warn":
      return "warn" as BoltLogLevel;
    default:
      return "error" as BoltLogLevel;
  }
}

/**
 * Bolt's Logger interface over pino. Bolt calls setLevel and setName on it; setLevel may
 * raise the threshold but never lowers it below the root's, so LOG_LEVEL=silent stays silent.
 */
export function toBoltLogger(root: Logger): BoltLogger {
  let current: Logger = root.child({ component: "bolt" });
  const floor = root.levelVal;
  const write =
    (level: "debug" | "info" | "warn" | "error") =>
    (...msg: unknown[]) => {
      if (!current.isLevelEnabled(level)) return;
      const [first, ...rest] = msg;
      if (first instanceof Error && rest.length === 0) current[level]({ err: first }, first.message);
      else current[level](format(...msg));
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel(level: BoltLogLevel) {
      const wanted = BOLT_TO_PINO[String(level).toLowerCase()];
      if (wanted === undefined) return;
      current.level =
        root.levels.values[wanted] !== undefined && root.levels.values[wanted] < floor ? root.level : wanted;
    },
    getLevel() {
      return boltLevelFor(current.level as LevelWithSilent);
    },
    setName(name: string) {
      const level = current.level;
      current = root.child({ component: name });
      current.level = level;
    },
  };
}
