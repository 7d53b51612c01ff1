import type { Locale } from "../../config.ts";
import type { Logger } from "../../log.ts";
import { toLocale } from "./messages.ts";

/** The one Web API call the resolver needs, so tests can pass anything that answers it. */
export interface UsersInfoClient {
  users: {
    info(args: { user: string; include_locale: boolean }): Promise<{ user?: { locale?: string } }>;
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
}

/**
 * Locale from users.info (include_locale), cached per user. A failed lookup falls back to the
 * configured default and is cached briefly, so an outage of users.info does not slow every reply.
 */
export function createLocaleResolver(options: LocaleResolverOptions): LocaleResolver {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const failureTtlMs = Math.min(ttlMs, 60_000);
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { locale: Locale; expiresAt: number }>();
  const pending = new Map<string, Promise<Locale>>();

  const remember = (userId: string, locale: Locale, forMs: number) => {
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.delete(userId);
    cache.set(userId, { locale, expiresAt: options.clock() + forMs });
  };

  const lookup = async (userId: string): Promise<Locale> => {
    try {
      const result = await options.client.users.info({ user: userId, include_locale: true });
      const locale = toLocale(result.user?.locale, options.fallback);
      remember(userId, locale, ttlMs);
      return locale;
    } catch (error) {
      options.logger.warn({ err: error, userId }, "users.info failed; using the default locale");
      remember(userId, options.fallback, failureTtlMs);
      return options.fallback;
    }
  };

  return {
    peek(userId) {
      const hit = cache.get(userId);
      return hit && hit.expiresAt > options.clock() ? hit.locale : options.fallback;
    },
    resolve(userId) {
      const hit = cache.get(userId);
      if (hit && hit.expiresAt > options.clock()) return Promise.resolve(hit.locale);
      const inFlight = pending.get(userId);
      if (inFlight) return inFlight;
      const promise = lookup(userId).finally(() => pending.delete(userId));
      pending.set(userId, promise);
      return promise;
    },
  };
}
