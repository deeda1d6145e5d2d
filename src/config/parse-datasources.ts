import { isPlainObject } from '../core/document';
import type { DatasourceConfig, ProjectionType } from './datasource-config';
import { resolvePath } from './resolve-path';

const PROJECTION_TYPES: readonly string[] = ['yamlfile', 'jsonfile', 'shellfile', 'idfile'];
const PRIMARY_TYPES: readonly string[] = ['redis', 'filestore'];
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
  const result: DatasourceConfig[] = [];
  for (const [type, settings] of Object.entries(raw)) {
    const where = `cicdstatemgr.datasources.${type}`;
    if (!KNOWN_TYPES.includes(type)) {
      problems.push(`${where}: unknown datasource type (known: ${KNOWN_TYPES.join(', ')})`);
      continue;
    }
    const s = isPlainObject(settings) ? settings : {};
    if (settings !== null && !isPlainObject(settings)) problems.push(`${where} must be a mapping`);
    const isPrimary = s['isPrimary'] ?? false;
    if (typeof isPrimary !== 'boolean') problems.push(`${where}.isPrimary must be true or false`);
    const primary = isPrimary === true;
    if (PRIMARY_TYPES.includes(type) && isPrimary === false) {
      problems.push(`${where} can only be the primary: set isPrimary: true`);
    }
    if (type === 'redis') {
      result.push({ type, isPrimary: primary, ...parseRedis(s, where, problems) });
      continue;
    }
    const path = s['path'];
    if (typeof path !== 'string' || path === '') {
      problems.push(`${where}.path is required`);
      continue;
    }
    if (type === 'filestore') {
      result.push({ type, isPrimary: primary, path: resolvePath(path, cwd) });
      continue;
    }
    const excludeKeyNames = s['excludeKeyNames'] ?? [];
    if (!Array.isArray(excludeKeyNames) || !excludeKeyNames.every((k) => typeof k === 'string')) {
      problems.push(`${where}.excludeKeyNames must be a list of key names`);
    }
    result.push({
      type: type as ProjectionType,
      isPrimary: primary,
      path: resolvePath(path, cwd),
      ...(type === 'shellfile' ? { excludeKeyNames: excludeKeyNames as string[] } : {}),
    });
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

function parseRedis(s: Record<string, unknown>, where: string, problems: string[]) {
  const pick = <T>(key: string, check: (v: unknown) => v is T, expected: string): T | undefined => {
    const value = s[key];
    if (value === undefined || value === null) return undefined;
    if (!check(value)) {
      problems.push(`${where}.${key} must be ${expected}`);
      return undefined;
    }
    return value;
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  // PyYAML and js-yaml both read `port: 6379` as a number; a quoted port is accepted too.
  const port = pick('port', (v): v is number | string => Number.isInteger(Number(v)), 'a port number');
  const db = pick('db', (v): v is number | string => Number.isInteger(Number(v)), 'a database number');
  const tls = pick(
    'tls',
    (v): v is boolean | Record<string, unknown> => typeof v === 'boolean' || isPlainObject(v),
    'true, false or TLS options (ca, rejectUnauthorized, servername)',
  );
  const url = pick('url', isString, 'a redis://, rediss://, redis-cluster:// or rediss-cluster:// URL');
  if (url !== undefined && !/^rediss?(-cluster)?:\/\//.test(url))
    problems.push(`${where}.url must start with redis://, rediss://, redis-cluster:// or rediss-cluster://`);
  const password = s['password'];
  const sentinels = s['sentinels'];
  const validSentinels = isHostPortList(sentinels);
  if (sentinels !== undefined && !validSentinels)
    problems.push(`${where}.sentinels must be a list of {host, port}`);
  const sentinelName = pick('sentinelName', isString, 'the name of the master the sentinels watch');
  if (validSentinels && !sentinelName) problems.push(`${where}.sentinelName is required with sentinels`);
  const clusterNodes = s['clusterNodes'];
  const validClusterNodes = isHostPortList(clusterNodes);
  if (clusterNodes !== undefined && !validClusterNodes)
    problems.push(`${where}.clusterNodes must be a list of {host, port}`);
  if (validClusterNodes && validSentinels)
    problems.push(`${where} names both sentinels and clusterNodes: a Redis Cluster has no sentinels`);
  return {
    ...(validClusterNodes ? { clusterNodes: hostPorts(clusterNodes) } : {}),
    ...(validSentinels
      ? {
          sentinels: hostPorts(sentinels),
          sentinelName,
        }
      : {}),
    url,
    host: pick('host', isString, 'a host name'),
    port: port === undefined ? undefined : Number(port),
    db: db === undefined ? undefined : Number(db),
    username: pick('username', isString, 'an ACL user name'),
    // A password of digits only is read by YAML as a number; Redis wants the text.
    password: password === undefined || password === null ? undefined : String(password),
    tls: tls as boolean | { ca?: string; rejectUnauthorized?: boolean; servername?: string } | undefined,
    keyPrefix: pick('keyPrefix', isString, 'text'),
  };
}

function isHostPortList(value: unknown): value is Array<Record<string, unknown>> {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (x) => isPlainObject(x) && typeof x['host'] === 'string' && Number.isInteger(Number(x['port'])),
    )
  );
}

function hostPorts(list: Array<Record<string, unknown>>): Array<{ host: string; port: number }> {
  return list.map((x) => ({ host: String(x['host']), port: Number(x['port']) }));
}
