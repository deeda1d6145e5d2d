import type { RedisDatasourceConfig } from '../../config/datasource-config';
import { StoreError } from '../../core/errors';

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
  /** Redis Cluster: the nodes asked for the cluster's layout (host and port are then the first of them). */
  clusterNodes?: Array<{ host: string; port: number }>;
}

/**
 * The url (`redis[s]://[user[:password]@]host[:port][/db]`, or `redis[s]-cluster://[user[:password]@]host:port,…`
 * for a Redis Cluster) first, then the explicit fields on top.
 */
export function redisConnection(config: RedisDatasourceConfig): RedisConnection {
  const fromUrl: Partial<RedisConnection> = config.url ? parseRedisUrl(config.url) : {};
  const tls = config.tls ?? fromUrl.tls;
  const clusterNodes = config.clusterNodes ?? fromUrl.clusterNodes;
  const db = config.db ?? fromUrl.db ?? 0;
  if (clusterNodes && db !== 0)
    throw new StoreError('a Redis Cluster has only database 0: remove db from the redis settings', {
      kind: 'refused',
    });
  // slackline places the hash tags of a cluster's keys itself (see redis-keys.ts): braces in the prefix would
  // move them.
  if (clusterNodes && /[{}]/.test(config.keyPrefix ?? ''))
    throw new StoreError('with a Redis Cluster the keyPrefix may not contain { or }', { kind: 'refused' });
  return {
    host: clusterNodes?.[0]?.host ?? config.host ?? fromUrl.host ?? '127.0.0.1',
    port: clusterNodes?.[0]?.port ?? config.port ?? fromUrl.port ?? 6379,
    db,
    username: config.username ?? fromUrl.username,
    password: config.password ?? fromUrl.password,
    tls: tls === true ? {} : tls === false || tls === undefined ? undefined : tls,
    keyPrefix: config.keyPrefix ?? '',
    ...(config.sentinels && config.sentinelName
      ? { sentinels: config.sentinels, sentinelName: config.sentinelName }
      : {}),
    ...(clusterNodes ? { clusterNodes } : {}),
  };
}

function parseRedisUrl(text: string): Partial<RedisConnection> {
  // The url may hold a password: messages never repeat it.
  const invalid = (why: string) =>
    new StoreError(
      `invalid Redis url: ${why} (redis[s]://[user:password@]host:port/db or redis[s]-cluster://[user:password@]host:port,host:port)`,
      {
        kind: 'refused',
      },
    );
  // A cluster's url names several nodes, which URL cannot parse as one host: it parses each node alone.
  const cluster = /^(rediss?)-cluster:\/\/(?:([^@/]*)@)?([^/]*)(\/.*)?$/i.exec(text);
  if (cluster) {
    const [, scheme = '', credentials, nodes = '', path = ''] = cluster;
    const at = credentials === undefined ? '' : `${credentials}@`;
    const parsed = nodes.split(',').map((node) => parseRedisUrl(`${scheme}://${at}${node}${path}`));
    if (parsed.some((node) => !node.host)) throw invalid('every node of a cluster needs a host');
    return {
      ...parsed[0],
      clusterNodes: parsed.map((node) => ({ host: node.host as string, port: node.port ?? 6379 })),
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('it does not parse');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw invalid('the scheme must be redis, rediss, redis-cluster or rediss-cluster');
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

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `redis 127.0.0.1:6379 db 0`, the sentinels it asks, or a cluster's nodes: for messages, never with a password. */
export function describeConnection({
  host,
  port,
  db,
  tls,
  sentinels,
  sentinelName,
  clusterNodes,
}: RedisConnection): string {
  const list = (nodes: Array<{ host: string; port: number }>) =>
    nodes.map((x) => hostPort(x.host, x.port)).join(', ');
  if (clusterNodes) return `redis cluster ${list(clusterNodes)}${tls ? ' (TLS)' : ''}`;
  const where = sentinels ? `master "${sentinelName}" of sentinels ${list(sentinels)}` : hostPort(host, port);
  return `redis ${where} db ${db}${tls ? ' (TLS)' : ''}`;
}
