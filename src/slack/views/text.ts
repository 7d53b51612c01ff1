/**
 * Text helpers for Block Kit. Slack's mrkdwn needs only &, < and > escaped to stop user data
 * from forming links, mentions or broadcasts (<!channel>); lengths are capped per Slack's limits.
 */

export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Inline code with user data inside: a backtick in the data would end the span early. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text.replaceAll("`", "'")) || " "}\``;
}

/** Bold user data: asterisks inside would end the bold early. */
export function bold(text: string): string {
  const clean = escapeMrkdwn(text.replaceAll("*", "＊")).trim();
  return clean ? `*${clean}*` : "";
}

/**
 * Shortens text to at most `max` UTF-16 units (what Slack counts), cutting on a code point
 * boundary so emoji and CJK characters are never split, and marks the cut with an ellipsis.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** Masks all but the ends of an identifier that is not secret but not for display in full. */
export function maskKey(key: string): string {
  if (key.length <= 8) return `${key.slice(0, 2)}…`;
  return `${key.slice(0, 4)}…${key.slice(-4)}`;
}
