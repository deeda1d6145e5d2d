import { deadlineMember, deadlineRef, type DeadlineSchedule } from '../deadline-schedule';
import type { ChoiceRef } from '../../core/choice/choice-record';
import type { RedisClients } from './redis-clients';
import { DEADLINES } from './redis-keys';

/** The deadline schedule as a sorted set: each entry's score is when it is next due, by the caller's clock. */
export class RedisDeadlines implements DeadlineSchedule {
  constructor(private readonly redis: RedisClients) {}

  async schedule(choice: ChoiceRef, atMs: number): Promise<void> {
    const key = this.redis.key(DEADLINES);
    await this.redis.run('ZADD', key, (client) => client.zadd(key, Math.round(atMs), deadlineMember(choice)));
  }

  async claimDue(nowMs: number, leaseMs: number, max: number): Promise<ChoiceRef[]> {
    const members = await this.redis.script<string[]>(
      'deadlinesClaimDue',
      [this.redis.key(DEADLINES)],
      [Math.round(nowMs), Math.round(leaseMs), max],
    );
    return members.flatMap((m) => deadlineRef(m) ?? []);
  }

  async done(choice: ChoiceRef): Promise<void> {
    const key = this.redis.key(DEADLINES);
    await this.redis.run('ZREM', key, (client) => client.zrem(key, deadlineMember(choice)));
  }

  async size(): Promise<number> {
    const key = this.redis.key(DEADLINES);
    return this.redis.run('ZCARD', key, (client) => client.zcard(key));
  }
}
