import { StoreError } from '../../core/errors';
import type { AppendOptions, IntakeEntry, IntakeLog, IntakeRecord, OutboxSchedule } from '../intake-log';
import type { RedisClients } from './redis-clients';
import { INTAKE_GROUP, INTAKE_STREAM, OUTBOX, OUTBOX_DONE, seenKey } from './redis-keys';

type StreamEntry = [id: string, fields: string[] | null];

/**
 * The intake log as a Redis Stream read by one consumer group: each gateway process is a consumer. An entry
 * stays in the group's pending list until acknowledged, and is then deleted, so the stream holds exactly the
 * requests not yet done with.
 */
export class RedisIntakeLog implements IntakeLog {
  private group?: Promise<void>;

  constructor(private readonly redis: RedisClients) {}

  private get stream(): string {
    return this.redis.key(INTAKE_STREAM);
  }

  async append(entry: IntakeRecord, options: AppendOptions): Promise<'appended' | 'duplicate' | 'late'> {
    const fields = [
      'kind',
      entry.kind,
      'at',
      String(entry.receivedAt),
      'key',
      entry.requestKey,
      'body',
      entry.body,
      ...(entry.contextId === undefined ? [] : ['context', entry.contextId]),
    ];
    const keys = [this.stream, this.redis.key(seenKey(entry.requestKey))];
    const [status] = await this.redis.script<[number, string?]>('intakeAppend', keys, [
      Math.floor(options.notAfter),
      Math.max(1, Math.round(options.dedupeTtlMs)),
      ...fields,
    ]);
    return status === 1 ? 'appended' : status === 2 ? 'duplicate' : 'late';
  }

  async read(consumer: string, max: number, blockMs: number): Promise<IntakeEntry[]> {
    await this.ensureGroup();
    const answer = await this.withGroup(() =>
      this.redis.runBlocking('XREADGROUP', this.stream, blockMs, (client) =>
        client.xreadgroup(
          'GROUP',
          INTAKE_GROUP,
          consumer,
          'COUNT',
          max,
          'BLOCK',
          blockMs,
          'STREAMS',
          this.stream,
          '>',
        ),
      ),
    );
    const streams = (answer ?? []) as [string, StreamEntry[]][];
    return this.readable(streams.flatMap(([, entries]) => entries).map((e) => [e, 1] as const));
  }

  async claimStale(consumer: string, minIdleMs: number, max: number): Promise<IntakeEntry[]> {
    await this.ensureGroup();
    const key = this.stream;
    const [, claimed] = (await this.withGroup(() =>
      this.redis.run('XAUTOCLAIM', key, (client) =>
        client.xautoclaim(key, INTAKE_GROUP, consumer, Math.round(minIdleMs), '0-0', 'COUNT', max),
      ),
    )) as [string, StreamEntry[], string[]?];
    const entries = claimed.filter((e): e is [string, string[]] => Array.isArray(e[1]));
    if (entries.length === 0) return [];
    // How often each was handed out, so an entry that crashes every worker can be given up.
    const pending = (await this.redis.run('XPENDING', key, (client) =>
      client.xpending(key, INTAKE_GROUP, entries[0]![0], entries.at(-1)![0], entries.length * 2, consumer),
    )) as [string, string, number, number][];
    const counts = new Map(pending.map(([id, , , count]) => [id, Number(count)]));
    return this.readable(entries.map((e) => [e, counts.get(e[0]) ?? 1] as const));
  }

  async touch(consumer: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const key = this.stream;
    await this.redis.run('XCLAIM', key, (client) =>
      client.xclaim(key, INTAKE_GROUP, consumer, 0, ...ids, 'JUSTID'),
    );
  }

  async ack(id: string, schedule?: OutboxSchedule): Promise<void> {
    const args: (string | number)[] = [INTAKE_GROUP, id];
    if (schedule)
      args.push(Math.max(0, Math.round(schedule.delayMs)), schedule.ref, schedule.onlyIfAbsent ? 'NX' : '');
    const keys = [this.stream, this.redis.key(OUTBOX), this.redis.key(OUTBOX_DONE)];
    await this.redis.script('intakeAck', keys, args);
  }

  async backlog(): Promise<number> {
    const key = this.stream;
    return this.redis.run('XLEN', key, (client) => client.xlen(key));
  }

  /** The entries as the worker takes them; one no version of slackline wrote is dropped, not retried for ever. */
  private async readable(entries: (readonly [StreamEntry, number])[]): Promise<IntakeEntry[]> {
    const result: IntakeEntry[] = [];
    for (const [entry, deliveries] of entries) {
      const read = entryOf(entry, deliveries);
      if (read) result.push(read);
      else await this.ack(entry[0]);
    }
    return result;
  }

  /** The group is made once per process, and made again if the stream went away (a Redis without persistence). */
  private ensureGroup(): Promise<void> {
    this.group ??= this.redis
      .run('XGROUP', this.stream, (client) =>
        client.xgroup('CREATE', this.stream, INTAKE_GROUP, '0', 'MKSTREAM'),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof StoreError && error.message.includes('BUSYGROUP')) return;
          this.group = undefined;
          throw error;
        },
      );
    return this.group;
  }

  private async withGroup<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (!(error instanceof StoreError && error.message.includes('NOGROUP'))) throw error;
      this.group = undefined;
      await this.ensureGroup();
      return command();
    }
  }
}

function entryOf([id, fields]: StreamEntry, deliveries: number): IntakeEntry | undefined {
  if (!fields) return undefined;
  const value: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) value[fields[i] as string] = fields[i + 1] as string;
  const kind = value['kind'];
  if (kind !== 'click' && kind !== 'command') return undefined;
  return {
    id,
    kind,
    receivedAt: Number(value['at']) || 0,
    requestKey: value['key'] ?? '',
    body: value['body'] ?? '',
    ...(value['context'] === undefined ? {} : { contextId: value['context'] }),
    deliveries,
  };
}
