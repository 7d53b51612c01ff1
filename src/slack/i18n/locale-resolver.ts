import type { Locale } from "../../config.ts";
import { LoadingCache } from "../../loading-cache.ts";
import type { Logger } from "../../log.ts";
import { toLocale } from "./messages.ts";

/** The one Web API call the resolver needs, so tests can pass anything that answers it. */
export interface UsersInfoClient {
  users: {
    info(args: { user: string; include_locale: boolean }): Promise<{ user?: { locale?: string; tz?: string } }>;
  };
}

export interface LocaleResolverOptions {
  client: UsersInfoClient;
  fallback: Locale;
  clock: () => number;
  logger: Logger;
  ttlMs?: number;
  maxEntries?: number;
}

export interface LocaleResolver {
  resolve(userId: string): Promise<Locale>;
  /** The cached locale, or the fallback, without waiting for Slack (for the 3-second paths). */
  peek(userId: string): Locale;
  /** The user's IANA time zone from the same users.info answer, once resolved; undefined before or when unknown. */
  peekTimeZone(userId: string): string | undefined;
}

/**
 * Locale from users.info (include_locale), cached per user. A failed lookup falls back to the
 * configured default and is cached briefly, so an outage of users.info does not slow every reply.
 */
export function createLocaleResolver(options: LocaleResolverOptions): LocaleResolver {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const failureTtlMs = Math.min(ttlMs, 60_000);
  const cache = new LoadingCache<{ locale: Locale; timeZone?: string; fromSlack: boolean }>({
    clock: options.clock,
    ttlMs: (entry) => (entry.fromSlack ? ttlMs : failureTtlMs),
    maxEntries: options.maxEntries ?? 10_000,
  });

  const lookup = async (userId: string) => {
    try {
      const result = await options.client.users.info({ user: userId, include_locale: true });
      const tz = result.user?.tz;
      return {
        locale: toLocale(result.user?.locale, options.fallback),
        ...(typeof tz === "string" && tz !== "" ? { timeZone: tz } : {}),
        fromSlack: true,
      };
    } catch (error) {
      options.logger.warn({ err: error, userId }, "users.info failed; using the default locale");
      return { locale: options.fallback, fromSlack: false };
    }
  };

  return {
    peek: (userId) => cache.peek(userId)?.locale ?? options.fallback,
    peekTimeZone: (userId) => cache.peek(userId)?.timeZone,
    resolve: async (userId) => (await cache.get(userId, () => lookup(userId))).locale,
  };
}
