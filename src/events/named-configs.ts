import { isPlainObject } from '../core/document';

/**
 * A handler's config in cicdstatemgr's two forms: a single config (it has the marker key) runs as "default";
 * otherwise each mapping value is a named config, run in order. `enabled` beside named configs is not a config
 * (cicdstatemgr crashed on it).
 */
export function namedConfigs(config: unknown, markerKey: string): Array<[string, Record<string, unknown>]> {
  if (!isPlainObject(config)) return [];
  if (markerKey in config) return [['default', config]];
  return Object.entries(config).filter((entry): entry is [string, Record<string, unknown>] =>
    isPlainObject(entry[1]),
  );
}
