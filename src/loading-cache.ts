/**
 * Values that expire, loaded on demand: concurrent callers of one key share one load, a failed
 * load is not remembered (the next caller tries again), and the oldest entry goes when the map
 * is full. The bot's per-user and per-group caches (locales, approver groups, image pickers)
 * are all this.
 */
export interface LoadingCacheOptions<V> {
  clock: () => number;
  /** How long a loaded value is served; a function lets a fallback value live shorter. */
  ttlMs: number | ((value: V) => number);
  maxEntries: number;
}

export class LoadingCache<V> {
  readonly #options: LoadingCacheOptions<V>;
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #loading = new Map<string, Promise<V>>();

  constructor(options: LoadingCacheOptions<V>) {
    this.#options = options;
  }

  /** The value if it is fresh, without loading. */
  peek(key: string): V | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expiresAt > this.#options.clock() ? entry.value : undefined;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.#options.clock()) return Promise.resolve(entry.value);
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
    this.#entries.delete(key);
  }

  #store(key: string, value: V): void {
    const { ttlMs, clock, maxEntries } = this.#options;
    this.#entries.delete(key);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size < maxEntries) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: clock() + (typeof ttlMs === "number" ? ttlMs : ttlMs(value)) });
  }
}
