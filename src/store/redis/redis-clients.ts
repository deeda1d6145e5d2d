import type { Cluster, Redis } from 'ioredis';
import type { RedisDatasourceConfig } from '../../config/datasource-config';
import { StoreError } from '../../core/errors';
import { silentLogger, type Logger } from '../../core/logger';
import { ConnectionLost, redisStoreError } from './redis-errors';
import { documentKey, receiptKey } from './redis-keys';
import { SCRIPTS, type ScriptName } from './redis-scripts';
import { clusterOptions, redisOptions } from './redis-client-options';
import { describeConnection, hostPort, redisConnection, type RedisConnection } from './redis-url';

export interface RedisClientOptions {
  /**
   * false (the default, for the CLI): one connection attempt, and every command fails at once when Redis
   * is unreachable, so a Task step reports the problem instead of hanging. true (for a long-running
   * gateway): reconnect with backoff and queue commands meanwhile.
   */
  reconnect?: boolean;
  /** Connecting gives up after this long (default 5 s). */
  connectTimeoutMs?: number;
  /** A command without an answer fails after this long, queued or sent (default 10 s). */
  commandTimeoutMs?: number;
  logger?: Logger;
}

/** A connection to one Redis, or to a Redis Cluster (which sends each command to the master of its keys' slot). */
export type RedisClient = Redis | Cluster;

type ScriptReply = unknown;
/** The client with slackline's scripts defined on it, each also as `<name>Buffer` for binary replies. */
type ScriptedRedis = RedisClient & Record<string, (...args: (string | number)[]) => Promise<ScriptReply>>;

/**
 * The only importer of ioredis: the connections to one Redis (or Sentinel-monitored master, or Redis Cluster), and
 * every command run through them with a timeout and one error type. The main connection serves the documents, the
 * outbox and the intake log's writes; a second, opened only by a gateway's intake worker, blocks reading the stream.
 */
export class RedisClients {
  readonly connection: RedisConnection;
  readonly description: string;
  readonly reconnect: boolean;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  /** Whether this is a Redis Cluster, whose keys are laid out differently (see redis-keys.ts). */
  readonly cluster: boolean;
  private readonly logger: Logger;
  private main?: Promise<ScriptedRedis>;
  private blockingClient?: Promise<RedisClient>;
  /** The main client once created, for its connection status. */
  private current?: RedisClient;
  /** The last connection-level error: commands then only say "Connection is closed." */
  private lastError?: Error;
  /** Redis refused the credentials: every command fails with it rather than run as another user. */
  private refusedCredentials?: Error;
  /** Commands written to a connection that may still close under them (see track()). */
  private readonly inFlight = new Set<(error: Error) => void>();

  constructor(config: RedisDatasourceConfig, options: RedisClientOptions = {}) {
    this.connection = redisConnection(config);
    this.description = describeConnection(this.connection);
    this.reconnect = options.reconnect ?? false;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
    this.logger = options.logger ?? silentLogger;
    this.cluster = this.connection.clusterNodes !== undefined;
  }

  /** `name` after the configured key prefix. */
  key(name: string): string {
    return this.connection.keyPrefix + name;
  }

  /** The key of a context's document. */
  documentKey(id: string): string {
    return this.key(documentKey(id, this.cluster));
  }

  /** The key of the receipt of one write (`txn`, unique) of the document at `documentKey`. */
  receiptKey(documentKey: string, txn: string): string {
    return receiptKey(this.connection.keyPrefix, documentKey, txn, this.cluster);
  }

  /** Whether the main connection is up now (a write is only sent on a live one, see RedisStore). */
  get ready(): boolean {
    return this.current?.status === 'ready';
  }

  /** Runs one command on the main connection; `key` only names it in messages. */
  async run<T>(
    command: string,
    key: string | undefined,
    send: (client: RedisClient) => Promise<T>,
  ): Promise<T> {
    let client: RedisClient;
    try {
      client = await this.connect();
      if (this.refusedCredentials) throw this.refusedCredentials;
    } catch (error) {
      throw this.error(error, command, key);
    }
    try {
      return await this.track(() => send(client));
    } catch (error) {
      throw this.error(error, command, key);
    }
  }

  /** Runs one of slackline's scripts (redis-scripts.ts); `buffers` answers with Buffers instead of text. */
  script<T>(name: ScriptName, keys: string[], args: (string | number)[], buffers = false): Promise<T> {
    return this.run('EVAL', keys[0], (client) => {
      const scripted = client as ScriptedRedis;
      const call = scripted[buffers ? `${name}Buffer` : name] as (...a: (string | number)[]) => Promise<T>;
      return call.call(client, keys.length, ...keys, ...args);
    });
  }

  /** Runs a blocking command (XREADGROUP … BLOCK) on its own connection, allowed `blockMs` more to answer. */
  async runBlocking<T>(
    command: string,
    key: string,
    blockMs: number,
    send: (client: RedisClient) => Promise<T>,
  ): Promise<T> {
    try {
      const client = await (this.blockingClient ??= this.openBlocking(blockMs));
      return await send(client);
    } catch (error) {
      throw this.error(error, command, key);
    }
  }

  async close(): Promise<void> {
    const pending = [this.main, this.blockingClient];
    this.main = undefined;
    this.blockingClient = undefined;
    for (const opening of pending) {
      const client = await opening?.catch(() => undefined);
      if (!client) continue;
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    }
  }

  private error(error: unknown, command: string, key?: string): StoreError {
    return redisStoreError(error, {
      connection: this.connection,
      command,
      ...(key === undefined ? {} : { key }),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      connectTimeoutMs: this.connectTimeoutMs,
      commandTimeoutMs: this.commandTimeoutMs,
    });
  }

  private connect(): Promise<RedisClient> {
    if (this.main) {
      const pending = this.main;
      return pending.then((client) => (client.status === 'end' ? this.open() : client));
    }
    return this.open();
  }

  private open(): Promise<ScriptedRedis> {
    const opening = this.createMain();
    this.main = opening;
    // A failed attempt is not cached: the next call tries again (a gateway may outlive an outage).
    opening.catch(() => {
      if (this.main === opening) this.main = undefined;
    });
    return opening;
  }

  /** A new client, not yet connected, whose commands time out after `commandTimeoutMs`. */
  private newClient(commandTimeoutMs: number): RedisClient {
    // Loaded on first use, not at the top: ioredis costs ~60 ms of start-up, and most CLI runs are served
    // from the local projection files without talking to Redis at all. With require, not import(): the ESM
    // loader import() goes through costs another 50 ms for this CommonJS package.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Redis, Cluster } = require('ioredis') as typeof import('ioredis');
    const settings = { reconnect: this.reconnect, connectTimeoutMs: this.connectTimeoutMs, commandTimeoutMs };
    const { clusterNodes } = this.connection;
    return clusterNodes
      ? new Cluster(clusterNodes, clusterOptions(this.connection, settings))
      : new Redis(redisOptions(this.connection, settings));
  }

  private async createMain(): Promise<ScriptedRedis> {
    const client = this.newClient(this.commandTimeoutMs) as ScriptedRedis;
    for (const [name, lua] of Object.entries(SCRIPTS)) client.defineCommand(name, { lua });
    this.lastError = undefined;
    const { host, port } = this.connection;
    client.on('error', (error: Error) => {
      this.lastError = error;
      this.logger.debug(`redis ${hostPort(host, port)}: ${error.message}`);
    });
    if (this.cluster) {
      // The cluster never becomes ready with refused credentials: commands fail with that, not a timeout. Its
      // error only says no node could be used; the last node's error says why.
      client.on('error', (error: Error) => {
        const cause = (error as { lastNodeError?: unknown }).lastNodeError;
        if (cause instanceof Error && /^(WRONGPASS|NOAUTH)/.test(cause.message))
          this.refusedCredentials = cause;
      });
    }
    this.current = client;
    client.on('close', () => {
      const lost = [...this.inFlight];
      this.inFlight.clear();
      for (const fail of lost) fail(new ConnectionLost());
    });
    await this.start(client);
    return client;
  }

  private async openBlocking(blockMs: number): Promise<RedisClient> {
    const client = this.newClient(this.commandTimeoutMs + blockMs);
    client.on('error', (error: Error) => this.logger.debug(`redis (blocking reads): ${error.message}`));
    try {
      await this.start(client);
    } catch (error) {
      this.blockingClient = undefined;
      throw error;
    }
    return client;
  }

  private async start(client: RedisClient): Promise<void> {
    if (this.reconnect) {
      client.connect().catch(() => {}); // commands wait in the offline queue and report the failure
      void this.checkCredentials(client).catch((error: Error) => (this.refusedCredentials = error));
    } else {
      try {
        await client.connect();
        await this.checkCredentials(client);
      } catch (error) {
        client.disconnect();
        throw this.error(this.lastError ?? error, 'CONNECT');
      }
    }
    // Not the `db` option: ioredis reports a failing SELECT only as an event and then uses db 0. An explicit
    // SELECT fails properly, and ioredis repeats it after a reconnect.
    const { db } = this.connection;
    if (db !== 0) {
      try {
        await client.select(db);
      } catch (error) {
        client.disconnect();
        throw this.error(error, 'SELECT');
      }
    }
  }

  /**
   * ioredis sends AUTH first but does not wait for its answer before the next commands, so when Redis refuses
   * the credentials a command in the same reply batch runs anyway, as the `default` user where that one needs
   * no password. Asking again, and waiting, makes refused credentials fail every command instead.
   */
  private async checkCredentials(client: RedisClient): Promise<void> {
    const { username, password } = this.connection;
    if (password === undefined) return;
    await (username === undefined ? client.call('AUTH', password) : client.call('AUTH', username, password));
  }

  /**
   * With reconnection, ioredis neither resends nor fails a command that was written to a connection that then
   * closed (autoResendUnfulfilledCommands is off): it fails here when that connection closes. Commands queued
   * while disconnected are sent once it is back, and time out like every other.
   */
  private track<T>(send: () => Promise<T>): Promise<T> {
    if (this.cluster) return this.trackOnCluster(send);
    if (!this.reconnect || this.current?.status !== 'ready') return send();
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      send()
        .then(resolve, reject)
        .finally(() => this.inFlight.delete(reject));
    });
  }

  /**
   * On a cluster, a node's connection fails the commands in flight when it closes, with ioredis's retry on that
   * turned off (redis-client-options.ts): they may have run, like those track() fails on one Redis. And a command
   * waiting for the cluster to come back has no timeout of ioredis's own: it gets one here.
   */
  private async trackOnCluster<T>(send: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      // ioredis's own wording for a command not answered in time, which redis-errors.ts knows.
      timer = setTimeout(() => reject(new Error('Command timed out')), this.commandTimeoutMs);
    });
    try {
      return await Promise.race([send(), timedOut]);
    } catch (error) {
      throw error instanceof Error && error.message === new ConnectionLost().message
        ? new ConnectionLost()
        : error;
    } finally {
      clearTimeout(timer);
    }
  }
}
