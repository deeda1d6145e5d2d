import type { Outbox } from '../outbox';
import type { RedisClients } from './redis-clients';
import { OUTBOX, OUTBOX_DONE, OUTBOX_DONE_MEMORY_MS } from './redis-keys';

/** The outbox schedule as a sorted set: each entry's score is when it is next due, by Redis's clock. */
export class RedisOutbox implements Outbox {
  constructor(private readonly redis: RedisClients) {}

  async schedule(ref: string, delayMs: number, onlyIfAbsent = false): Promise<void> {
    const args = [Math.max(0, Math.round(delayMs)), ref, ...(onlyIfAbsent ? ['NX'] : [])];
    await this.redis.script('outboxSchedule', [this.redis.key(OUTBOX), this.redis.key(OUTBOX_DONE)], args);
  }

  async claimDue(leaseMs: number, max: number): Promise<string[]> {
    return this.redis.script<string[]>(
      'outboxClaimDue',
      [this.redis.key(OUTBOX)],
      [Math.round(leaseMs), max],
    );
  }

  async done(ref: string): Promise<void> {
    const keys = [this.redis.key(OUTBOX), this.redis.key(OUTBOX_DONE)];
    await this.redis.script('outboxDone', keys, [ref, OUTBOX_DONE_MEMORY_MS]);
  }

  async size(): Promise<number> {
    const key = this.redis.key(OUTBOX);
    return this.redis.run('ZCARD', key, (client) => client.zcard(key));
  }
}
