/** Runs tasks with at most `limit` at once, the rest queued in order: a shared bound across calls. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createLimiter(limit: number): Limiter {
  const bound = Math.max(1, limit);
  const waiting: (() => void)[] = [];
  let active = 0;
  const next = () => {
    if (active >= bound) return;
    const start = waiting.shift();
    if (start) {
      active += 1;
      start();
    }
  };
  return {
    run(task) {
      return new Promise((resolve, reject) => {
        waiting.push(() => {
          task()
            .then(resolve, reject)
            .finally(() => {
              active -= 1;
              next();
            });
        });
        next();
      });
    },
  };
}
