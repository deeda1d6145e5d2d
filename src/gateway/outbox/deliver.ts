import type { Delivery } from '../../core/choice/choice-record';
import { afterAttempt, afterDeadline, type AttemptResult } from '../../core/choice/delivery';
import type { ForwardedEvent } from '../../core/forwarded-event';
import { forwardEvent } from '../forward-event';
import type { GatewayEnv } from '../gateway-env';
import type { JsonLogger } from '../json-logger';
import { resolveRoute } from '../resolve-route';
import { leaseMs } from './lease-ms';

/** A decision, or a slash command, with its delivery record: what deliver() needs to know of either. */
export interface Deliverable {
  /** its name in the outbox */
  ref: string;
  log: JsonLogger;
  /** the delivery as recorded now and the event it sends; undefined when the record is gone */
  read(): Promise<{ delivery: Delivery; event: ForwardedEvent } | undefined>;
  /** applies `next` to the recorded delivery atomically; the delivery recorded, undefined when none was */
  record(next: (current: Delivery) => Delivery | undefined): Promise<Delivery | undefined>;
  /** tells Slack how it went */
  show(delivery: Delivery): Promise<void>;
  /** once delivered or given up */
  settled?(delivery: Delivery): Promise<void>;
}

/**
 * One step of a delivery, by whoever holds its outbox lease (the worker that recorded the decision, or a
 * sweeper): one POST, its result recorded, and the outbox told when to look again. Whatever dies mid-way, the
 * lease runs out and another step is taken; a copy sent twice carries the same event id, which the interceptor
 * in front of the EventListener lets through once.
 */
export async function deliver(env: GatewayEnv, item: Deliverable): Promise<Delivery | undefined> {
  const started = Date.now();
  const found = await item.read();
  const { outbox } = env.store;
  if (!found) {
    await outbox.done(item.ref);
    return undefined;
  }
  const { delivery, event } = found;
  const now = new Date(env.now());
  if (delivery.status !== 'pending') {
    // Settled, but the step that settled it died (or lost Redis's answer) before it was done: it may not
    // have been shown, and showing it twice is harmless.
    await item.show(delivery);
    await item.settled?.(delivery);
    await outbox.done(item.ref);
    return delivery;
  }
  const due = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) - now.getTime() : 0;
  let next: Delivery | undefined;
  if (afterDeadline(delivery, now)) {
    next = await item.record((current) => afterDeadline(current, new Date(env.now())));
  } else if (due > 0) {
    // Claimed before its time (a lease that ran out early): put back for when it is due.
    await outbox.schedule(item.ref, due);
    return delivery;
  } else {
    const target = resolveRoute(delivery.route ?? null, env.config.forwarding);
    const outcome = await forwardEvent(env, target, event);
    const result: AttemptResult = outcome.delivered
      ? { ok: true, eventId: outcome.eventId, route: outcome.route }
      : { ok: false, error: outcome.error ?? 'unknown error', route: outcome.route };
    item.log
      .child({ eventId: event.id, listenerEventId: outcome.eventId })
      .info(`forward attempt ${delivery.attempts + 1}: ${outcome.delivered ? 'delivered' : outcome.error}`);
    // A slow step (a busy process, a document many writers contend for) keeps its lease, so that no sweeper
    // sends the same event again while this one records what the EventListener said.
    const lease = leaseMs(env);
    if (Date.now() - started > lease / 3) await outbox.schedule(item.ref, lease);
    next = await item.record((current) => afterAttempt(current, result, new Date(env.now())));
  }
  // Undefined: another step recorded an outcome first, and scheduled what follows it.
  if (!next) return undefined;
  if (next.status === 'pending') {
    const wait = Date.parse(next.nextAttemptAt ?? '') - env.now();
    await outbox.schedule(item.ref, jitter(Number.isNaN(wait) ? 0 : wait));
    // Slack hears of the first failure (with until when it is retried), not of every retry.
    if (next.attempts === 1) await item.show(next);
    return next;
  }
  // In this order: whatever dies before the entry is done leaves it in the outbox, and the next step shows it.
  await item.show(next);
  await item.settled?.(next);
  await outbox.done(item.ref);
  return next;
}

/** ±20%, so that what failed together is not retried together. */
function jitter(ms: number): number {
  return Math.max(0, ms * (0.8 + Math.random() * 0.4));
}
