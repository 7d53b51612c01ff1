import { format } from "node:util";
import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from "@slack/bolt";
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

export type { Logger } from "pino";

/** Keys whose values are secrets wherever they appear, at any depth of a logged object. */
const SECRET_KEYS: ReadonlySet<string> = new Set([
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
]);

const REDACTED = "[REDACTED]";
/** Deeper than any object the bot logs; a cycle or a huge structure stops here. */
const MAX_DEPTH = 8;

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

/**
 * Replaces secrets in serialised log lines: the process's own secrets (tokens and keys from the
 * config, the CLI's key pair) wherever they appear, and the patterns above.
 *
 * Only process-wide values belong here: each one costs every line a scan. Users' private keys
 * never do. They cannot reach a line in the first place: they are only ever held under secret
 * keys (censored by structure, below), the client signs with them but never sends or logs them,
 * and it cuts them out of anything the server echoes back. So redaction costs the same at
 * 10 users as at 10,000.
 */
export class SecretScrubber {
  readonly #known = new Set<string>();

  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value !== undefined && value.length >= MIN_KNOWN_SECRET_LENGTH) this.#known.add(value);
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

/**
 * The logged object with every value under a secret key replaced, at any depth, copying only
 * what changes. It replaces pino's path redaction, whose wildcard paths cost more per line than
 * all the rest of logging. Errors are left to pino's serializer: their text goes through the
 * line patterns, and none of ours carries a secret field.
 */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH || !walkable(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const censored = censorSecrets(item, depth + 1);
      if (censored === item) return;
      copy ??= [...value];
      copy[i] = censored;
    });
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const censored = SECRET_KEYS.has(key) && item !== undefined ? REDACTED : censorSecrets(item, depth + 1);
    if (censored === item) continue;
    copy ??= { ...record };
    copy[key] = censored;
  }
  return (copy ?? value) as T;
}

/** Plain data; not what serialises itself (Date, URL, Buffer) nor an Error. */
function walkable(value: object): boolean {
  return !(
    value instanceof Error ||
    ArrayBuffer.isView(value) ||
    value instanceof Map ||
    value instanceof Set ||
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  );
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
      formatters: { log: censorSecrets },
      hooks: { streamWrite: (line) => scrubber.scrub(line) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
  // pino gives children no bindings formatter, so bindings are censored on the way in; every
  // child inherits this method from the root (pino children are created from their parent).
  const pinoChild = logger.child;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, censorSecrets(bindings), childOptions);
  } as typeof logger.child;
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
