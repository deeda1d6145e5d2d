/** How long to wait before an HTTP request is sent again, and how the wait is told in logs. */

/** Retry-After in delay-seconds or as an HTTP-date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with jitter, so that several steps failing together do not come back together. */
export function backoff(baseMs: number, attemptNumber: number): number {
  const step = baseMs * 2 ** (attemptNumber - 1);
  return Math.round(step + Math.random() * step);
}

export function retrying(delayMs: number, next: number, max: number): string {
  return `retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next} of ${max})`;
}

export function seconds(ms: number): string {
  return String(Math.round(ms / 10) / 100);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
