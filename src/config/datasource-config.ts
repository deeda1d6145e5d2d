/**
 * Datasources as config.yaml names them (`cicdstatemgr.datasources.<type>`), validated, with secrets merged in
 * and every path made absolute. The key is the type, as in cicdstatemgr, so there is one of each at most.
 */
export type DatasourceConfig = RedisDatasourceConfig | FileStoreDatasourceConfig | ProjectionDatasourceConfig;

export interface RedisDatasourceConfig {
  type: 'redis';
  isPrimary: boolean;
  /**
   * `redis://[user:password@]host:port/db` or `rediss://…` for TLS, `redis-cluster://[user:password@]host:port,…`
   * (`rediss-cluster://`) for a Redis Cluster; host/port/db/username/password override it.
   */
  url?: string;
  host?: string;
  port?: number;
  db?: number;
  username?: string;
  password?: string;
  /** true, or TLS options; implied by a `rediss://` url. */
  tls?: boolean | { ca?: string; rejectUnauthorized?: boolean; servername?: string };
  /** Prepended to every document id to make its key (cicdstatemgr uses the bare id). */
  keyPrefix?: string;
  /**
   * Redis Sentinel: where the sentinels are and the name of the master they watch. host/port are then not
   * used: the master is asked of the sentinels, and found again after a failover.
   */
  sentinels?: Array<{ host: string; port: number }>;
  sentinelName?: string;
  /**
   * Redis Cluster: some of its nodes (any, masters or replicas), which ioredis asks for the layout of the others.
   * host/port are then not used, and a context's keys carry a hash tag (see docs/configuration.md).
   */
  clusterNodes?: Array<{ host: string; port: number }>;
}

/** The embedded primary: one YAML file per context under a directory; no server needed. */
export interface FileStoreDatasourceConfig {
  type: 'filestore';
  isPrimary: boolean;
  /** Absolute directory path. */
  path: string;
}

export type ProjectionType = 'yamlfile' | 'jsonfile' | 'shellfile' | 'idfile';

/** A local file written after every change, for Task steps to read (`source`, `jq`, Tekton results). */
export interface ProjectionDatasourceConfig {
  type: ProjectionType;
  isPrimary: boolean;
  /** Absolute file path. */
  path: string;
  /** shellfile only: key names left out at any depth. */
  excludeKeyNames?: string[];
}
