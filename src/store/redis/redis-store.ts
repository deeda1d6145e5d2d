import { randomUUID } from 'node:crypto';
import type { RedisDatasourceConfig } from '../../config/datasource-config';
import { deepCopy, type ContextDocument } from '../../core/document';
import { StoreError } from '../../core/errors';
import { silentLogger, type Logger } from '../../core/logger';
import { parseDocument } from './parse-document';
import { scanNodeLines } from '../../compat/yaml/yaml-node-lines';
import { dumpSections, readSections, YamlSectionMismatch } from '../../compat/yaml/yaml-sections';
import { RecentDocuments } from '../recent-documents';
import { sha1, versionOf, type Version } from './document-version';
import type { GatewayStore } from '../store';
import { RedisClients, type RedisClientOptions } from './redis-clients';
import { findIndexedDocument } from './find-indexed-document';
import { answerLost, isConnectionLoss } from './redis-errors';
import { RedisDeadlines } from './redis-deadlines';
import { RedisIntakeLog } from './redis-intake-log';
import { RedisOutbox } from './redis-outbox';

export interface RedisStoreOptions extends RedisClientOptions {
  /** update() retries conflicting writes until this long has passed (default 30 s). */
  conflictTimeoutMs?: number;
  /**
   * Hand changes a large document read entry by entry (default true): what a click touches is a record or two.
   * The CLI reads every entry anyway, for its local files, and gains nothing from the split.
   */
  readByEntries?: boolean;
  logger?: Logger;
}

type Change = (current: ContextDocument | undefined) => ContextDocument | undefined;

/** How long a write's receipt lives: far longer than update() keeps trying to learn its outcome. */
const RECEIPT_TTL_MS = 10 * 60_000;

/** Documents longer than this are read entry by entry (yaml-sections.ts). */
const READ_BY_ENTRIES_ABOVE = 16 * 1024;

/** How many documents a store remembers as it last read or wrote them (see RecentDocuments). */
const REMEMBERED_DOCUMENTS = 256;

/**
 * The Redis primary. Each document is the YAML text cicdstatemgr 1.2.4 writes, stored with a plain SET and
 * no TTL under `keyPrefix + id`, so both tools read each other's documents (on a Redis Cluster, which
 * cicdstatemgr cannot use, `keyPrefix + {id}`: redis-keys.ts). Unlike cicdstatemgr, update()
 * is optimistic: it changes the document as last seen and writes it with a compare-and-set script, which
 * fails when another writer got in between; the change is then made again on what that writer saved.
 */
export class RedisStore implements GatewayStore {
  readonly description: string;
  readonly intake: RedisIntakeLog;
  readonly outbox: RedisOutbox;
  readonly deadlines: RedisDeadlines;
  private readonly redis: RedisClients;
  private readonly conflictTimeoutMs: number;
  private readonly readByEntries: boolean;
  private readonly logger: Logger;
  /**
   * What update() last read or wrote, per key: the next update of the same key starts from it instead of
   * reading the key again. A stale entry costs nothing but a failed compare-and-set, which returns the fresh text.
   */
  private readonly recent = new RecentDocuments<Version>(REMEMBERED_DOCUMENTS);

  constructor(config: RedisDatasourceConfig, options: RedisStoreOptions = {}) {
    this.redis = new RedisClients(config, options);
    this.description = this.redis.description;
    this.conflictTimeoutMs = options.conflictTimeoutMs ?? 30_000;
    this.readByEntries = options.readByEntries ?? true;
    this.logger = options.logger ?? silentLogger;
    this.intake = new RedisIntakeLog(this.redis);
    this.outbox = new RedisOutbox(this.redis);
    this.deadlines = new RedisDeadlines(this.redis);
  }

  /** `slackline:message:<channel>:<ts>` (after the key prefix) holds the id of the context a message is about. */
  async indexMessage(channel: string, ts: string, id: string): Promise<void> {
    const key = this.redis.key(messageIndexKey(channel, ts));
    await this.redis.run('SET', key, (client) => client.set(key, id));
  }

  /**
   * The context id, read together with its document, which is remembered for the update that follows (a
   * click's decision): one round trip instead of two.
   */
  async findMessage(channel: string, ts: string): Promise<string | undefined> {
    const found = await findIndexedDocument(this.redis, this.redis.key(messageIndexKey(channel, ts)));
    if (found === undefined) return undefined;
    const { id: contextId, bytes } = found;
    this.remember(this.redis.documentKey(contextId), bytes);
    return contextId;
  }

  async load(id: string): Promise<ContextDocument | undefined> {
    const key = this.redis.documentKey(id);
    const text = await this.redis.run('GET', key, (client) => client.get(key));
    return text === null ? undefined : parseDocument(key, text);
  }

  async peek(id: string): Promise<Readonly<ContextDocument> | undefined> {
    const key = this.redis.documentKey(id);
    const seen = this.recent.get(key);
    return seen ? this.open(key, seen, 'to read') : this.load(id);
  }

  async remove(id: string): Promise<void> {
    const key = this.redis.documentKey(id);
    this.recent.delete(key);
    await this.redis.run('DEL', key, (client) => client.del(key));
  }

  async claimOnce(name: string, ttlMs: number): Promise<boolean> {
    const key = this.redis.key(name);
    const answer = await this.redis.run('SET', key, (client) => client.set(key, '1', 'PX', ttlMs, 'NX'));
    return answer === 'OK';
  }

  async ping(): Promise<void> {
    await this.redis.run('PING', undefined, (client) => client.ping());
  }

  async update(id: string, change: Change): Promise<ContextDocument | undefined> {
    const key = this.redis.documentKey(id);
    const deadline = Date.now() + this.conflictTimeoutMs;
    // The version remembered from an earlier update may be stale: a write from it is checked by the
    // compare-and-set, but a decision to write nothing, or a change that fails, must meet what the key holds now.
    let seen = this.recent.get(key);
    let fresh = false;
    for (let conflicts = 0; ;) {
      if (!seen) {
        seen = this.remember(key, await this.redis.run('GET', key, (client) => client.getBuffer(key)));
        fresh = true;
      }
      let next: ContextDocument | undefined;
      try {
        next = change(this.open(key, seen));
      } catch (error) {
        if (error instanceof YamlSectionMismatch) {
          seen.lines = null; // read it whole from now on
          continue;
        }
        if (fresh) throw error;
        seen = undefined;
        continue;
      }
      if (next === undefined) {
        if (fresh) return this.open(key, seen);
        seen = undefined;
        continue;
      }
      let text: string;
      try {
        text = dumpSections(next);
      } catch (error) {
        // Writing it out read an entry the split cannot parse alone: the change is made again on the whole parse.
        if (!(error instanceof YamlSectionMismatch)) throw error;
        seen.lines = null;
        continue;
      }
      const version = sha1(text);
      if (version === seen.sha1) {
        // Nothing changed (a refused click, a --set to the value it had): nothing to write, if that is current.
        if (fresh) return next;
        seen = undefined;
        continue;
      }
      const written = await this.compareAndSet(key, seen.sha1, text, deadline);
      if (written === true) {
        this.recent.set(key, this.written(seen, version, text, next));
        return next;
      }
      if (written === 'read again') {
        seen = undefined;
      } else {
        // Another writer got in first: make the change again on what it saved.
        seen = this.remember(key, written);
        fresh = true;
        conflicts++;
        this.logger.debug(`redis: key "${key}" changed during update (conflict ${conflicts}), retrying`);
      }
      if (Date.now() >= deadline) {
        const why = conflicts > 0 ? `${conflicts} conflicting writes` : 'the connection kept dropping';
        throw new StoreError(
          `gave up writing Redis key "${key}" after ${this.conflictTimeoutMs / 1000} s: ${why}`,
          { kind: conflicts > 0 ? 'conflict' : 'unavailable' },
        );
      }
      // Full jitter, growing to 100 ms: concurrent writers spread out instead of colliding again.
      if (conflicts > 1) await sleep(Math.random() * Math.min(100, 2 * 2 ** Math.min(conflicts, 6)));
    }
  }

  async close(): Promise<void> {
    this.recent.clear();
    await this.redis.close();
  }

  /**
   * Writes `text` if the key still holds the version `expected`: true when written, else what the key holds now
   * (null: no key), or 'read again' when the write was not made and the key's state is not known.
   */
  private async compareAndSet(
    key: string,
    expected: string,
    text: string,
    deadline: number,
  ): Promise<true | Buffer | null | 'read again'> {
    const { reconnect } = this.redis;
    // A write is only sent on a live connection, where it fails if the connection closes under it: queued
    // until the next one, its answer could be lost without anyone noticing. The read waits instead.
    if (reconnect && !this.redis.ready) return 'read again';
    // With reconnection, the script also writes a short-lived receipt: if its answer is lost with the
    // connection, the receipt tells whether it was applied, even after other writers changed the document since.
    const receipt = reconnect ? this.redis.receiptKey(key, randomUUID()) : undefined;
    const keys = receipt ? [key, receipt] : [key];
    let reply: [0, Buffer | null] | [1];
    try {
      reply = await this.redis.script('compareAndSet', keys, [expected, text, RECEIPT_TTL_MS], true);
    } catch (error) {
      this.recent.delete(key);
      if (!receipt || !answerLost(error)) throw error;
      this.logger.debug(`redis: lost the answer to a write of key "${key}", checking whether it was applied`);
      return (await this.wasApplied(key, receipt, deadline)) ? true : 'read again';
    }
    return reply[0] === 1 ? true : reply[1];
  }

  /** Asks, until Redis answers again or the deadline has passed, whether the write with this receipt happened. */
  private async wasApplied(key: string, receipt: string, deadline: number): Promise<boolean> {
    for (;;) {
      try {
        return (await this.redis.run('EXISTS', receipt, (client) => client.exists(receipt))) === 1;
      } catch (error) {
        if (!isConnectionLoss(error) || Date.now() >= deadline) {
          throw new StoreError(
            `lost the connection to Redis while writing key "${key}", and could not find out whether the write was saved: ${(error as Error).message}`,
            { cause: error, kind: 'outcome-unknown' },
          );
        }
        await sleep(200); // until Redis answers again and tells whether the write was applied
      }
    }
  }

  /** Remembers what a key holds as the key's version (keeping the one remembered, with its parse, if it is that). */
  private remember(key: string, bytes: Buffer | null): Version {
    const version = versionOf(bytes, this.recent.get(key));
    this.recent.set(key, version);
    return version;
  }

  /**
   * The version just written. A small document changed as a whole copy keeps that copy as its parse: the next
   * change (a decision's delivery record, right after the decision) starts from it instead of parsing the text
   * it was just dumped to, which is what the text reads back as (only plain data reaches a document).
   */
  private written(from: Version, sha1: string, text: string, doc: ContextDocument): Version {
    const whole = from.lines === null && (!this.readByEntries || text.length < READ_BY_ENTRIES_ABOVE);
    return whole ? { sha1, text, lines: null, parsed: deepCopy(doc) } : { sha1, text };
  }

  /**
   * A document of its own for one change: read entry by entry when the text allows it, else a parsed copy; or,
   * only `to read`, the parse itself.
   */
  private open(
    key: string,
    version: Version,
    use: 'to change' | 'to read' = 'to change',
  ): ContextDocument | undefined {
    const { text } = version;
    if (text === undefined) return undefined;
    // A small document is parsed whole once, and copied for each change: reading it by entries costs more.
    if (version.lines === undefined)
      version.lines =
        !this.readByEntries || text.length < READ_BY_ENTRIES_ABOVE ? null : (scanNodeLines(text) ?? null);
    const doc = version.lines && readSections(text, version.lines);
    if (doc) return doc;
    version.parsed ??= parseDocument(key, text);
    return use === 'to read' ? version.parsed : deepCopy(version.parsed);
  }
}

/** The index entry of a Slack message, without the key prefix (see indexMessage and findMessage). */
function messageIndexKey(channel: string, ts: string): string {
  return `slackline:message:${channel}:${ts}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
