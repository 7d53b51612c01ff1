import type { Locale } from "../../config.ts";
import { en, type Messages } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

export type { Messages } from "./en.ts";

const CATALOGUES: Record<Locale, Messages> = { en, "zh-CN": zhCN };

export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/** Slack locales are like "en-US", "zh-CN", "zh-TW"; every Chinese variant reads the Simplified catalogue better than English. */
export function toLocale(slackLocale: string | undefined, fallback: Locale): Locale {
  if (!slackLocale) return fallback;
  const lower = slackLocale.toLowerCase();
  if (lower.startsWith("zh")) return "zh-CN";
  if (lower.startsWith("en")) return "en";
  return fallback;
}

/** A catalogue table's word for a value CompShare sent, or undefined for one the table does not know. */
export function wordFor<K extends string>(
  table: Readonly<Record<K, string>>,
  value: string | undefined,
): string | undefined {
  return value !== undefined && Object.hasOwn(table, value) ? table[value as K] : undefined;
}
