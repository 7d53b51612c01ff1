import { webApi } from "@slack/bolt";
import { createCompShareApi } from "../compshare/client.ts";
import { CompShareApiError, CompShareError } from "../compshare/errors.ts";
import { type Config, formatProblems, parseConfig } from "../config.ts";
import { actionConfigured, loadPolicy, POLICY_ACTIONS, type Policy, PolicyFileError } from "../domain/policy/index.ts";
import { createLogger } from "../log.ts";
import { openStore } from "../store/open-store.ts";
import { BOT_VERSION } from "../version.ts";
import { answerWithoutRunning, type CommandSpec, parseCommand } from "./args.ts";
import type { CliIo } from "./io.ts";
import { describeSlackFailure } from "./slack-errors.ts";

/**
 * `compshare-bot doctor`: checks what the bot needs, one line each, and says what to fix.
 * It changes nothing except applying pending migrations, which `start` would do anyway.
 */

export const DOCTOR_COMMAND: CommandSpec<Record<string, never>> = {
  name: "doctor",
  maxPositionals: 0,
  options: {},
  summary: "check configuration, the store, Slack and CompShare, and say what to fix",
  details: `Checks the configuration and the policy (POLICY_FILE, every problem with its line), the store (applying pending migrations, as start would), Slack
(auth.test with SLACK_BOT_TOKEN; apps.connections.open with SLACK_APP_TOKEN when set) and
CompShare reachability, one line each, and says what to fix.
Exit codes: 0 every check passed, 1 a check failed, 2 bad arguments.`,
};

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** Lines printed under the check, e.g. each problem of a policy file. */
  more?: readonly string[];
}

export interface DoctorDeps {
  /** Seconds to wait for each remote check. */
  timeoutMs?: number;
}

export async function runDoctorCommand(
  args: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  deps: DoctorDeps = {},
): Promise<number> {
  const command = parseCommand(DOCTOR_COMMAND, args);
  if (command.kind !== "run") return answerWithoutRunning(command, DOCTOR_COMMAND, io, BOT_VERSION);
  const timeoutMs = deps.timeoutMs ?? 5_000;
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    io.out(line({ name: "configuration", ok: false, detail: "see below" }));
    io.out(formatProblems(parsed.problems));
    return 1;
  }
  const { config } = parsed;
  const policy = await policyCheck(config, env);
  // With a policy file, reinstall approvals are the file's: the configuration line says so.
  const checks: Check[] = [configurationCheck(config, policy.policy), policy.check];
  checks.push(await storeCheck(config));
  checks.push(await slackCheck(config, timeoutMs));
  if (config.slack.appToken !== undefined) checks.push(await socketModeCheck(config, config.slack.appToken, timeoutMs));
  checks.push(await compshareCheck(config, timeoutMs));
  for (const check of checks) {
    io.out(line(check));
    for (const more of check.more ?? []) io.out(`      ${more}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  io.out(failed === 0 ? "All checks passed." : `${failed} check${failed === 1 ? "" : "s"} failed.`);
  return failed === 0 ? 0 : 1;
}

function line(check: Check): string {
  return `${check.ok ? "ok  " : "FAIL"}  ${check.name.padEnd(14)} ${check.detail}`;
}

function configurationCheck(config: Config, policy: Policy | undefined): Check {
  const mode = config.slack.mode === "socket" ? "Socket Mode" : `HTTP mode on port ${config.port}`;
  const rules = policy?.actions.reinstall;
  const reinstall =
    policy === undefined || rules === undefined
      ? "reinstall: see the policy check"
      : !actionConfigured(policy, "reinstall")
        ? "reinstall requests disabled (name an approvals channel and approvers: POLICY_FILE, or APPROVAL_CHANNEL and APPROVERS)"
        : rules.needsApproval
          ? `reinstall approvals in ${rules.approvalChannel}`
          : "reinstall needs no approval";
  const sandbox = config.compshare.sandbox ? ", sandbox" : "";
  return { name: "configuration", ok: true, detail: `${mode}${sandbox}; ${reinstall}` };
}

/** The variables a policy file replaces: set beside POLICY_FILE they are ignored, which the operator should know. */
const REPLACED_BY_POLICY_FILE = [
  "APPROVERS",
  "APPROVAL_CHANNEL",
  "ALLOW_SELF_APPROVAL",
  "APPROVAL_TTL",
  "APPROVALS_REQUIRED",
];

async function policyCheck(config: Config, env: NodeJS.ProcessEnv): Promise<{ check: Check; policy?: Policy }> {
  let policy: Policy;
  try {
    policy = await loadPolicy(config);
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    const count = error.problems.length;
    const check: Check = {
      name: "policy",
      ok: false,
      detail: `${count} problem${count === 1 ? "" : "s"} in POLICY_FILE ${error.path}:`,
      more: error.problems.map((p) => `${p.line === undefined ? "" : `line ${p.line}: `}${p.message}`),
    };
    return { check };
  }
  const approved = POLICY_ACTIONS.filter((action) => policy.actions[action].needsApproval).map((action) => {
    const { approvalsRequired } = policy.actions[action];
    return approvalsRequired > 1 ? `${action} (${approvalsRequired} approvals)` : action;
  });
  const needs = approved.length > 0 ? `approval needed for ${approved.join(", ")}` : "no action needs approval";
  if (policy.source.kind === "environment") {
    return { check: { name: "policy", ok: true, detail: `from the environment: ${needs}` }, policy };
  }
  const ignored = REPLACED_BY_POLICY_FILE.filter((name) => (env[name] ?? "").trim() !== "");
  const check: Check = {
    name: "policy",
    ok: true,
    detail: `POLICY_FILE ${policy.source.path}: ${needs}`,
    ...(ignored.length > 0 ? { more: [`not read, POLICY_FILE replaces them: ${ignored.join(", ")}`] } : {}),
  };
  return { check, policy };
}

async function storeCheck(config: Config): Promise<Check> {
  const { logger } = createLogger({ level: "silent" });
  try {
    const store = await openStore({ url: config.databaseUrl, keys: config.credentialKeys, logger });
    try {
      const ready = await store.ready();
      return ready.ok
        ? { name: "store", ok: true, detail: `${store.driver} reachable, migrations applied` }
        : { name: "store", ok: false, detail: ready.reason };
    } finally {
      await store.close();
    }
  } catch (error) {
    return { name: "store", ok: false, detail: `${messageOf(error)} — check DATABASE_URL` };
  }
}

async function slackCheck(config: Config, timeoutMs: number): Promise<Check> {
  const client = new webApi.WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
  });
  try {
    const auth = await client.auth.test();
    return {
      name: "slack",
      ok: true,
      detail: `bot token works: ${auth.user ?? "?"} in ${auth.team ?? "?"} (${auth.team_id ?? "?"})`,
    };
  } catch (error) {
    const context = { token: "SLACK_BOT_TOKEN", method: "auth.test", apiUrl: config.slack.apiUrl } as const;
    return { name: "slack", ok: false, detail: describeSlackFailure(error, context) };
  }
}

/** What `start` does first in Socket Mode; the URL it hands out is left unused and expires. */
async function socketModeCheck(config: Config, appToken: string, timeoutMs: number): Promise<Check> {
  const client = new webApi.WebClient(appToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
  });
  try {
    const opened = await client.apps.connections.open();
    return opened.url
      ? { name: "socket mode", ok: true, detail: "app token works: apps.connections.open gave a WebSocket URL" }
      : {
          name: "socket mode",
          ok: false,
          detail:
            "Slack answered apps.connections.open with SLACK_APP_TOKEN but without a WebSocket URL: check that Socket Mode is enabled (api.slack.com/apps → your app → Socket Mode).",
        };
  } catch (error) {
    const context = { token: "SLACK_APP_TOKEN", method: "apps.connections.open", apiUrl: config.slack.apiUrl } as const;
    return { name: "socket mode", ok: false, detail: describeSlackFailure(error, context) };
  }
}

/**
 * Reachability without anyone's keys: an unsigned call must come back as a CompShare answer
 * (RetCode 170/172), which proves the URL, TLS and the gateway without touching an account.
 */
async function compshareCheck(config: Config, timeoutMs: number): Promise<Check> {
  const api = createCompShareApi({ baseUrl: config.compshare.apiUrl, deadlineMs: timeoutMs, retry: { attempts: 1 } });
  const target = config.compshare.sandbox ? "the in-process sandbox simulator" : config.compshare.apiUrl;
  if (config.compshare.sandbox) {
    await api.close();
    return { name: "compshare", ok: true, detail: `sandbox: the bot starts ${target} itself` };
  }
  try {
    await api
      .forAccount({
        publicKey: "compshare-bot-doctor",
        privateKey: "compshare-bot-doctor",
        region: config.compshare.region,
        zone: config.compshare.zone,
      })
      .describeImages({ Limit: 1 });
    return { name: "compshare", ok: true, detail: `${target} answers` };
  } catch (error) {
    if (error instanceof CompShareApiError) {
      return {
        name: "compshare",
        ok: true,
        detail: `${target} answers (RetCode ${error.retCode} for a test key, as expected)`,
      };
    }
    const detail = error instanceof CompShareError ? error.message : messageOf(error);
    return {
      name: "compshare",
      ok: false,
      detail: `cannot reach ${target}: ${detail} — check COMPSHARE_API_URL and the network`,
    };
  } finally {
    await api.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
