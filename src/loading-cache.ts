/**
 * Values that expire, loaded on demand: concurrent callers of one key share one load, a failed
 * load is not remembered (the next caller tries again), expired entries are dropped, and the
 * least recently used entries go when the cache is over its bounds. The bot's per-user and
 * per-group caches (locales, approver groups, image pickers) are all this.
 */
export interface LoadingCacheOptions<V> {
  clock: () => number;
  /** How long a loaded value is served; a function lets a fallback value live shorter. */
  ttlMs: number | ((value: V) => number);
  maxEntries: number;
  /**
   * Bound on the summed weight of all entries, for caches whose values differ in size (a user
   * with 3,000 images against one with 3). A value heavier than this on its own is served but
   * not kept. Unbounded when absent.
   */
  maxWeight?: number | undefined;
  /** A value's share of `maxWeight`, e.g. how many images it holds; 1 when absent. */
  weigh?: ((value: V) => number) | undefined;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  weight: number;
}

export class LoadingCache<V> {
  readonly #options: LoadingCacheOptions<V>;
  /** In order of last use, least recent first: Map keeps insertion order, and a use re-inserts. */
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, Promise<V>>();
  #weight = 0;
  /** The earliest expiry among the entries: until then a sweep would find nothing. */
  #nextExpiry = Number.POSITIVE_INFINITY;

  constructor(options: LoadingCacheOptions<V>) {
    this.#options = options;
  }

  /** The value if it is fresh, without loading. */
  peek(key: string): V | undefined {
    return this.#fresh(key)?.value;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.#fresh(key);
    if (entry) return Promise.resolve(entry.value);
    const inFlight = this.#loading.get(key);
    if (inFlight) return inFlight;
    const loading = load()
      .then((value) => {
        this.#store(key, value);
        return value;
      })
      .finally(() => this.#loading.delete(key));
    this.#loading.set(key, loading);
    return loading;
  }

  forget(key: string): void {
    this.#delete(key);
  }

  /** What the cache holds now, expired entries not yet swept included. */
  get stats(): { entries: number; weight: number } {
    return { entries: this.#entries.size, weight: this.#weight };
  }

  #fresh(key: string): Entry<V> | undefined {
    this.#sweepIfDue();
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#options.clock()) {
      this.#delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  #store(key: string, value: V): void {
    const { ttlMs, clock, maxEntries, maxWeight = Number.POSITIVE_INFINITY, weigh } = this.#options;
    this.#delete(key);
    this.#sweepIfDue();
    const weight = weigh ? weigh(value) : 1;
    if (weight > maxWeight) return;
    const expiresAt = clock() + (typeof ttlMs === "number" ? ttlMs : ttlMs(value));
    this.#entries.set(key, { value, expiresAt, weight });
    this.#weight += weight;
    this.#nextExpiry = Math.min(this.#nextExpiry, expiresAt);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= maxEntries && this.#weight <= maxWeight) break;
      this.#delete(oldest);
    }
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  /** One pass over the entries, only once something has expired: entries live minutes, keys stroke by milliseconds. */
  #sweepIfDue(): void {
    const now = this.#options.clock();
    if (now < this.#nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#delete(key);
      else next = Math.min(next, entry.expiresAt);
    }
    this.#nextExpiry = next;
  }
}
