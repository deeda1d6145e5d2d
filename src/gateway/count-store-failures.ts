import { StoreError } from '../core/errors';
import type { DeadlineSchedule } from '../store/deadline-schedule';
import type { IntakeLog } from '../store/intake-log';
import type { Outbox } from '../store/outbox';
import type { GatewayStore } from '../store/store';
import type { GatewayMetrics } from './metrics';
import { storeFailure } from './store-failure';

/**
 * The same store, counting every StoreError any of its calls rejects with in
 * `slackline_dependency_failures_total{dependency="store",kind}`. Wrapped once where the gateway is built, so
 * every caller (intake, outbox, clicks, readiness) is counted without each of them knowing about metrics. Errors
 * that are not the store's (one thrown by an update's `change`) are not the store failing, and are not counted.
 * Spelled out method by method rather than with a Proxy, so that a method added to the interfaces fails to
 * compile here instead of going uncounted.
 */
export function countStoreFailures(store: GatewayStore, metrics: GatewayMetrics): GatewayStore {
  const counted = <T>(call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => {
      if (error instanceof StoreError) metrics.dependencyFailure('store', storeFailure(error).metricKind);
      throw error;
    });
  const intake: IntakeLog = {
    append: (entry, options) => counted(store.intake.append(entry, options)),
    read: (consumer, max, blockMs) => counted(store.intake.read(consumer, max, blockMs)),
    claimStale: (consumer, minIdleMs, max) => counted(store.intake.claimStale(consumer, minIdleMs, max)),
    touch: (consumer, ids) => counted(store.intake.touch(consumer, ids)),
    ack: (id, schedule) => counted(store.intake.ack(id, schedule)),
    backlog: () => counted(store.intake.backlog()),
  };
  const outbox: Outbox = {
    schedule: (ref, delayMs, onlyIfAbsent) => counted(store.outbox.schedule(ref, delayMs, onlyIfAbsent)),
    claimDue: (leaseMs, max) => counted(store.outbox.claimDue(leaseMs, max)),
    done: (ref) => counted(store.outbox.done(ref)),
    size: () => counted(store.outbox.size()),
  };
  const { indexMessage, findMessage, deadlines } = store;
  return {
    get description() {
      return store.description;
    },
    intake,
    outbox,
    load: (id) => counted(store.load(id)),
    peek: (id) => counted(store.peek(id)),
    update: (id, change) => counted(store.update(id, change)),
    close: () => store.close(),
    claimOnce: (key, ttlMs) => counted(store.claimOnce(key, ttlMs)),
    remove: (id) => counted(store.remove(id)),
    ping: () => counted(store.ping()),
    // Optional in the interface: absent stays absent, so callers still see that this store has no index.
    ...(indexMessage
      ? {
          indexMessage: (channel: string, ts: string, id: string) =>
            counted(indexMessage.call(store, channel, ts, id)),
        }
      : {}),
    ...(findMessage
      ? { findMessage: (channel: string, ts: string) => counted(findMessage.call(store, channel, ts)) }
      : {}),
    ...(deadlines ? { deadlines: countedDeadlines(deadlines, counted) } : {}),
  };
}

function countedDeadlines(
  deadlines: DeadlineSchedule,
  counted: <T>(call: Promise<T>) => Promise<T>,
): DeadlineSchedule {
  return {
    schedule: (choice, atMs) => counted(deadlines.schedule(choice, atMs)),
    claimDue: (nowMs, leaseMs, max) => counted(deadlines.claimDue(nowMs, leaseMs, max)),
    done: (choice) => counted(deadlines.done(choice)),
    size: () => counted(deadlines.size()),
  };
}
