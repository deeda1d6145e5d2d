import { isPlainObject } from '../core/document';
import type { RedisDatasourceConfig } from './datasource-config';
import { DATASOURCE_SETTINGS as D } from './datasource-settings';
import { keyOf } from './setting-row';
import type { Raw, SettingReader } from './setting-reader';

/** A Redis datasource's settings at `where`; checked in the order cicdstatemgr's users have seen them listed. */
export function readRedisDatasource(
  s: SettingReader,
  where: string,
  raw: Raw,
): Omit<RedisDatasourceConfig, 'type' | 'isPrimary'> {
  const port = s.read(D.port, raw, where);
  const db = s.read(D.db, raw, where);
  const tls = raw[keyOf(D.tls)] ?? undefined;
  const validTls = tls === undefined || typeof tls === 'boolean' || isPlainObject(tls);
  if (!validTls)
    s.problem(`${where}.tls must be true, false or TLS options (ca, rejectUnauthorized, servername)`);
  const url = s.read(D.url, raw, where);
  const sentinels = raw[keyOf(D.sentinels)];
  const validSentinels = isHostPortList(sentinels);
  if (sentinels !== undefined && !validSentinels)
    s.problem(`${where}.sentinels must be a list of {host, port}`);
  const sentinelName = s.read(D.sentinelName, raw, where);
  if (validSentinels && !sentinelName) s.problem(`${where}.sentinelName is required with sentinels`);
  const clusterNodes = raw[keyOf(D.clusterNodes)];
  const validClusterNodes = isHostPortList(clusterNodes);
  if (clusterNodes !== undefined && !validClusterNodes)
    s.problem(`${where}.clusterNodes must be a list of {host, port}`);
  if (validClusterNodes && validSentinels)
    s.problem(`${where} names both sentinels and clusterNodes: a Redis Cluster has no sentinels`);
  return {
    ...(validClusterNodes ? { clusterNodes: hostPorts(clusterNodes) } : {}),
    ...(validSentinels ? { sentinels: hostPorts(sentinels), sentinelName } : {}),
    url,
    host: s.read(D.host, raw, where),
    port,
    db,
    username: s.read(D.username, raw, where),
    password: s.read(D.password, raw, where),
    tls: validTls ? (tls as RedisDatasourceConfig['tls']) : undefined,
    keyPrefix: s.read(D.keyPrefix, raw, where),
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
