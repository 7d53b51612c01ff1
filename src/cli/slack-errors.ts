/** Words for the failures an operator meets when the bot first talks to Slack. */

import type { SlackTokenVariable } from "../slack/slack-connect-error.ts";

const AUTH_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);

const WHERE_TO_GET: Record<SlackTokenVariable, string> = {
  SLACK_BOT_TOKEN:
    "copy the Bot User OAuth Token again from api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app to the workspace if it was revoked.",
  SLACK_APP_TOKEN:
    "create an app-level token with the connections:write scope again at api.slack.com/apps → your app → Basic Information → App-Level Tokens (or unset SLACK_APP_TOKEN to use HTTP mode).",
};

export interface SlackCallContext {
  /** The token the failing call was made with. */
  token: SlackTokenVariable;
  method: string;
  apiUrl: string;
}

export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

export function describeSlackFailure(error: unknown, context: SlackCallContext): string {
  const code = slackErrorCode(error);
  if (code !== undefined && AUTH_ERRORS.has(code)) {
    return `Slack rejected ${context.token} (${code}) at ${context.method}: ${WHERE_TO_GET[context.token]}`;
  }
  if (code !== undefined) return `Slack answered ${code} to ${context.method} with ${context.token}.`;
  const reason = error instanceof Error ? error.message : String(error);
  return `Cannot reach Slack at ${context.apiUrl} (${reason}). Check the network, a proxy, or SLACK_API_URL.`;
}
