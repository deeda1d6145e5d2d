/**
 * The work that follows Slack's ack: at most `limit` tasks at once, the others waiting, first come first
 * served. Under a burst, a click that has decided gets to forward and record before more clicks start
 * deciding, instead of every click slowing every other down. Shutdown waits for it to empty: an acknowledged
 * click's response is long finished, so waiting for open requests alone would drop it half done.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly emptied: Array<() => void> = [];
  private readonly roomMade: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('the limit must be a whole number above 0');
  }

  /** Tasks started or waiting. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  /** How many more tasks would start at once. */
  get free(): number {
    return Math.max(0, this.limit - this.size);
  }

  /** Resolves once a task could start at once: now, or when a running one finishes. */
  room(): Promise<void> {
    return this.free > 0 ? Promise.resolve() : new Promise((resolve) => this.roomMade.push(resolve));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its place straight to the next one waiting, so the queue never looks empty between.
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
      if (this.free > 0) for (const resolve of this.roomMade.splice(0)) resolve();
      if (this.size === 0) for (const resolve of this.emptied.splice(0)) resolve();
    }
  }

  /** Resolves once no task is running or waiting. */
  empty(): Promise<void> {
    return this.size === 0 ? Promise.resolve() : new Promise((resolve) => this.emptied.push(resolve));
  }
}
