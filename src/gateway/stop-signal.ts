/**
 * The on/off state of a background loop (the intake worker's, the outbox sweeper's): whether it runs, and a
 * sleep that ends early when it is told to stop, so shutdown never waits out a backoff.
 */
export class StopSignal {
  running = false;
  private signal: () => void = () => {};
  /** Resolves when stop() is called. */
  stopped: Promise<void> = Promise.resolve();

  /** False when it was running already. */
  start(): boolean {
    if (this.running) return false;
    this.running = true;
    this.stopped = new Promise((resolve) => (this.signal = resolve));
    return true;
  }

  stop(): void {
    this.running = false;
    this.signal();
  }

  /** Sleeps `ms`, or less when stop() is called. */
  async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), this.stopped]);
    clearTimeout(timer);
  }
}
