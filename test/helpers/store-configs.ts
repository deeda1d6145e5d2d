import type { FileStoreDatasourceConfig, RedisDatasourceConfig } from '../../src/config/datasource-config';

/**
 * A primary Redis store's config, typed as RedisStore takes it: `url` is `redis://…` for a single Redis or
 * `redis-cluster://…` for a Cluster (see redis-backends.ts), so one helper serves both.
 */
export function redisStoreConfig(url: string, keyPrefix?: string): RedisDatasourceConfig {
  return { type: 'redis', isPrimary: true, url, ...(keyPrefix === undefined ? {} : { keyPrefix }) };
}

/** A primary file store's config: one YAML file per context under `path`. */
export function fileStoreConfig(path: string): FileStoreDatasourceConfig {
  return { type: 'filestore', isPrimary: true, path };
}
