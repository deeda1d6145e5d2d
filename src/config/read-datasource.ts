import { isPlainObject } from '../core/document';
import type { DatasourceConfig, ProjectionType } from './datasource-config';
import { DATASOURCE_SETTINGS as D } from './datasource-settings';
import { readRedisDatasource } from './read-redis-datasource';
import { keyOf } from './setting-row';
import type { SettingReader } from './setting-reader';

export const PROJECTION_TYPES: readonly string[] = ['yamlfile', 'jsonfile', 'shellfile', 'idfile'];
export const PRIMARY_TYPES: readonly string[] = ['redis', 'filestore'];

/**
 * One datasource's settings at `where` (`cicdstatemgr.datasources.redis`, or the gateway's
 * `slackline.store.redis`, whose store is always the primary: `primary` says so, and isPrimary is not read).
 * Undefined when it has no usable settings; the problems are with the reader.
 */
export function readDatasource(
  s: SettingReader,
  where: string,
  type: string,
  settings: unknown,
  primary?: true,
): DatasourceConfig | undefined {
  const raw = isPlainObject(settings) ? settings : {};
  if (settings !== null && !isPlainObject(settings)) s.problem(`${where} must be a mapping`);
  let isPrimary = primary === true;
  if (primary === undefined) {
    const setting = s.setting(D.isPrimary, raw, where);
    isPrimary = s.check(D.isPrimary, setting);
    // Only when it is false or left out: a wrong value has its own message already.
    if (PRIMARY_TYPES.includes(type) && (setting.value ?? false) === false) {
      s.problem(`${where} can only be the primary: set isPrimary: true`);
    }
  }
  if (type === 'redis') return { type, isPrimary, ...readRedisDatasource(s, where, raw) };
  const path = s.read(D.path, raw, where);
  if (path === undefined) return undefined;
  if (type === 'filestore') return { type, isPrimary, path };
  const excludeKeyNames = raw[keyOf(D.excludeKeyNames)] ?? [];
  if (!Array.isArray(excludeKeyNames) || !excludeKeyNames.every((k) => typeof k === 'string')) {
    s.problem(`${where}.excludeKeyNames must be a list of key names`);
  }
  return {
    type: type as ProjectionType,
    isPrimary,
    path,
    ...(type === 'shellfile' ? { excludeKeyNames: excludeKeyNames as string[] } : {}),
  };
}
