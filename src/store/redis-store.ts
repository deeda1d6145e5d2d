import { createHash, randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import type { RedisDatasourceConfig } from '../config/datasource-config';
import { deepCopy, isPlainObject, type ContextDocument } from '../core/document';
import { StoreError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import { dumpYaml, parseYaml } from '../core/yaml';
import { RecentDocuments } from './recent-documents';
import type { Store } from './store';

export interface RedisStoreOptions {
  /**
   * false (the default, for the CLI): one connection attempt, and every command fails at once when Redis
   * is unreachable, so a Task step reports the problem instead of hanging. true (for a long-running
   * gateway): reconnect with backoff and queue commands meanwhile.
   */
  reconnect?: boolean;
  /** Connecting gives up after this long (default 5 s). */
  connectTimeoutMs?: number;
  /** Without reconnect: a command without an answer fails after this long (default 10 s). */
  commandTimeoutMs?: number;
  /** update() retries conflicting writes until this long has passed (default 30 s). */
  conflictTimeoutMs?: number;
  logger?: Logger;
}

/** Where and as whom to connect, after the url and the explicit fields are combined. */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: { ca?: string; rejectUnauthorized?: boolean; servername?: string };
  keyPrefix: string;
  sentinels?: Array<{ host: string; port: number }>;
  sentinelName?: string;
}

/** The url (`redis[s]://[user[:password]@]host[:port][/db]`) first, then the explicit fields on top. */
export function redisConnection(config: RedisDatasourceConfig): RedisConnection {
  const fromUrl: Partial<RedisConnection> = config.url ? parseRedisUrl(config.url) : {};
  const tls = config.tls ?? fromUrl.tls;
  return {
    host: config.host ?? fromUrl.host ?? '127.0.0.1',
    port: config.port ?? fromUrl.port ?? 6379,
    db: config.db ?? fromUrl.db ?? 0,
    username: config.username ?? fromUrl.username,
    password: config.password ?? fromUrl.password,
    tls: tls === true ? {} : tls === false || tls === undefined ? undefined : tls,
    keyPrefix: config.keyPrefix ?? '',
    ...(config.sentinels && config.sentinelName
      ? { sentinels: config.sentinels, sentinelName: config.sentinelName }
      : {}),
  };
}

function parseRedisUrl(text: string): Partial<RedisConnection> {
  // The url may hold a password: messages never repeat it.
  const invalid = (why: string) =>
    new StoreError(`invalid Redis url: ${why} (redis[s]://[user:password@]host:port/db)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('it does not parse');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw invalid('the scheme must be redis or rediss');
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw invalid('the path must be a database number');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || undefined,
    port: url.port ? Number(url.port) : undefined,
    db: dbText ? Number(dbText) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/** The index entry of a Slack message, without the key prefix (see indexMessage and findMessage). */
function messageIndexKey(channel: string, ts: string): string {
  return `slackline:message:${channel}:${ts}`;
}

type Change = (current: ContextDocument | undefined) => ContextDocument | undefined;

/** How long a write's receipt lives: far longer than update() keeps trying to learn its outcome. */
const RECEIPT_TTL_MS = 10 * 60_000;

/**
 * Writes KEYS[1] only if it still holds the text the change was made from (ARGV[1]: its SHA-1, or '' for no key),
 * and then KEYS[2], when given, as the write's receipt. Otherwise it answers with what the key holds now, so the
 * change can be made again without another round trip.
 */
const COMPARE_AND_SET_LUA = `
local current = redis.call('GET', KEYS[1])
local version = current and redis.sha1hex(current) or ''
if version ~= ARGV[1] then return {0, current} end
redis.call('SET', KEYS[1], ARGV[2])
if KEYS[2] then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
return {1}
`;

/**
 * Reads a message's index entry (KEYS[1]) and the document it names (ARGV[1], the key prefix, before the id).
 * The document's key is not among KEYS, which only Redis Cluster needs, and slackline does not support Cluster.
 */
const FIND_MESSAGE_LUA = `
local id = redis.call('GET', KEYS[1])
if not id then return {} end
local doc = redis.pcall('GET', ARGV[1] .. id)
if type(doc) == 'table' then doc = false end
return {id, doc}
`;

/** The client with the scripts defined on it (ioredis sends EVAL once per connection, then EVALSHA). */
type ScriptedRedis = Redis & {
  compareAndSetBuffer(
    numberOfKeys: number,
    ...keysAndArgs: (string | number)[]
  ): Promise<[0, Buffer | null] | [1]>;
  findMessageBuffer(numberOfKeys: number, key: string, keyPrefix: string): Promise<[Buffer?, Buffer?]>;
};

/** A document as Redis holds it: its bytes' SHA-1 ('' when there is no key) and the document they parse to. */
interface Version {
  sha1: string;
  doc: ContextDocument | undefined;
}

/** How many documents a store remembers as it last read or wrote them (see RecentDocuments). */
const REMEMBERED_DOCUMENTS = 256;

/**
 * The Redis primary. Each document is the YAML text cicdstatemgr 1.2.4 writes, stored with a plain SET and
 * no TTL under `keyPrefix + id`, so both tools read each other's documents. Unlike cicdstatemgr, update()
 * is optimistic: it changes the document as last seen and writes it with a compare-and-set script, which
 * fails when another writer got in between; the change is then made again on what that writer saved.
 */
export class RedisStore implements Store {
  readonly description: string;
  private readonly connection: RedisConnection;
  private readonly reconnect: boolean;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly conflictTimeoutMs: number;
  private readonly logger: Logger;
  private client?: Promise<ScriptedRedis>;
  /** The client once created, for its connection status. */
  private current?: Redis;
  /** The last connection-level error: commands then only say "Connection is closed." */
  private lastError?: Error;
  /** Commands written to a connection that may still close under them (see run()). */
  private readonly inFlight = new Set<(error: Error) => void>();
  /**
   * What update() last read or wrote, per key: the next update of the same key starts from it instead of
   * reading the key again. A stale entry costs nothing but a failed compare-and-set, which returns the fresh text.
   */
  private readonly recent = new RecentDocuments<Version>(REMEMBERED_DOCUMENTS);

  constructor(config: RedisDatasourceConfig, options: RedisStoreOptions = {}) {
    this.connection = redisConnection(config);
    const { host, port, db, tls, sentinels, sentinelName } = this.connection;
    const where = sentinels
      ? `master "${sentinelName}" of sentinels ${sentinels.map((x) => hostPort(x.host, x.port)).join(', ')}`
      : hostPort(host, port);
    this.description = `redis ${where} db ${db}${tls ? ' (TLS)' : ''}`;
    this.reconnect = options.reconnect ?? false;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
    this.conflictTimeoutMs = options.conflictTimeoutMs ?? 30_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** The Redis key that holds `id`. */
  private keyFor(id: string): string {
    return this.connection.keyPrefix + id;
  }

  /** `slackline:message:<channel>:<ts>` (after the key prefix) holds the id of the context a message is about. */
  async indexMessage(channel: string, ts: string, id: string): Promise<void> {
    const key = this.keyFor(messageIndexKey(channel, ts));
    const client = await this.connect();
    await this.run('SET', key, () => client.set(key, id));
  }

  /**
   * The context id, read together with its document, which is remembered for the update that follows (a
   * click's decision): one round trip instead of two.
   */
  async findMessage(channel: string, ts: string): Promise<string | undefined> {
    const key = this.keyFor(messageIndexKey(channel, ts));
    const client = await this.connect();
    const [id, bytes] = await this.run('EVAL', key, () =>
      client.findMessageBuffer(1, key, this.connection.keyPrefix),
    );
    if (id === undefined) return undefined;
    const contextId = id.toString('utf8');
    try {
      this.remember(this.keyFor(contextId), bytes ?? null);
    } catch {
      // Not a document: the update reads it again and says so.
    }
    return contextId;
  }

  async load(id: string): Promise<ContextDocument | undefined> {
    const key = this.keyFor(id);
    const client = await this.connect();
    const text = await this.run('GET', key, () => client.get(key));
    return text === null ? undefined : this.parse(key, text);
  }

  async update(id: string, change: Change): Promise<ContextDocument | undefined> {
    const key = this.keyFor(id);
    const deadline = Date.now() + this.conflictTimeoutMs;
    const client = await this.connect();
    // The version remembered from an earlier update may be stale: a write from it is checked by the
    // compare-and-set, but a decision to write nothing, or a change that fails, must meet what the key holds now.
    let seen = this.recent.get(key);
    let fresh = false;
    for (let conflicts = 0; ;) {
      if (!seen) {
        seen = this.remember(key, await this.run('GET', key, () => client.getBuffer(key)));
        fresh = true;
      }
      let next: ContextDocument | undefined;
      try {
        next = change(seen.doc === undefined ? undefined : deepCopy(seen.doc));
      } catch (error) {
        if (fresh) throw error;
        seen = undefined;
        continue;
      }
      if (next === undefined) {
        if (fresh) return seen.doc === undefined ? undefined : deepCopy(seen.doc);
        seen = undefined;
        continue;
      }
      const text = dumpYaml(next);
      const version = sha1(text);
      if (version === seen.sha1) {
        // Nothing changed (a refused click, a --set to the value it had): nothing to write, if that is current.
        if (fresh) return next;
        seen = undefined;
        continue;
      }
      const written = await this.compareAndSet(client, key, seen.sha1, text, deadline);
      if (written === true) {
        this.recent.set(key, { sha1: version, doc: deepCopy(next) });
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
        );
      }
      // Full jitter, growing to 100 ms: concurrent writers spread out instead of colliding again.
      if (conflicts > 1) await sleep(Math.random() * Math.min(100, 2 * 2 ** Math.min(conflicts, 6)));
    }
  }

  async close(): Promise<void> {
    const pending = this.client;
    this.client = undefined;
    this.recent.clear();
    if (!pending) return;
    const client = await pending.catch(() => undefined);
    if (!client) return;
    if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
    else client.disconnect();
  }

  /**
   * Writes `text` if the key still holds the version `expected`: true when written, else what the key holds now
   * (null: no key), or 'read again' when the write was not made and the key's state is not known.
   */
  private async compareAndSet(
    client: ScriptedRedis,
    key: string,
    expected: string,
    text: string,
    deadline: number,
  ): Promise<true | Buffer | null | 'read again'> {
    // A write is only sent on a live connection, where run() sees it fail if the connection closes under it:
    // queued until the next one, its answer could be lost without anyone noticing. The read waits instead.
    if (this.reconnect && client.status !== 'ready') return 'read again';
    // With reconnection, the script also writes a short-lived receipt: if its answer is lost with the
    // connection, the receipt tells whether it was applied, even after other writers changed the document since.
    const receipt = this.reconnect ? this.keyFor(`slackline:txn:${randomUUID()}`) : undefined;
    const keys = receipt ? [key, receipt] : [key];
    let reply: [0, Buffer | null] | [1];
    try {
      reply = await this.run('EVAL', key, () =>
        client.compareAndSetBuffer(keys.length, ...keys, expected, text, RECEIPT_TTL_MS),
      );
    } catch (error) {
      this.recent.delete(key);
      if (!receipt || !(error instanceof StoreError && error.cause instanceof ConnectionLost)) throw error;
      this.logger.debug(`redis: lost the answer to a write of key "${key}", checking whether it was applied`);
      return (await this.wasApplied(client, key, receipt, deadline)) ? true : 'read again';
    }
    return reply[0] === 1 ? true : reply[1];
  }

  /** Asks, until Redis answers again or the deadline has passed, whether the write with this receipt happened. */
  private async wasApplied(client: Redis, key: string, receipt: string, deadline: number): Promise<boolean> {
    for (;;) {
      try {
        return (await this.run('EXISTS', receipt, () => client.exists(receipt))) === 1;
      } catch (error) {
        if (!isConnectionLoss(error) || Date.now() >= deadline) {
          throw new StoreError(
            `lost the connection to Redis while writing key "${key}", and could not find out whether the write was saved: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await sleep(200); // until Redis answers again and tells whether the write was applied
      }
    }
  }

  /** Parses what a key holds and remembers it as the key's version. */
  private remember(key: string, bytes: Buffer | null): Version {
    const version: Version =
      bytes === null
        ? { sha1: '', doc: undefined }
        : { sha1: sha1(bytes), doc: this.parse(key, bytes.toString('utf8')) };
    this.recent.set(key, version);
    return version;
  }

  private parse(key: string, text: string): ContextDocument {
    let doc: unknown;
    try {
      doc = parseYaml(text, key);
    } catch (error) {
      throw new StoreError(`Redis key "${key}" does not hold valid YAML: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!isPlainObject(doc))
      throw new StoreError(`Redis key "${key}" does not hold a context document (a YAML mapping)`);
    return doc;
  }

  private connect(): Promise<ScriptedRedis> {
    if (this.client) {
      const pending = this.client;
      return pending.then((client) => (client.status === 'end' ? this.openClient() : client));
    }
    return this.openClient();
  }

  private openClient(): Promise<ScriptedRedis> {
    const opening = this.createClient();
    this.client = opening;
    // A failed attempt is not cached: the next call tries again (a gateway may outlive an outage).
    opening.catch(() => {
      if (this.client === opening) this.client = undefined;
    });
    return opening;
  }

  private async createClient(): Promise<ScriptedRedis> {
    // Loaded on first use, not at the top: ioredis costs ~75 ms of start-up, and most CLI runs are served
    // from the local projection files without talking to Redis at all.
    const { default: RedisClient } = await import('ioredis');
    const { host, port, username, password, tls, db, sentinels, sentinelName } = this.connection;
    const options: RedisOptions = {
      // With sentinels, ioredis asks them for the master (and again after a failover) instead of host/port.
      ...(sentinels ? { sentinels, name: sentinelName } : { host, port }),
      username,
      password,
      tls,
      lazyConnect: true,
      connectTimeout: this.connectTimeoutMs,
      // The INFO ready check needs a right that restricted ACL users often lack (ioredis then warns on
      // stderr); the SELECT below, or the first command, surfaces any problem with the connection anyway.
      enableReadyCheck: false,
      ...(this.reconnect
        ? {
            retryStrategy: (times: number) => Math.min(times * 200, 2_000),
            maxRetriesPerRequest: 3,
            // ioredis would send the commands in flight at a disconnection again on the next connection: a write
            // that had been applied would then meet its own result and be made a second time. They fail instead
            // (see run()), and compareAndSet() finds out what happened.
            autoResendUnfulfilledCommands: false,
          }
        : {
            retryStrategy: () => null,
            maxRetriesPerRequest: 0,
            enableOfflineQueue: false,
            commandTimeout: this.commandTimeoutMs,
            // After a failed connect ioredis keeps a timer on the dead socket for this long (2 s by default),
            // which kept a failing CLI run alive long after it had reported the error.
            disconnectTimeout: 100,
          }),
    };
    const client = new RedisClient(options) as ScriptedRedis;
    client.defineCommand('compareAndSet', { lua: COMPARE_AND_SET_LUA });
    client.defineCommand('findMessage', { lua: FIND_MESSAGE_LUA });
    this.lastError = undefined;
    client.on('error', (error: Error) => {
      this.lastError = error;
      this.logger.debug(`redis ${hostPort(host, port)}: ${error.message}`);
    });
    this.current = client;
    client.on('close', () => {
      const lost = [...this.inFlight];
      this.inFlight.clear();
      for (const fail of lost) fail(new ConnectionLost());
    });
    if (this.reconnect) {
      client.connect().catch(() => {}); // commands wait in the offline queue and report the failure
    } else {
      try {
        await client.connect();
      } catch (error) {
        client.disconnect();
        throw this.storeError(this.lastError ?? error, 'CONNECT');
      }
    }
    // Not the `db` option: ioredis reports a failing SELECT only as an event and then uses db 0. An explicit
    // SELECT fails properly, and ioredis repeats it after a reconnect.
    if (db !== 0) {
      try {
        await this.run('SELECT', undefined, () => client.select(db));
      } catch (error) {
        client.disconnect();
        throw error;
      }
    }
    return client;
  }

  private async run<T>(command: string, key: string | undefined, send: () => Promise<T>): Promise<T> {
    try {
      return await this.inFlightUntilClose(send);
    } catch (error) {
      throw this.storeError(error, command, key);
    }
  }

  /**
   * With reconnection, ioredis neither resends nor fails a command that was written to a connection that then
   * closed (autoResendUnfulfilledCommands is off): it fails here when that connection closes. Commands queued
   * while disconnected are sent once it is back, as before.
   */
  private inFlightUntilClose<T>(send: () => Promise<T>): Promise<T> {
    const connected = this.reconnect && this.current?.status === 'ready';
    if (!connected) return send();
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      send()
        .then(resolve, reject)
        .finally(() => this.inFlight.delete(reject));
    });
  }

  /** One line for the user: what failed, where, and Redis's own code. */
  private storeError(error: unknown, command: string, key?: string): StoreError {
    return new StoreError(this.describe(error, command, key), { cause: error });
  }

  private describe(error: unknown, command: string, key?: string): string {
    if (error instanceof StoreError) return error.message;
    const { host, port, username, db } = this.connection;
    const at = hostPort(host, port);
    const err = error instanceof Error ? error : new Error(String(error));
    const message = err.message.split('\n')[0] ?? '';
    const code = (err as NodeJS.ErrnoException).code ?? '';
    // A command on a connection that broke earlier: the cause is the connection error.
    if (
      this.lastError &&
      this.lastError !== err &&
      (message === 'Connection is closed.' ||
        message.startsWith("Stream isn't writeable") ||
        err.name === 'MaxRetriesPerRequestError')
    ) {
      return this.describe(this.lastError, command, key);
    }
    const onKey = key === undefined ? '' : ` on key "${key}"`;
    const user = `"${username ?? 'default'}"`;
    switch (code) {
      case 'ECONNREFUSED':
        return `cannot reach Redis at ${at}: connection refused`;
      case 'ETIMEDOUT':
        return `cannot reach Redis at ${at}: no answer within ${this.connectTimeoutMs / 1000} s`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `cannot reach Redis at ${at}: unknown host`;
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return `cannot reach Redis at ${at}: host unreachable`;
      case 'ECONNRESET':
      case 'EPIPE':
        return `lost the connection to Redis at ${at} (${code})`;
    }
    if (/^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)) {
      return `TLS connection to Redis at ${at} failed: ${message}`;
    }
    if (message.startsWith('WRONGPASS')) return `Redis refused the credentials of user ${user} (WRONGPASS)`;
    if (message.startsWith('NOAUTH')) return `Redis at ${at} requires a password (NOAUTH)`;
    if (message.startsWith('NOPERM')) {
      // Redis names the command it refused (for a script, EVAL or EVALSHA), unless it refused a key.
      const refused = /'([\w|]+)' command/.exec(message)?.[1]?.toUpperCase() ?? command;
      return `Redis user ${user} may not run ${refused}${onKey} (NOPERM)`;
    }
    if (message.includes("user executing the script can't run")) {
      return `Redis user ${user} may not run GET and SET${onKey}, which slackline's write script needs (NOPERM)`;
    }
    if (message.startsWith('WRONGTYPE')) return `Redis key "${key}" does not hold a string value (WRONGTYPE)`;
    if (command === 'SELECT' && message.includes('DB index')) return `Redis at ${at} has no database ${db}`;
    if (message === 'Command timed out') {
      return `Redis at ${at} did not answer ${command} within ${this.commandTimeoutMs / 1000} s`;
    }
    if (message === 'Connection is closed.' || message.startsWith("Stream isn't writeable")) {
      return `lost the connection to Redis at ${at}`;
    }
    if (err.name === 'ReplyError') return `Redis at ${at} refused ${command}${onKey}: ${message}`;
    return `Redis at ${at}: ${command}${onKey} failed: ${message}`;
  }
}

/** A command written to a connection that closed before it answered: it may or may not have been executed. */
class ConnectionLost extends Error {
  constructor() {
    super('Connection is closed.');
    this.name = 'ConnectionLost';
  }
}

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether a command failed for want of a Redis to run it (no connection, or one still loading its data after a
 * restart) rather than being refused by Redis.
 */
function isConnectionLoss(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (
      e instanceof ConnectionLost ||
      e.name === 'MaxRetriesPerRequestError' ||
      e.message === 'Connection is closed.' ||
      e.message.startsWith("Stream isn't writeable") ||
      e.message.startsWith('LOADING') ||
      (code !== undefined && CONNECTION_CODES.has(code))
    ) {
      return true;
    }
    e = e.cause;
  }
  return false;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Hex SHA-1, as Redis's `redis.sha1hex` gives it for the same bytes (a string counts as its UTF-8). */
function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
