/**
 * Whether the gateway can still make progress, for /healthz: the intake worker and the sweeper report each
 * round trip to the store that worked and each piece of work finished. A process that has done neither for
 * `stallMs` is stuck (a store that stopped answering, a connection that never settles) and should be restarted.
 */
export class Liveness {
  private last: number;
  private watching = false;

  constructor(
    private readonly stallMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now();
  }

  /** From now on a stall counts (the background loops run). */
  watch(): void {
    this.watching = true;
    this.last = this.now();
  }

  /** The loops stopped on purpose (shutdown): not a stall. */
  unwatch(): void {
    this.watching = false;
  }

  progress(): void {
    this.last = this.now();
  }

  /** Why the process counts as stuck, or undefined while it is not. */
  stalled(): string | undefined {
    if (!this.watching) return undefined;
    const idle = this.now() - this.last;
    return idle > this.stallMs
      ? `no progress for ${Math.round(idle / 1000)} s (the state store does not answer, or work never finishes)`
      : undefined;
  }
}
