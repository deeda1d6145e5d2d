import { isPlainObject } from '../core/document';
import type { DatasourceConfig } from './datasource-config';
import { GATEWAY_SETTINGS as G } from './gateway-settings';
import { readDatasource } from './read-datasource';
import type { Raw, SettingReader } from './setting-reader';

/** The gateway's store: REDIS_URL, else `slackline.store` with cicdstatemgr's datasource settings, else files. */
export function readStore(s: SettingReader, root: Raw): DatasourceConfig {
  const redisUrl = s.env(G.redisUrl.env);
  const keyPrefix = s.env(G.keyPrefix.env);
  if (redisUrl !== undefined) {
    // The environment replaces the whole store section: mixing its URL with YAML host/port would be ambiguous.
    s.check(G.redisUrl, { value: redisUrl, label: G.redisUrl.env });
    return {
      type: 'redis',
      isPrimary: true,
      url: redisUrl,
      ...(keyPrefix === undefined ? {} : { keyPrefix }),
    };
  }
  const raw = s.mapping(root, 'slackline', 'store');
  const types = Object.keys(raw);
  let store: DatasourceConfig = { type: 'filestore', isPrimary: true, path: s.read(G.storePath, {}) };
  if (types.length > 0) {
    const [type] = types;
    if (types.length > 1 || (type !== 'redis' && type !== 'filestore')) {
      s.problem('slackline.store must name exactly one store: redis or filestore');
    } else if (raw[type] !== null && !isPlainObject(raw[type])) {
      s.problem(`slackline.store.${type} must be a mapping`);
    } else {
      // Same settings and checks as cicdstatemgr's datasources; the gateway's store is always the primary.
      store = readDatasource(s, `slackline.store.${type}`, type, raw[type], true) ?? store;
    }
  }
  if (keyPrefix !== undefined) {
    if (store.type === 'redis') store = { ...store, keyPrefix };
    else s.problem('SLACKLINE_KEY_PREFIX applies only to a Redis store (REDIS_URL or slackline.store.redis)');
  }
  return store;
}
