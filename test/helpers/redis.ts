import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { ThrowawayCluster } from './throwaway-cluster';
import { ThrowawayRedis } from './throwaway-redis';

/**
 * A Redis for integration tests: the one at REDIS_URL or 127.0.0.1:6379 when something answers there,
 * otherwise a throwaway `redis-server` started once for the whole run. The Redis may be shared with other
 * data, so tests use unique key prefixes and unique ACL users and never flush a database.
 */

interface HarnessState {
  url?: Promise<string>;
  server?: ThrowawayRedis;
  cluster?: Promise<ThrowawayCluster>;
  aclUsers: { url: string; username: string }[];
}

// Kept on globalThis so that the root hooks and the spec files see the same state even if the module
// is loaded twice (once through require, once through import).
const STATE_KEY = Symbol.for('slackline.test.redis');
const state: HarnessState = ((globalThis as Record<symbol, unknown>)[STATE_KEY] as
  HarnessState | undefined) ?? {
  aclUsers: [],
};
(globalThis as Record<symbol, unknown>)[STATE_KEY] = state;

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const INSTALL_HINT =
  'install it (e.g. `apt-get install redis-server` or `brew install redis`) or set REDIS_URL to a Redis the tests may use';

export function testRedisUrl(): Promise<string> {
  state.url ??= findOrStartRedis();
  return state.url;
}

async function findOrStartRedis(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await answersTcp('127.0.0.1', 6379)) return DEFAULT_URL;
  return (await startServer()).url;
}

function answersTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The shared throwaway server, when one had to be started: it stops in the global teardown. */
async function startServer(): Promise<ThrowawayRedis> {
  const server = new ThrowawayRedis({ durable: false });
  try {
    await server.start();
  } catch (error) {
    await server.remove();
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`Nothing answers at ${DEFAULT_URL} and redis-server is not on PATH: ${INSTALL_HINT}.`);
    }
    throw error;
  }
  state.server = server;
  return server;
}

/**
 * The url (`redis-cluster://…`) of a three-master Redis Cluster of this run's own, started on first use (a few
 * seconds) and stopped in the global teardown. Like the single Redis, tests share it, each under its key prefix.
 */
export async function testClusterUrl(): Promise<string> {
  state.cluster ??= (async () => {
    const cluster = new ThrowawayCluster();
    try {
      await cluster.start();
    } catch (error) {
      await cluster.remove();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`redis-server is not on PATH, and the Redis Cluster tests need it: ${INSTALL_HINT}.`);
      throw error;
    }
    return cluster;
  })();
  return (await state.cluster).url;
}

export async function stopTestRedis(): Promise<void> {
  const server = state.server;
  state.server = undefined;
  await server?.remove();
  const cluster = state.cluster;
  state.cluster = undefined;
  await (await cluster?.catch(() => undefined))?.remove();
}

/** A raw client for test set-up and inspection (the code under test builds its own). */
export function rawClient(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** A raw client of a single Redis or, for a `redis-cluster://` url, of the whole cluster. */
export function testClient(url: string): Redis | Cluster {
  const nodes = clusterNodes(url);
  return nodes
    ? new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } })
    : new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/**
 * The url of each server behind `url`: itself, or each node of a `redis-cluster://` url (commands that concern a
 * server rather than a key, ACL, CLIENT KILL, SCAN, MONITOR, are run on each).
 */
export function serverUrls(url: string): string[] {
  return clusterNodes(url)?.map(({ host, port }) => `redis://${host}:${port}`) ?? [url];
}

/** Where the CLI's config.yaml points for `url` (see Workspace): host and port, and a cluster's nodes. */
export function redisEndpoint(url: string): {
  host: string;
  port: number;
  clusterNodes?: { host: string; port: number }[];
} {
  const nodes = clusterNodes(url);
  if (nodes) return { ...nodes[0]!, clusterNodes: nodes };
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port || 6379) };
}

function clusterNodes(url: string): { host: string; port: number }[] | undefined {
  const match = /^redis-cluster:\/\/([^/@]+)$/.exec(url);
  return match?.[1]?.split(',').map((node) => {
    const [host = '', port = ''] = node.split(':');
    return { host, port: Number(port) };
  });
}

/** A key prefix no other test run or user of the shared Redis has. */
export function uniqueKeyPrefix(label = 'test'): string {
  return `slackline-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes the keys under `prefix` (and only those), on every node of a cluster. */
export async function flushTestKeys(url: string, prefix: string): Promise<void> {
  await Promise.all(serverUrls(url).map((server) => flushServerKeys(server, prefix)));
}

async function flushServerKeys(url: string, prefix: string): Promise<void> {
  const client = rawClient(url);
  try {
    const pattern = prefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      // One at a time: on a cluster's node, keys of several slots cannot go in one DEL.
      for (const key of keys) await client.del(key);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/**
 * A new ACL user with every right, whose password contains `$` (which broke shell-quoted set-ups before).
 * Removed by deleteAclUsers() in the global teardown.
 */
export async function createAclUser(url: string): Promise<{ username: string; password: string }> {
  const suffix = randomBytes(4).toString('hex');
  const username = `slackline-test-${process.pid}-${suffix}`;
  const password = `123$aBcZ-${suffix}`;
  for (const server of serverUrls(url)) {
    const client = rawClient(server);
    try {
      await client.call('ACL', 'SETUSER', username, 'on', `>${password}`, '~*', '&*', '+@all');
    } finally {
      client.disconnect();
    }
    state.aclUsers.push({ url: server, username });
  }
  return { username, password };
}

/** A user that may read but not write (whatever `extraRules` grant besides): for NOPERM messages. */
export async function createReadOnlyAclUser(
  url: string,
  extraRules: string[] = [],
): Promise<{ username: string; password: string }> {
  const user = await createAclUser(url);
  for (const server of serverUrls(url)) {
    const client = rawClient(server);
    try {
      await client.call(
        'ACL',
        'SETUSER',
        user.username,
        'reset',
        'on',
        `>${user.password}`,
        '~*',
        '+@read',
        ...extraRules,
      );
    } finally {
      client.disconnect();
    }
  }
  return user;
}

export async function deleteAclUsers(): Promise<void> {
  const users = state.aclUsers.splice(0);
  for (const url of new Set(users.map((u) => u.url))) {
    const client = rawClient(url);
    try {
      await client.call('ACL', 'DELUSER', ...users.filter((u) => u.url === url).map((u) => u.username));
    } finally {
      client.disconnect();
    }
  }
}

/** The CLI workspace's Redis primary on the test Redis, as a user of its own (createAclUser). */
export async function aclRedisPrimary(url: string) {
  const { hostname, port } = new URL(url);
  return {
    type: 'redis' as const,
    host: hostname,
    port: Number(port || 6379),
    ...(await createAclUser(url)),
  };
}
