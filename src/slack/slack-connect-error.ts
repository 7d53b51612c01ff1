/**
 * Starting talks to Slack with two different tokens: auth.test with SLACK_BOT_TOKEN, and in
 * Socket Mode apps.connections.open with SLACK_APP_TOKEN. Slack's error (invalid_auth) does not
 * say which token it rejected, so the failure carries it.
 */
export type SlackTokenVariable = "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN";

export class SlackConnectError extends Error {
  readonly token: SlackTokenVariable;
  readonly method: string;

  constructor(token: SlackTokenVariable, method: string, cause: unknown) {
    super(`${method} with ${token} failed`, { cause });
    this.name = "SlackConnectError";
    this.token = token;
    this.method = method;
  }
}

/** Errors thrown by @slack/web-api carry a code starting with slack_webapi_. */
export function isSlackClientError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("slack_webapi_");
}
