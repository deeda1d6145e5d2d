import { deepCopy, type ContextDocument } from '../document';
import { SlacklineError } from '../errors';
import { audit } from './audit';
import type { Delivery, PendingDelivery } from './choice-record';
import { choiceById, decisionOf, deliveryOf } from './read-choice';

/** How long a decision is tried to be delivered when the gateway's config does not say. */
export const DEFAULT_DELIVERY_DEADLINE_MS = 10 * 60_000;

/**
 * The wait after the n-th failed attempt: quick at first (an EventListener pod restarting is back within
 * seconds), then once a minute. The sweeper adds jitter when it schedules, so replicas do not retry in step.
 */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15_000, 30_000, 60_000];

export function retryDelayMs(attemptsMade: number): number {
  const index = Math.min(Math.max(attemptsMade, 1), RETRY_DELAYS_MS.length) - 1;
  return RETRY_DELAYS_MS[index] as number;
}

/** A delivery about to be tried for the first time (or again); `route` absent is the default route. */
export function pendingDelivery(
  at: Date,
  deadlineMs: number,
  route: string | null,
  attempts = 0,
): PendingDelivery {
  return {
    status: 'pending',
    attempts,
    since: at.toISOString(),
    deadline: new Date(at.getTime() + deadlineMs).toISOString(),
    ...(route === null ? {} : { route }),
  };
}

/** What one POST to the EventListener came to. */
export type AttemptResult =
  { ok: true; eventId: string | null; route: string } | { ok: false; error: string; route: string };

/**
 * A pending delivery after one attempt: delivered, or pending with the next attempt's time, or, at the deadline,
 * undelivered. Undefined when the delivery is not pending (another replica recorded the outcome first): a
 * delivered decision is never turned back.
 */
export function afterAttempt(current: Delivery, result: AttemptResult, at: Date): Delivery | undefined {
  if (current.status !== 'pending') return undefined;
  const attempts = current.attempts + 1;
  const when = at.toISOString();
  if (result.ok)
    return { status: 'delivered', attempts, eventId: result.eventId, at: when, route: result.route };
  if (at.getTime() >= Date.parse(current.deadline)) {
    return { status: 'undelivered', attempts, error: result.error, at: when, route: result.route };
  }
  return {
    ...current,
    attempts,
    lastError: result.error,
    nextAttemptAt: new Date(at.getTime() + retryDelayMs(attempts)).toISOString(),
    route: result.route,
  };
}

/** A pending delivery given up once its deadline has passed; undefined when there is nothing to give up. */
export function afterDeadline(current: Delivery, at: Date): Delivery | undefined {
  if (current.status !== 'pending' || at.getTime() < Date.parse(current.deadline)) return undefined;
  return {
    status: 'undelivered',
    attempts: current.attempts,
    error: current.lastError ?? 'no attempt could be made before the deadline',
    at: at.toISOString(),
    route: current.route ?? '',
  };
}

/** Records one attempt's result on the pending delivery of a decided choice (see afterAttempt). */
export function recordAttempt(
  doc: ContextDocument,
  choiceId: string,
  result: AttemptResult,
  at: Date,
): Delivery | undefined {
  return transition(doc, choiceId, (current) => afterAttempt(current, result, at));
}

/** Gives the pending delivery of a decided choice up once its deadline has passed (see afterDeadline). */
export function giveUpDelivery(doc: ContextDocument, choiceId: string, at: Date): Delivery | undefined {
  return transition(doc, choiceId, (current) => afterDeadline(current, at));
}

function transition(
  doc: ContextDocument,
  choiceId: string,
  next: (current: Delivery) => Delivery | undefined,
): Delivery | undefined {
  const current = currentDelivery(doc, choiceId);
  const delivery = current && next(current);
  if (delivery) recordDelivery(doc, choiceId, delivery);
  return delivery;
}

/** The delivery of a decided choice, as this version reads it; undefined when there is no decision. */
export function currentDelivery(doc: ContextDocument, choiceId: string): Delivery | undefined {
  const choice = choiceById(doc, choiceId);
  const decision = choice && decisionOf(choice);
  return decision ? deliveryOf(decision) : undefined;
}

/** Sets a decision's delivery, with an audit entry for an outcome (delivered or undelivered). */
export function recordDelivery(doc: ContextDocument, choiceId: string, delivery: Delivery): void {
  const choice = choiceById(doc, choiceId);
  if (!choice) throw new SlacklineError(`No offered choice ${choiceId} in the context document`);
  const decision = decisionOf(choice);
  if (!decision) throw new SlacklineError(`Offered choice ${choiceId} has no decision to deliver`);
  decision.delivery = deepCopy(delivery);
  // No `value: undefined` keys: the document is dumped as YAML, which has no undefined.
  const value = typeof decision.option.value === 'string' ? { value: decision.option.value } : {};
  if (delivery.status === 'delivered') {
    audit(choice, { at: delivery.at, user: null, action: 'delivered', ...value, eventId: delivery.eventId });
  } else if (delivery.status === 'undelivered') {
    audit(choice, { at: delivery.at, user: null, action: 'undelivered', ...value, error: delivery.error });
  }
}
