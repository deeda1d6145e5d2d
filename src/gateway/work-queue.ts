/**
 * Runs at most `limit` tasks at once; the others wait, first come first served. Slack's requests are
 * acknowledged at once, but the work after the ack is bounded: under a burst, a click that has decided gets to
 * forward and record before more clicks start deciding, instead of every click slowing every other down.
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('the limit must be a whole number above 0');
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
