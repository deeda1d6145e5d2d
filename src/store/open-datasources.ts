import type { DatasourceConfig, ProjectionDatasourceConfig } from '../config/datasource-config';
import type { ContextDocument } from '../core/document';
import { StoreError } from '../core/errors';
import type { Logger } from '../core/logger';
import { FileStore, type FileStoreOptions } from './file/file-store';
import { IdFileProjection } from './id-file-projection';
import { JsonFileProjection } from './json-file-projection';
import type { Projection } from './projection';
import { RedisStore, type RedisStoreOptions } from './redis/redis-store';
import { ShellFileProjection } from './shell-file-projection';
import type { GatewayStore, Store } from './store';
import { YamlFileProjection } from './yaml-file-projection';

export interface Datasources {
  primary: Store;
  projections: Projection[];
  /** writes every projection (atomically, in config order) */
  project(id: string, doc: ContextDocument): Promise<void>;
  /** first yamlfile/jsonfile projection that belongs to id (prefer jsonfile: JSON.parse is faster, contents are identical) */
  readLocal(id: string): Promise<ContextDocument | undefined>;
  close(): Promise<void>;
}

export interface OpenDatasourcesOptions {
  redis?: Omit<RedisStoreOptions, 'logger'>;
  fileStore?: Omit<FileStoreOptions, 'logger'>;
}

/** Builds the primary store and the projections; nothing connects (or loads ioredis) until first used. */
export function openDatasources(
  configs: DatasourceConfig[],
  logger: Logger,
  options: OpenDatasourcesOptions = {},
): Datasources {
  const primaries = configs.filter((c) => c.isPrimary);
  const [primaryConfig] = primaries;
  if (primaries.length !== 1 || !primaryConfig) {
    throw new StoreError(`exactly one datasource must have isPrimary: true, found ${primaries.length}`);
  }
  const primary: Store = openPrimaryStore(primaryConfig, logger, options);

  const projections: Projection[] = [];
  for (const config of configs) {
    if (config === primaryConfig) continue;
    if (config.type === 'redis' || config.type === 'filestore') {
      throw new StoreError(`${config.type} can only be the primary datasource (isPrimary: true)`);
    }
    projections.push(createProjection(config));
  }
  // JSON first: same content as the YAML file, and JSON.parse is much faster than a YAML parser.
  const readable = [
    ...projections.filter((p) => p.type === 'jsonfile'),
    ...projections.filter((p) => p.type === 'yamlfile'),
  ];

  return {
    primary,
    projections,
    async project(id, doc) {
      // Every projection is attempted even when one fails, so the others are not left staler than needed.
      const failures: unknown[] = [];
      for (const projection of projections) {
        try {
          await projection.write(id, doc);
          logger.debug(`wrote ${projection.type} ${projection.path}`);
        } catch (error) {
          failures.push(error);
        }
      }
      const [first] = failures;
      if (first === undefined) return;
      const more = failures.length > 1 ? ` (and ${failures.length - 1} more projection files)` : '';
      const message = first instanceof Error ? first.message : String(first);
      throw new StoreError(`${message}${more}`, { cause: first });
    },
    async readLocal(id) {
      for (const projection of readable) {
        try {
          const doc = await projection.read?.(id);
          if (doc) return doc;
        } catch (error) {
          // A local file is only a cache of the primary: a broken one is read past, and rewritten later.
          if (!(error instanceof StoreError)) throw error;
          logger.warn(`ignoring a local ${projection.type} projection: ${error.message}`);
        }
      }
      return undefined;
    },
    close: () => primary.close(),
  };
}

/** The primary store alone, with what the gateway keeps beside the documents: Redis or the file store. */
export function openPrimaryStore(
  config: DatasourceConfig,
  logger: Logger,
  options: OpenDatasourcesOptions = {},
): GatewayStore {
  if (config.type === 'redis') return new RedisStore(config, { ...options.redis, logger });
  if (config.type === 'filestore') return new FileStore(config.path, { ...options.fileStore, logger });
  throw new StoreError(`${config.type} cannot be the primary datasource: use redis or filestore`);
}

function createProjection(config: ProjectionDatasourceConfig): Projection {
  switch (config.type) {
    case 'yamlfile':
      return new YamlFileProjection(config.path);
    case 'jsonfile':
      return new JsonFileProjection(config.path);
    case 'shellfile':
      return new ShellFileProjection(config.path, config.excludeKeyNames);
    case 'idfile':
      return new IdFileProjection(config.path);
  }
}
