import { z } from "zod";
import { parseDuration } from "./duration.ts";

/**
 * The environment contract of DESIGN §2, parsed once by main.ts.
 * Nothing here runs at import time; nothing here echoes a secret value.
 */

export type Locale = "en" | "zh-CN";

export type SlackMode = "http" | "socket";

export interface Config {
  readonly slack: {
    readonly botToken: string;
    readonly signingSecret: string | undefined;
    readonly appToken: string | undefined;
    readonly apiUrl: string;
    readonly mode: SlackMode;
  };
  readonly port: number;
  /** Where /metrics is served when not on PORT. */
  readonly metricsPort: number | undefined;
  readonly compshare: {
    readonly apiUrl: string;
    readonly region: string;
    readonly zone: string;
    readonly sandbox: boolean;
  };
  readonly databaseUrl: string;
  /** Raw 32-byte keys; the first encrypts, every one decrypts. */
  readonly credentialKeys: readonly Buffer[];
  readonly approval: {
    readonly channel: string | undefined;
    readonly approvers: readonly string[];
    readonly allowSelfApproval: boolean;
    readonly ttlMs: number;
    /** Distinct approvals a request needs (APPROVALS_REQUIRED); the requester never counts. */
    readonly approvalsRequired: number;
  };
  /** POLICY_FILE: a YAML policy that replaces the approval variables above (src/domain/policy/). */
  readonly policyFile: string | undefined;
  readonly defaultLocale: Locale;
  readonly logLevel: LogLevelName;
  /** Finished requests are deleted this long after they finished; the audit log keeps every action. */
  readonly requestRetentionMs: number;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const DEFAULT_PORT = 3000;

export const DEFAULT_SQLITE_URL = "sqlite:./data/compshare-bot.sqlite";

export interface ConfigProblem {
  readonly variable: string;
  /** What is wrong; never contains a secret value (a malformed APPROVERS entry is shown when it cannot be one). */
  readonly problem: string;
  /** What to set, and where to find it. */
  readonly hint: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.variable}: ${p.problem}\n      ${p.hint}`);
  return `compshare-bot cannot start: ${problems.length} setting${problems.length === 1 ? "" : "s"} to fix\n${lines.join("\n")}\nSee README.md, "Configuration", for every variable.`;
}

const HINTS: Record<string, string> = {
  SLACK_BOT_TOKEN:
    "Set it to the app's Bot User OAuth Token (xoxb-…): api.slack.com/apps → your app → OAuth & Permissions. Create the app from manifest.yml first.",
  SLACK_SIGNING_SECRET:
    "Set it to the app's Signing Secret: api.slack.com/apps → your app → Basic Information → App Credentials. (Or set SLACK_APP_TOKEN to use Socket Mode instead.)",
  SLACK_APP_TOKEN:
    "Set it to an app-level token (xapp-…) with the connections:write scope: Basic Information → App-Level Tokens. Leave it unset for HTTP mode.",
  CREDENTIALS_KEY:
    "Set it to base64 of 32 random bytes, e.g. the output of `openssl rand -base64 32`. Keep it safe: it encrypts the stored CompShare private keys.",
  SLACK_API_URL: "Leave it unset for https://slack.com/api/, or give an http(s) URL.",
  COMPSHARE_API_URL: "Leave it unset for https://api.compshare.cn, or give an http(s) URL.",
  PORT: "Set a TCP port number between 0 and 65535 (default 3000).",
  METRICS_PORT:
    "Set a TCP port number between 0 and 65535, other than PORT, to serve /metrics there and not on PORT; leave it unset to keep /metrics on PORT.",
  DATABASE_URL:
    "Use sqlite:<path> (default sqlite:./data/compshare-bot.sqlite) or postgres://user:password@host:5432/db.",
  APPROVAL_CHANNEL:
    "Set the id of the channel where reinstall requests are posted (C… or G…; channel details → About).",
  APPROVERS: "Set a comma-separated list of Slack user ids (U…, W…) and/or user-group ids (S…).",
  APPROVAL_TTL: "Use a duration such as 30m, 24h or 2d (default 24h).",
  REQUEST_RETENTION: "Use a duration of at least 1d, such as 30d or 365d (default 90d).",
  APPROVALS_REQUIRED:
    "Set a whole number from 1 (the default) up to the number of approvers; a user group counts as enough people.",
  POLICY_FILE: "Set the path of a YAML policy file (see policy.example.yml and README.md), or leave it unset.",
  DEFAULT_LOCALE: "Use en or zh-CN (default en).",
  LOG_LEVEL: `Use one of ${LOG_LEVELS.join(", ")} (default info).`,
  ALLOW_SELF_APPROVAL: "Use true or false (default false).",
  COMPSHARE_SANDBOX: "Use true or false (default false).",
  COMPSHARE_REGION: "Use a region id such as cn-wlcb.",
  COMPSHARE_ZONE: "Use a zone id such as cn-wlcb-01.",
};

const boolString = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0", "yes", "no", ""].includes(v), "must be true or false")
  .transform((v) => v === "true" || v === "1" || v === "yes");

const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

export const REGION_PATTERN = /^[a-z]{2}-[a-z0-9-]+$/;
export const ZONE_PATTERN = /^[a-z]{2}-[a-z0-9-]+-\d+$/;
const regionId = z.string().trim().regex(REGION_PATTERN, "does not look like a region id");
const zoneId = z.string().trim().regex(ZONE_PATTERN, "does not look like a zone id");

const credentialKeys = z.string().transform((raw, ctx) => {
  const parts = raw
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) {
    ctx.addIssue({ code: "custom", message: "is empty" });
    return z.NEVER;
  }
  const keys: Buffer[] = [];
  for (const [i, part] of parts.entries()) {
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(part) ? Buffer.from(part, "base64") : Buffer.alloc(0);
    if (key.length !== 32) {
      const which = parts.length > 1 ? `entry ${i + 1} of ${parts.length}` : "the value";
      ctx.addIssue({ code: "custom", message: `${which} is not base64 of exactly 32 bytes` });
      return z.NEVER;
    }
    keys.push(key);
  }
  return keys;
});

/** Slack user ids (U…, W…) and user-group ids (S…), as APPROVERS and policy files name approvers. */
export const APPROVER_ID = /^[UWS][A-Z0-9]{2,}$/;
/** Public and private channel ids (C…, G…). */
export const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/** Why an approver entry is not an id, quoting it only when it cannot be a secret. */
export function approverIdProblem(entry: string): string {
  return `${quoteIfSafe(entry)}${whyNotAnId(entry)}`;
}

const approverIds = z.string().transform((raw, ctx) => {
  const ids = raw
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const [i, id] of ids.entries()) {
    if (APPROVER_ID.test(id)) continue;
    ctx.addIssue({ code: "custom", message: `entry ${i + 1} of ${ids.length} ${approverIdProblem(id)}` });
  }
  return ids;
});

/**
 * Shows an entry only when it cannot be a secret: short, plain characters, not token-shaped
 * (a token pasted into the wrong variable must not end up in the error).
 */
function quoteIfSafe(entry: string): string {
  const safe = entry.length <= 32 && /^[@#\w.-]+$/.test(entry) && !/^(xox|xapp)/i.test(entry);
  return safe ? `("${entry}") ` : "";
}

function whyNotAnId(entry: string): string {
  if (entry.startsWith("@") || entry.startsWith("#"))
    return "is a name, not an id: use the member id (profile → ⋮ → Copy member ID) or the user group's id";
  if (APPROVER_ID.test(entry.toUpperCase())) return "must be upper case, as Slack writes ids";
  return "is not a Slack user id (U…, W…) or user-group id (S…)";
}

const portNumber = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, "must be a whole number")
  .transform(Number)
  .refine((n) => n <= 65535, "must be at most 65535");

const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), "must start with sqlite: or postgres://");

/** Empty strings count as unset, as most deployment tools cannot unset a variable. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const envSchema = z.object({
  SLACK_BOT_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(/^xoxb-/, "must start with xoxb- (a bot token)"),
  ),
  SLACK_SIGNING_SECRET: optional(z.string().trim().min(8, "is too short to be a signing secret")),
  SLACK_APP_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(/^xapp-/, "must start with xapp- (an app-level token)"),
  ),
  SLACK_API_URL: optional(httpUrl),
  PORT: optional(portNumber),
  METRICS_PORT: optional(portNumber),
  COMPSHARE_API_URL: optional(httpUrl),
  COMPSHARE_REGION: optional(regionId),
  COMPSHARE_ZONE: optional(zoneId),
  DATABASE_URL: optional(databaseUrl),
  CREDENTIALS_KEY: optional(credentialKeys),
  APPROVAL_CHANNEL: optional(
    z.string().trim().regex(CHANNEL_ID, "must be a channel id (C… or G…), not a channel name"),
  ),
  APPROVERS: optional(approverIds),
  ALLOW_SELF_APPROVAL: optional(boolString),
  APPROVAL_TTL: optional(
    z.string().transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined || ms < 60_000) {
        ctx.addIssue({ code: "custom", message: "must be a duration of at least 1m, like 30m, 24h or 2d" });
        return z.NEVER;
      }
      return ms;
    }),
  ),
  REQUEST_RETENTION: optional(
    z.string().transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined || ms < 86_400_000) {
        ctx.addIssue({ code: "custom", message: "must be a duration of at least 1d, like 30d or 365d" });
        return z.NEVER;
      }
      return ms;
    }),
  ),
  APPROVALS_REQUIRED: optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, "must be a whole number")
      .transform(Number)
      .refine((n) => n >= 1, "must be at least 1"),
  ),
  POLICY_FILE: optional(z.string().trim()),
  DEFAULT_LOCALE: optional(z.enum(["en", "zh-CN"], "must be en or zh-CN")),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`)),
  COMPSHARE_SANDBOX: optional(boolString),
});

/** Every variable parseConfig reads, for the docs and .env.example checks. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type ParsedConfig = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

/**
 * Parses the environment. Every problem is collected so the operator fixes them in one go.
 * Messages name the variable and the rule it breaks, never the value given.
 */
export function parseConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const add = (variable: string, problem: string) =>
    problems.push({ variable, problem, hint: HINTS[variable] ?? "See README.md." });

  const result = envSchema.safeParse(env);
  if (!result.success) {
    for (const issue of result.error.issues) add(String(issue.path[0] ?? "environment"), issue.message);
  }
  const isSet = (name: string) => (env[name] ?? "").trim() !== "";
  if (!isSet("SLACK_BOT_TOKEN")) add("SLACK_BOT_TOKEN", "is not set");
  if (!isSet("SLACK_APP_TOKEN") && !isSet("SLACK_SIGNING_SECRET")) {
    add("SLACK_SIGNING_SECRET", "is not set (needed in HTTP mode)");
  }
  if (!isSet("CREDENTIALS_KEY")) add("CREDENTIALS_KEY", "is not set");
  if (result.success && result.data.METRICS_PORT !== undefined && result.data.METRICS_PORT !== 0) {
    if (result.data.METRICS_PORT === (result.data.PORT ?? DEFAULT_PORT)) add("METRICS_PORT", "is the same as PORT");
  }
  if (result.success) {
    const required = result.data.APPROVALS_REQUIRED ?? 1;
    const approvers = result.data.APPROVERS ?? [];
    // A user group may hold any number of people; only a list of users alone can be too short.
    const users = approvers.filter((id) => !id.startsWith("S"));
    if (approvers.length > 0 && users.length === approvers.length && required > users.length) {
      add(
        "APPROVALS_REQUIRED",
        `is ${required}, more than the ${users.length} approver${users.length === 1 ? "" : "s"} APPROVERS lists`,
      );
    }
  }
  if (!result.success || problems.length > 0) return { ok: false, problems: dedupe(problems) };

  const e = result.data;
  const mode: SlackMode = e.SLACK_APP_TOKEN ? "socket" : "http";
  if (!e.SLACK_BOT_TOKEN || !e.CREDENTIALS_KEY) throw new Error("unreachable: required settings were checked above");

  const config: Config = deepFreeze({
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: withTrailingSlash(e.SLACK_API_URL ?? "https://slack.com/api/"),
      mode,
    },
    port: e.PORT ?? DEFAULT_PORT,
    metricsPort: e.METRICS_PORT,
    compshare: {
      apiUrl: e.COMPSHARE_API_URL ?? "https://api.compshare.cn",
      region: e.COMPSHARE_REGION ?? "cn-wlcb",
      zone: e.COMPSHARE_ZONE ?? "cn-wlcb-01",
      sandbox: e.COMPSHARE_SANDBOX ?? false,
    },
    databaseUrl: e.DATABASE_URL ?? DEFAULT_SQLITE_URL,
    credentialKeys: e.CREDENTIALS_KEY,
    approval: {
      channel: e.APPROVAL_CHANNEL,
      approvers: e.APPROVERS ?? [],
      allowSelfApproval: e.ALLOW_SELF_APPROVAL ?? false,
      ttlMs: e.APPROVAL_TTL ?? 24 * 3600_000,
      approvalsRequired: e.APPROVALS_REQUIRED ?? 1,
    },
    policyFile: e.POLICY_FILE,
    defaultLocale: e.DEFAULT_LOCALE ?? "en",
    logLevel: e.LOG_LEVEL ?? "info",
    requestRetentionMs: e.REQUEST_RETENTION ?? 90 * 86_400_000,
  });
  return { ok: true, config };
}

/** parseConfig, throwing one ConfigError that lists every problem. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  return parsed.config;
}

/** The secret values in a config, for the log scrubber. */
export function configSecrets(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    ...config.credentialKeys.map((k) => k.toString("base64")),
    passwordOf(config.databaseUrl),
  ].filter((s): s is string => typeof s === "string" && s.length > 0);
}

function passwordOf(url: string): string | undefined {
  if (!url.startsWith("postgres")) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length > 0 ? password : undefined;
  } catch {
    return undefined;
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.variable}\u0000${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Buffer.isBuffer(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
