import type { ChoiceRef } from '../../core/choice/choice-record';
import { applyDueSteps, type DeadlineOutcome } from '../../core/choice/deadline-steps';
import { decidedByDeadline, decisionOf, deliveryOf } from '../../core/choice/read-choice';
import type { ContextDocument } from '../../core/document';
import { decisionPolicy } from '../click/decide-click';
import type { GatewayEnv } from '../gateway-env';
import type { Liveness } from '../liveness';
import { choiceDelivery } from '../outbox/choice-delivery';
import { deliver } from '../outbox/deliver';
import { outboxRef } from '../outbox/outbox-ref';
import { expiredMessage } from '../slack/choice-messages';
import { StopSignal } from '../stop-signal';
import { sweepLoop } from '../sweep-loop';
import type { WorkQueue } from '../work-queue';

/**
 * Works the choices' deadline steps (reminders, escalations, defaults, expiry) in every replica, like the outbox
 * sweeper: each due entry of the store's deadline schedule is leased to one replica, which applies the steps
 * inside the store's atomic update (the kernel, core/choice/deadline-steps.ts, marks each step done in the same
 * write as its effect), then shows what they did and schedules the entry for the next step. Whatever dies
 * mid-way leaves the entry to come due again when its lease ends; run again, it finds the steps done and only
 * finishes what followed them (the outbox entry of a default). A reminder is posted after its step is recorded
 * done, so a crash between the two loses that reminder rather than ever posting it twice.
 */
export class DeadlineWorker {
  private readonly state = new StopSignal();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: GatewayEnv,
    private readonly work: WorkQueue,
    private readonly liveness: Liveness,
    private readonly leaseMs: number,
  ) {}

  start(): void {
    if (!this.state.start() || !this.env.store.deadlines) return;
    this.loop = this.sweep();
  }

  async stop(): Promise<void> {
    this.state.stop();
    await this.loop;
  }

  /**
   * Claims the entries due by the gateway's clock and works them; resolves when they are done, with how many it
   * took (the loop's step; tests call it after moving the clock).
   */
  async runDue(max = this.work.free): Promise<number> {
    const schedule = this.env.store.deadlines;
    if (!schedule || max === 0) return 0;
    const refs = await schedule.claimDue(this.env.now(), this.leaseMs, max);
    await Promise.all(refs.map((ref) => this.work.run(() => this.runChoice(ref))));
    return refs.length;
  }

  /** Works the due steps of one choice now (its entry leased to this replica). */
  async runChoice(ref: ChoiceRef): Promise<void> {
    const { env } = this;
    const log = env.logger.child({ contextId: ref.contextId, choiceId: ref.choiceId });
    try {
      let outcome: DeadlineOutcome | undefined;
      const policy = decisionPolicy(env, ref.contextId);
      const doc = await env.store.update(ref.contextId, (current) => {
        outcome = current && applyDueSteps(current, ref.choiceId, new Date(env.now()), policy);
        // The store writes nothing when no step changed the text.
        return current;
      });
      await this.show(ref, outcome, doc);
      if (outcome?.nextAt === undefined) await env.store.deadlines?.done(ref);
      else await env.store.deadlines?.schedule(ref, outcome.nextAt);
    } catch (error) {
      log.warn(
        `deadlines: working the steps failed, they are tried again when the lease ends: ${(error as Error).message}`,
      );
    }
  }

  private async show(
    ref: ChoiceRef,
    outcome: DeadlineOutcome | undefined,
    doc: ContextDocument | undefined,
  ): Promise<void> {
    const choice = outcome?.choice;
    if (!outcome || !choice) return;
    const { env } = this;
    const log = env.logger.child({ contextId: ref.contextId, choiceId: ref.choiceId });
    for (const effect of outcome.effects) {
      log.info(`deadlines: ${effect.kind}`);
      if (effect.kind === 'remind' && choice.channel && choice.messageTs) {
        // In the thread the choice is in, or one started under the choice's message.
        await env.slack.postMessage(choice.channel, choice.threadTs ?? choice.messageTs, {
          text: effect.text,
        });
      } else if (effect.kind === 'expired' && choice.channel && choice.messageTs) {
        await env.slack.update(choice.channel, choice.messageTs, expiredMessage(choice));
      } else if (effect.kind === 'decided') {
        env.metrics.decision('decided');
        const outbox = outboxRef({ kind: 'choice', ...ref });
        // The lease: if this process dies before the outcome is recorded, a sweeper delivers when it ends.
        await env.store.outbox.schedule(outbox, this.leaseMs);
        await deliver(env, choiceDelivery(env, ref, doc));
      }
    }
    const decision = decisionOf(choice);
    const decidedNow = outcome.effects.some((e) => e.kind === 'decided');
    if (!decidedNow && decision && decidedByDeadline(decision) && deliveryOf(decision).status === 'pending') {
      // Decided by another run: still delivering it, or dead before its outbox entry was written. The outbox gets
      // the entry unless it has it, due when that run's lease would have ended: sooner, a sweeper could send the
      // event beside the run that decided it.
      await env.store.outbox.schedule(outboxRef({ kind: 'choice', ...ref }), this.leaseMs, true);
    }
  }

  private sweep(): Promise<void> {
    const { state, work, liveness, env } = this;
    return sweepLoop('deadlines', { state, work, liveness, logger: env.logger }, async () => {
      await this.runDue();
    });
  }
}
