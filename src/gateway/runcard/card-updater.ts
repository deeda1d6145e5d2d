import type { JsonLogger } from '../json-logger';

/** Decides whether this replica may send now (store.claimOnce): at most one update per interval, whoever sends. */
export type SendSlot = (key: string, ttlMs: number) => Promise<boolean>;

interface Pending {
  timer: NodeJS.Timeout | undefined;
  sending: Promise<void> | undefined;
  /** Asked for again while sending: one more, trailing update follows. */
  again: boolean;
}

/**
 * Coalesces a message's updates: the first change is sent at once, the ones that follow within `intervalMs`
 * become one trailing update, and each update renders what the store holds when it is sent, so the last one
 * carries the latest state. The slot claimed in the store spreads the limit over every replica, since one run's
 * events reach any of them. Timers use the process's clock, not env.now, which tests may freeze.
 */
export class CardUpdater {
  private readonly pending = new Map<string, Pending>();
  private readonly lastSentAt = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string) => Promise<void>,
    private readonly slot: SendSlot,
    private readonly logger: JsonLogger,
  ) {}

  schedule(key: string): void {
    const entry = this.pending.get(key);
    if (entry) {
      if (entry.sending) entry.again = true;
      return;
    }
    const since = performance.now() - (this.lastSentAt.get(key) ?? -Infinity);
    this.arm(
      key,
      { timer: undefined, sending: undefined, again: false },
      Math.max(0, this.intervalMs - since),
    );
  }

  /** Sends what is still waiting now instead of at its time (shutdown), and waits for every send. */
  async drain(): Promise<void> {
    for (const [key, entry] of [...this.pending]) {
      if (entry.timer) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        await this.fire(key, entry, false);
      } else await entry.sending;
    }
  }

  private arm(key: string, entry: Pending, delayMs: number): void {
    this.pending.set(key, entry);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.fire(key, entry, true);
    }, delayMs);
  }

  private async fire(key: string, entry: Pending, useSlot: boolean): Promise<void> {
    entry.again = false;
    entry.sending = (async () => {
      try {
        // The slot lapses a little before this replica's own next timer fires, or that timer would find it still
        // taken (the store's clock and this one differ by milliseconds) and wait a whole interval more.
        const slotMs = Math.max(1, Math.floor(this.intervalMs * 0.9));
        if (useSlot && !(await this.slot(`run-card-update:${key}`, slotMs))) {
          // Another replica sent within the interval; ours may be newer, so it follows as the trailing one.
          entry.again = true;
          return;
        }
        this.lastSentAt.set(key, performance.now());
        await this.send(key);
      } catch (error) {
        this.logger.warn(`run card update failed: ${(error as Error).message}`);
      }
    })();
    await entry.sending;
    entry.sending = undefined;
    if (entry.again) this.arm(key, entry, this.intervalMs);
    else this.pending.delete(key);
  }
}
