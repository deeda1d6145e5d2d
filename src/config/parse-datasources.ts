import { isPlainObject } from '../core/document';
import type { DatasourceConfig } from './datasource-config';
import { PRIMARY_TYPES, PROJECTION_TYPES, readDatasource } from './read-datasource';
import { SettingReader } from './setting-reader';

const KNOWN_TYPES = [...PRIMARY_TYPES, ...PROJECTION_TYPES];

/**
 * Validates `cicdstatemgr.datasources` (secrets already merged in). Problems are pushed onto `problems` so the
 * user sees every one of them at once; the result is only meaningful when none were found.
 */
export function parseDatasources(raw: unknown, cwd: string, problems: string[]): DatasourceConfig[] {
  if (!isPlainObject(raw) || Object.keys(raw).length === 0) {
    problems.push(
      'cicdstatemgr.datasources must map datasource types (redis, filestore, yamlfile, …) to settings',
    );
    return [];
  }
  // cicdstatemgr's datasources come from its files only: no environment variable names one of them.
  const s = new SettingReader({}, problems, cwd);
  const result: DatasourceConfig[] = [];
  for (const [type, settings] of Object.entries(raw)) {
    const where = `cicdstatemgr.datasources.${type}`;
    if (!KNOWN_TYPES.includes(type)) {
      problems.push(`${where}: unknown datasource type (known: ${KNOWN_TYPES.join(', ')})`);
      continue;
    }
    const datasource = readDatasource(s, where, type, settings);
    if (datasource) result.push(datasource);
  }
  const primaries = result.filter((d) => d.isPrimary);
  if (primaries.length === 0 && problems.length === 0) {
    problems.push('no datasource has isPrimary: true (use redis or filestore as the primary)');
  } else if (primaries.length > 1) {
    problems.push(`only one datasource may be primary, found: ${primaries.map((d) => d.type).join(', ')}`);
  } else if (primaries[0] && !PRIMARY_TYPES.includes(primaries[0].type)) {
    problems.push(`${primaries[0].type} cannot be the primary: use redis or filestore`);
  }
  return result;
}
