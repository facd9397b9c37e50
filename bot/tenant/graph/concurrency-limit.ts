export type Limited = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `max` tasks at once, the rest in arrival order: one snapshot of many accounts never floods Graph. */
export function concurrencyLimit(max: number): Limited {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
