import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisConnection } from './redis-url';

export interface ClientSettings {
  reconnect: boolean;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** ioredis's options for a connection to one Redis, or to the master a Sentinel names. */
export function redisOptions(connection: RedisConnection, settings: ClientSettings): RedisOptions {
  const { host, port, sentinels, sentinelName } = connection;
  return {
    // With sentinels, ioredis asks them for the master (and again after a failover) instead of host/port.
    ...(sentinels ? { sentinels, name: sentinelName } : { host, port }),
    ...nodeOptions(connection, settings),
    lazyConnect: true,
    ...(settings.reconnect
      ? { retryStrategy: (times: number) => Math.min(times * 200, 2_000), maxRetriesPerRequest: 3 }
      : { retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false }),
  };
}

/**
 * ioredis's options for a Redis Cluster: it asks the given nodes for the cluster's slots, sends each command to
 * the master of its keys' slot, and follows the cluster's redirections (MOVED, ASK, TRYAGAIN, CLUSTERDOWN: a
 * command that met one was not run).
 */
export function clusterOptions(connection: RedisConnection, settings: ClientSettings): ClusterOptions {
  return {
    redisOptions: nodeOptions(connection, settings),
    lazyConnect: true,
    // As for one Redis: CLUSTER INFO would need one more ACL right, and the first command tells as much.
    enableReadyCheck: false,
    slotsRefreshTimeout: settings.connectTimeoutMs,
    // ioredis would send a command again when its node's connection closed under it: a write that had been
    // applied would then meet its own result and be made a second time. It fails instead, as on one Redis, and
    // the caller finds out what happened (a write's receipt lives in its document's slot: redis-keys.ts).
    retryDelayOnFailover: 0,
    // Without reconnection a lost cluster fails every command at once. The offline queue stays on either way:
    // without it, a command for a node whose connection is still being opened fails as if that one had closed.
    clusterRetryStrategy: settings.reconnect ? (times: number) => Math.min(times * 200, 2_000) : () => null,
  };
}

/** What every connection shares, whether to one Redis or to each node of a cluster. */
function nodeOptions(
  { username, password, tls }: RedisConnection,
  { reconnect, connectTimeoutMs, commandTimeoutMs }: ClientSettings,
): RedisOptions {
  return {
    username,
    password,
    tls,
    connectTimeout: connectTimeoutMs,
    // The INFO ready check needs a right that restricted ACL users often lack (ioredis then warns on
    // stderr); the SELECT of RedisClients.start, or the first command, surfaces any problem with the
    // connection anyway.
    enableReadyCheck: false,
    // Every command settles: answered, failed, or timed out, whether it was sent or waits for a connection.
    commandTimeout: commandTimeoutMs,
    // ioredis waits for the answers to its CLIENT SETINFO before it counts a connection ready, and forgets
    // them if the connection closes first: behind a proxy that accepts and then drops the connection while
    // Redis is down, it then never became ready again, and every command waited for ever.
    disableClientInfo: true,
    ...(reconnect
      ? {
          // ioredis would send the commands in flight at a disconnection again on the next connection: a write
          // that had been applied would then meet its own result and be made a second time. They fail instead
          // (see RedisClients.track()), and the caller finds out what happened.
          autoResendUnfulfilledCommands: false,
        }
      : {
          // After a failed connect ioredis keeps a timer on the dead socket for this long (2 s by default),
          // which kept a failing CLI run alive long after it had reported the error.
          disconnectTimeout: 100,
        }),
  };
}
