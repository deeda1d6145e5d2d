import type { GatewayEnv } from '../gateway-env';
import type { Liveness } from '../liveness';
import { StopSignal } from '../stop-signal';
import { sweepLoop } from '../sweep-loop';
import type { WorkQueue } from '../work-queue';
import { choiceDelivery } from './choice-delivery';
import { commandDelivery } from './command-delivery';
import { deliver } from './deliver';
import { outboxTarget } from './outbox-ref';

/**
 * Every replica sweeps the outbox: each due entry it claims is leased to it for `leaseMs` (one replica at a time
 * per entry), and delivered through the same step as a fresh decision. What a dead replica was delivering is
 * due again when its lease ends; what failed is due when its backoff ends; what passed its deadline is recorded
 * as undelivered. Nothing stays pending.
 */
export class Sweeper {
  private readonly state = new StopSignal();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: GatewayEnv,
    private readonly work: WorkQueue,
    private readonly liveness: Liveness,
    private readonly leaseMs: number,
  ) {}

  start(): void {
    if (!this.state.start()) return;
    this.loop = this.sweep();
  }

  async stop(): Promise<void> {
    this.state.stop();
    await this.loop;
  }

  /** Delivers one outbox entry now (the loop's step; tests call it to drive the outbox). */
  async deliverRef(ref: string): Promise<void> {
    const target = outboxTarget(ref);
    if (!target) return this.env.store.outbox.done(ref);
    const item =
      target.kind === 'choice' ? choiceDelivery(this.env, target) : commandDelivery(this.env, target.eventId);
    try {
      await deliver(this.env, item);
    } catch (error) {
      // The lease runs out and the entry is due again.
      item.log.warn(
        `outbox: delivering failed, it is tried again when its lease ends: ${(error as Error).message}`,
      );
    }
  }

  private sweep(): Promise<void> {
    const { state, work, liveness, env } = this;
    return sweepLoop('outbox', { state, work, liveness, logger: env.logger }, async () => {
      const refs = await this.env.store.outbox.claimDue(this.leaseMs, this.work.free);
      for (const ref of refs) void this.work.run(() => this.deliverRef(ref));
    });
  }
}
