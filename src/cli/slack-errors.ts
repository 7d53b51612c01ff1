/** Words for the failures an operator meets when the bot first talks to Slack. */

const AUTH_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);

export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

export function describeSlackFailure(error: unknown, apiUrl: string): string {
  const code = slackErrorCode(error);
  if (code !== undefined && AUTH_ERRORS.has(code)) {
    return `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token again from api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app to the workspace if it was revoked.`;
  }
  if (code !== undefined) return `Slack answered ${code} to auth.test.`;
  const reason = error instanceof Error ? error.message : String(error);
  return `Cannot reach Slack at ${apiUrl} (${reason}). Check the network, a proxy, or SLACK_API_URL.`;
}

/** Errors thrown by @slack/web-api carry a code starting with slack_webapi_. */
export function isSlackClientError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("slack_webapi_");
}
