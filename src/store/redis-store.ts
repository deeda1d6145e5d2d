import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import type { RedisDatasourceConfig } from '../config/datasource-config';
import { deepCopy, isPlainObject, type ContextDocument } from '../core/document';
import { StoreError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import { dumpYaml, parseYaml } from '../core/yaml';
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

/** The index entry of a Slack message, without the key prefix; the gateway looks clicks up by it. */
export function messageIndexKey(channel: string, ts: string): string {
  return `slackline:message:${channel}:${ts}`;
}

type Change = (current: ContextDocument | undefined) => ContextDocument | undefined;

/** How long a transaction's receipt lives: far longer than update() keeps trying to learn its outcome. */
const RECEIPT_TTL_MS = 10 * 60_000;

/**
 * The Redis primary. Each document is the YAML text cicdstatemgr 1.2.4 writes, stored with a plain SET and
 * no TTL under `keyPrefix + id`, so both tools read each other's documents. Unlike cicdstatemgr, update()
 * is optimistic: WATCH, GET, MULTI/SET/EXEC, and again when another writer got in between.
 */
export class RedisStore implements Store {
  readonly description: string;
  private readonly connection: RedisConnection;
  private readonly reconnect: boolean;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly conflictTimeoutMs: number;
  private readonly logger: Logger;
  private client?: Promise<Redis>;
  /** The client once created, for its connection status. */
  private current?: Redis;
  /** The last connection-level error: commands then only say "Connection is closed." */
  private lastError?: Error;
  /** WATCH belongs to the connection, so this store's transactions must not interleave. */
  private updates: Promise<unknown> = Promise.resolve();
  /** Counts the closes of the connection: a WATCH holds only as long as the connection that sent it. */
  private connectionEpoch = 0;
  /** Commands written to a connection that may still close under them (see run()). */
  private readonly inFlight = new Set<(error: Error) => void>();

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
  keyFor(id: string): string {
    return this.connection.keyPrefix + id;
  }

  /** `slackline:message:<channel>:<ts>` (after the key prefix) holds the id of the context a message is about. */
  async indexMessage(channel: string, ts: string, id: string): Promise<void> {
    const key = this.keyFor(messageIndexKey(channel, ts));
    const client = await this.connect();
    await this.run('SET', key, () => client.set(key, id));
  }

  async findMessage(channel: string, ts: string): Promise<string | undefined> {
    const key = this.keyFor(messageIndexKey(channel, ts));
    const client = await this.connect();
    return (await this.run('GET', key, () => client.get(key))) ?? undefined;
  }

  async load(id: string): Promise<ContextDocument | undefined> {
    const key = this.keyFor(id);
    const client = await this.connect();
    const text = await this.run('GET', key, () => client.get(key));
    return text === null ? undefined : this.parse(key, text);
  }

  update(id: string, change: Change): Promise<ContextDocument | undefined> {
    const run = this.updates.then(
      () => this.transact(id, change),
      () => this.transact(id, change),
    );
    this.updates = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    const pending = this.client;
    this.client = undefined;
    if (!pending) return;
    const client = await pending.catch(() => undefined);
    if (!client) return;
    if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
    else client.disconnect();
  }

  private async transact(id: string, change: Change): Promise<ContextDocument | undefined> {
    const key = this.keyFor(id);
    const deadline = Date.now() + this.conflictTimeoutMs;
    const client = await this.connect();
    // A write whose EXEC was sent but whose answer was lost with the connection: it may have been applied.
    let unsure: { receipt: string; next: ContextDocument } | undefined;
    for (let conflicts = 0; ;) {
      const epoch = this.connectionEpoch;
      // A WATCH holds only on the connection that sent it: no later command of the transaction may go out on
      // another one, where nothing is watched. When the connection changed, the transaction starts again.
      const watching = () => this.connectionEpoch === epoch && client.status === 'ready';
      let outcome: { next: ContextDocument; text: string } | undefined;
      try {
        await this.run('WATCH', key, () => client.watch(key));
        if (watching() && unsure) {
          const { receipt } = unsure;
          if ((await this.run('EXISTS', receipt, () => client.exists(receipt))) === 1) {
            await this.run('UNWATCH', key, () => client.unwatch());
            return unsure.next; // the lost EXEC had been applied
          }
          unsure = undefined; // it had not: apply the change now
        }
        if (watching()) {
          const stored = await this.run('GET', key, () => client.get(key));
          const current = stored === null ? undefined : this.parse(key, stored);
          const next = change(current === undefined ? undefined : deepCopy(current));
          if (next === undefined) {
            await this.run('UNWATCH', key, () => client.unwatch());
            return current;
          }
          outcome = { next, text: dumpYaml(next) };
        }
      } catch (error) {
        // A WATCH left behind would make this connection's next transaction fail for no reason.
        if (client.status === 'ready') await client.unwatch().catch(() => {});
        if (!unsure) throw error;
        if (!isConnectionLoss(error) || Date.now() >= deadline) {
          throw new StoreError(
            `lost the connection to Redis while writing key "${key}", and could not find out whether the write was saved: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await sleep(200); // until Redis answers again and tells whether the write was applied
        continue;
      }
      let result: [Error | null, unknown][] | null = null;
      if (outcome && watching()) {
        const { text } = outcome;
        // With reconnection, the transaction also writes a short-lived receipt: if its answer is lost, the
        // receipt tells whether it was applied, even after other writers changed the document since.
        const receipt = this.reconnect ? this.keyFor(`slackline:txn:${randomUUID()}`) : undefined;
        try {
          result = await this.run('SET', key, () => {
            const transaction = client.multi().set(key, text);
            if (receipt) transaction.set(receipt, '1', 'PX', RECEIPT_TTL_MS);
            return transaction.exec();
          });
        } catch (error) {
          // Without reconnection (the CLI) the connection is gone for good: fail at once, as for any loss.
          if (!receipt || !isConnectionLoss(error)) throw error;
          this.logger.debug(
            `redis: lost the answer to EXEC on key "${key}", checking whether it was applied`,
          );
          unsure = { receipt, next: outcome.next };
          continue;
        }
        if (result !== null) {
          const setError = result.find(([error]) => error)?.[0];
          if (setError) throw this.storeError(setError, 'SET', key);
          return outcome.next;
        }
      }
      // The key changed after WATCH (EXEC returned null), or the connection did: read it again, reapply the change.
      conflicts++;
      if (Date.now() >= deadline) {
        throw new StoreError(
          `gave up after ${conflicts} conflicting writes to Redis key "${key}" in ${this.conflictTimeoutMs / 1000} s`,
        );
      }
      this.logger.debug(`redis: key "${key}" changed during update (conflict ${conflicts}), retrying`);
      // Full jitter, growing to 100 ms: concurrent writers spread out instead of colliding again.
      await sleep(Math.random() * Math.min(100, 2 * 2 ** Math.min(conflicts, 6)));
    }
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

  private connect(): Promise<Redis> {
    if (this.client) {
      const pending = this.client;
      return pending.then((client) => (client.status === 'end' ? this.openClient() : client));
    }
    return this.openClient();
  }

  private openClient(): Promise<Redis> {
    const opening = this.createClient();
    this.client = opening;
    // A failed attempt is not cached: the next call tries again (a gateway may outlive an outage).
    opening.catch(() => {
      if (this.client === opening) this.client = undefined;
    });
    return opening;
  }

  private async createClient(): Promise<Redis> {
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
            // ioredis would send the commands in flight at a disconnection again on the next connection, where
            // a transaction's GET or EXEC runs without its WATCH: an EXEC could then overwrite whatever another
            // writer saved meanwhile. They fail instead (see run()), and transact() finds out what happened.
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
    const client = new RedisClient(options);
    this.lastError = undefined;
    client.on('error', (error: Error) => {
      this.lastError = error;
      this.logger.debug(`redis ${hostPort(host, port)}: ${error.message}`);
    });
    this.current = client;
    client.on('close', () => {
      this.connectionEpoch++;
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
    const previous = (err as { previousErrors?: Error[] }).previousErrors?.[0];
    if (message.startsWith('EXECABORT') && previous) return this.describe(previous, command, key);
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
    if (message.startsWith('NOPERM')) return `Redis user ${user} may not run ${command}${onKey} (NOPERM)`;
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
      e.name === 'AbortError' ||
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
