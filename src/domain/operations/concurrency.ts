/** Runs tasks with at most `limit` at once, the rest queued in order: a shared bound across calls. */
export interface Limiter {
  /** Resolves with the task's result, or undefined when the limiter was closed before the task could start. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
  /** Queued tasks are dropped (running ones finish); returns how many were dropped. */
  close(): number;
}

export function createLimiter(limit: number): Limiter {
  const bound = Math.max(1, limit);
  let waiting: { start: () => void; drop: () => void }[] = [];
  let active = 0;
  let closed = false;
  const next = () => {
    if (active >= bound) return;
    const task = waiting.shift();
    if (task) {
      active += 1;
      task.start();
    }
  };
  return {
    run<T>(task: () => Promise<T>) {
      if (closed) return Promise.resolve(undefined);
      return new Promise<T | undefined>((resolve, reject) => {
        waiting.push({
          start: () => {
            task()
              .then(resolve, reject)
              .finally(() => {
                active -= 1;
                next();
              });
          },
          drop: () => resolve(undefined),
        });
        next();
      });
    },
    close() {
      closed = true;
      const dropped = waiting;
      waiting = [];
      for (const task of dropped) task.drop();
      return dropped.length;
    },
  };
}
