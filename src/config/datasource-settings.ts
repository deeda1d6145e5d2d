import type { SettingRow } from './setting-row';

/**
 * The settings of cicdstatemgr's datasources (`cicdstatemgr.datasources.<type>`), which the gateway's
 * `slackline.store.<type>` has too. Unknown keys are not refused here: cicdstatemgr 1.2.4 ignored them, and
 * its config files are read unchanged.
 */
export const DATASOURCE_SETTINGS = {
  isPrimary: { path: 'cicdstatemgr.datasources.*.isPrimary', kind: 'yamlBoolean', default: false },
  path: { path: 'cicdstatemgr.datasources.*.path', kind: 'requiredPath' },
  excludeKeyNames: { path: 'cicdstatemgr.datasources.shellfile.excludeKeyNames', kind: 'list' },
  // PyYAML and js-yaml both read `port: 6379` as a number; a quoted port is accepted too.
  port: { path: 'cicdstatemgr.datasources.redis.port', kind: 'number', what: 'a port number' },
  db: { path: 'cicdstatemgr.datasources.redis.db', kind: 'number', what: 'a database number' },
  tls: { path: 'cicdstatemgr.datasources.redis.tls', kind: 'options' },
  url: { path: 'cicdstatemgr.datasources.redis.url', kind: 'redisUrl' },
  password: { path: 'cicdstatemgr.datasources.redis.password', kind: 'stringified' },
  sentinels: { path: 'cicdstatemgr.datasources.redis.sentinels', kind: 'list' },
  sentinelName: {
    path: 'cicdstatemgr.datasources.redis.sentinelName',
    kind: 'anyText',
    what: 'the name of the master the sentinels watch',
  },
  clusterNodes: { path: 'cicdstatemgr.datasources.redis.clusterNodes', kind: 'list' },
  host: { path: 'cicdstatemgr.datasources.redis.host', kind: 'anyText', what: 'a host name' },
  username: { path: 'cicdstatemgr.datasources.redis.username', kind: 'anyText', what: 'an ACL user name' },
  keyPrefix: { path: 'cicdstatemgr.datasources.redis.keyPrefix', kind: 'anyText', what: 'text' },
} as const satisfies Record<string, SettingRow>;
