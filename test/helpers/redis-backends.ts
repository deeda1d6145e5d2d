import { testClusterUrl, testRedisUrl } from './redis';

/** A kind of Redis the store and the gateway run on, for suites that run once on each. */
export interface RedisBackend {
  /** For titles: "a single Redis", "a three-master Redis Cluster". */
  name: string;
  cluster: boolean;
  /** The url the store is given: `redis://…` or `redis-cluster://…`. */
  url(): Promise<string>;
  /** The key a context's document is kept under (see src/store/redis/redis-keys.ts). */
  documentKey(prefix: string, id: string): string;
}

export const SINGLE_REDIS: RedisBackend = {
  name: 'a single Redis',
  cluster: false,
  url: testRedisUrl,
  documentKey: (prefix, id) => prefix + id,
};

export const REDIS_CLUSTER: RedisBackend = {
  name: 'a three-master Redis Cluster',
  cluster: true,
  url: testClusterUrl,
  documentKey: (prefix, id) => `${prefix}{${id}}`,
};

export const REDIS_BACKENDS: readonly RedisBackend[] = [SINGLE_REDIS, REDIS_CLUSTER];

/** `describe(title, …)` once per backend, the backend named in the title and handed to the suite. */
export function describeOnEachRedis(
  title: string,
  suite: (this: Mocha.Suite, backend: RedisBackend) => void,
): void {
  for (const backend of REDIS_BACKENDS) {
    describe(`${title}, on ${backend.name}`, function () {
      suite.call(this, backend);
    });
  }
}
