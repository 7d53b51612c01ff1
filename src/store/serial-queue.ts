/**
 * Runs tasks one at a time, in order. node:sqlite is synchronous, but a transaction body awaits
 * between statements; without this, another caller's statement could slip into the open
 * transaction, or block the thread in SQLite's busy handler while the holder cannot resume.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** One queue per database file in this process, shared by every connection to it. */
export class QueueRegistry {
  readonly #entries = new Map<string, { queue: SerialQueue; users: number }>();

  acquire(key: string): { queue: SerialQueue; release: () => void } {
    const entry = this.#entries.get(key) ?? { queue: new SerialQueue(), users: 0 };
    entry.users += 1;
    this.#entries.set(key, entry);
    let released = false;
    return {
      queue: entry.queue,
      release: () => {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.users === 0 && this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    };
  }
}
