import { pino } from "pino";
import { createCompShareApi } from "../compshare/client.ts";
import { CompShareApiError, CompShareError, CompShareRequestError } from "../compshare/errors.ts";
import { LOG_LEVELS, type LogLevelName, REGION_PATTERN, ZONE_PATTERN } from "../config.ts";
import { createLogger, type Logger, type SecretScrubber } from "../log.ts";
import { BOT_VERSION } from "../version.ts";
import { answerWithoutRunning, type CommandSpec, commandUsage, parseCommand, usageError } from "./args.ts";
import type { CliIo } from "./io.ts";

export const CALL_COMMAND: CommandSpec<Record<string, never>> = {
  name: "call",
  arguments: "<Action> [Key=Value ...]",
  maxPositionals: Number.POSITIVE_INFINITY,
  options: {},
  summary: "make one signed CompShare API call with COMPSHARE_PUBLIC_KEY / COMPSHARE_PRIVATE_KEY",
  details: `Makes one signed CompShare API call and prints the JSON response.
  Values are sent exactly as given: Tags.0=PyTorch Limit=100; each Key at most once.
Environment:
  COMPSHARE_PUBLIC_KEY, COMPSHARE_PRIVATE_KEY   the API key pair (required)
  COMPSHARE_API_URL                             default https://api.compshare.cn
  COMPSHARE_REGION, COMPSHARE_ZONE              defaults for Region=… / Zone=… (cn-wlcb, cn-wlcb-01); Zone only
                                                where the action takes it
  COMPSHARE_PROJECT_ID                          sent as ProjectId when set
Exit codes: 0 success, 1 the call failed (RetCode, HTTP, network), 2 bad arguments or settings.`,
};

export const CALL_USAGE = commandUsage(CALL_COMMAND);

type ParsedCall = { action: string; params: Record<string, string> } | { problem: string };

export function parseCallArgs(args: readonly string[]): ParsedCall {
  const [action, ...pairs] = args;
  if (action === undefined || action.startsWith("-") || action.includes("="))
    return { problem: "Name an Action first." };
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(action)) return { problem: `"${action}" is not an API action name.` };
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) return { problem: `"${pair}" is not Key=Value.` };
    const key = pair.slice(0, at);
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(key)) return { problem: `"${key}" is not a param name.` };
    if (key === "Signature" || key === "PublicKey" || key === "Action") {
      return { problem: `${key} is set by the command itself.` };
    }
    // Which of two values was meant cannot be guessed; the last silently winning hides a typo.
    if (Object.hasOwn(params, key)) return { problem: `${key} is given more than once.` };
    params[key] = pair.slice(at + 1);
  }
  return { action, params };
}

interface CallSettings {
  publicKey: string;
  privateKey: string;
  apiUrl: string;
  region: string;
  zone: string;
  projectId: string | undefined;
}

function readSettings(env: NodeJS.ProcessEnv): CallSettings | { problems: string[] } {
  const problems: string[] = [];
  const get = (name: string) => env[name]?.trim() || undefined;
  const publicKey = get("COMPSHARE_PUBLIC_KEY");
  const privateKey = get("COMPSHARE_PRIVATE_KEY");
  if (!publicKey) problems.push("COMPSHARE_PUBLIC_KEY is not set (CompShare console → 账户中心 → API 密钥).");
  if (!privateKey) problems.push("COMPSHARE_PRIVATE_KEY is not set (CompShare console → 账户中心 → API 密钥).");
  const apiUrl = get("COMPSHARE_API_URL") ?? "https://api.compshare.cn";
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) problems.push("COMPSHARE_API_URL must be an http(s) URL.");
  const region = get("COMPSHARE_REGION") ?? "cn-wlcb";
  const zone = get("COMPSHARE_ZONE") ?? "cn-wlcb-01";
  if (!REGION_PATTERN.test(region)) problems.push("COMPSHARE_REGION does not look like a region id such as cn-wlcb.");
  if (!ZONE_PATTERN.test(zone)) problems.push("COMPSHARE_ZONE does not look like a zone id such as cn-wlcb-01.");
  if (problems.length > 0 || !publicKey || !privateKey) return { problems };
  return { publicKey, privateKey, apiUrl, region, zone, projectId: get("COMPSHARE_PROJECT_ID") };
}

export interface CallCommandDeps {
  logger?: Logger;
  scrubber?: SecretScrubber;
}

/** `compshare-bot call <Action> [Key=Value …]`: one signed call, its JSON on stdout, or the error on stderr. */
export async function runCallCommand(
  args: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  deps: CallCommandDeps = {},
): Promise<number> {
  const command = parseCommand(CALL_COMMAND, args);
  if (command.kind !== "run") return answerWithoutRunning(command, CALL_COMMAND, io, BOT_VERSION);
  const parsed = parseCallArgs(command.positionals);
  if ("problem" in parsed) {
    io.err(usageError([parsed.problem], CALL_USAGE));
    return 2;
  }
  const settings = readSettings(env);
  if ("problems" in settings) {
    io.err(`Cannot call CompShare:\n${settings.problems.map((p) => `  - ${p}`).join("\n")}`);
    return 2;
  }
  const { logger, scrubber } =
    deps.logger && deps.scrubber
      ? { logger: deps.logger, scrubber: deps.scrubber }
      : // The failure itself is printed below; JSON log lines only when asked for with LOG_LEVEL.
        createLogger({ level: isLogLevel(env.LOG_LEVEL) ? env.LOG_LEVEL : "silent", destination: pino.destination(2) });
  scrubber.add(settings.privateKey);
  const api = createCompShareApi({ baseUrl: settings.apiUrl, logger });
  try {
    const client = api.forAccount({
      publicKey: settings.publicKey,
      privateKey: settings.privateKey,
      region: settings.region,
      zone: settings.zone,
      ...(settings.projectId ? { projectId: settings.projectId } : {}),
    });
    const { body, requestId } = await client.call(parsed.action, parsed.params);
    io.out(JSON.stringify(body, null, 2));
    if (requestId) io.err(`request id ${requestId}`);
    return 0;
  } catch (error) {
    io.err(scrubber.scrub(describeCallFailure(error)));
    return error instanceof CompShareRequestError ? 2 : 1;
  } finally {
    await api.close();
  }
}

function describeCallFailure(error: unknown): string {
  if (error instanceof CompShareApiError) {
    const summary = error.info?.summary;
    const lines = [
      `${error.action} failed: RetCode ${error.retCode}${summary ? ` (${summary})` : ""}`,
      `  Message: ${error.apiMessage || "(none)"}`,
      `  request id: ${error.requestId ?? "(none)"}`,
    ];
    if (error.retCode === 171) lines.push("  Check COMPSHARE_PRIVATE_KEY: it does not match COMPSHARE_PUBLIC_KEY.");
    if (error.retCode === 172) lines.push("  Check COMPSHARE_PUBLIC_KEY: no account has it.");
    return lines.join("\n");
  }
  if (error instanceof CompShareError) return `${error.action} failed: ${error.message}`;
  return `The call failed: ${error instanceof Error ? error.message : String(error)}`;
}

function isLogLevel(value: string | undefined): value is LogLevelName {
  return (LOG_LEVELS as readonly string[]).includes(value ?? "");
}
