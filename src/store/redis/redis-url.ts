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
    new StoreError(`invalid Redis url: ${why} (redis[s]://[user:password@]host:port/db)`, {
      kind: 'refused',
    });
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

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `redis 127.0.0.1:6379 db 0`, or the sentinels it asks: for messages, never with a password. */
export function describeConnection({
  host,
  port,
  db,
  tls,
  sentinels,
  sentinelName,
}: RedisConnection): string {
  const where = sentinels
    ? `master "${sentinelName}" of sentinels ${sentinels.map((x) => hostPort(x.host, x.port)).join(', ')}`
    : hostPort(host, port);
  return `redis ${where} db ${db}${tls ? ' (TLS)' : ''}`;
}
