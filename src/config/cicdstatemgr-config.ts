import type { DatasourceConfig } from './datasource-config';

/** config.yaml and secrets.yaml, validated. */
export interface CicdstatemgrConfig {
  /** `config.cicdstatemgr`: exposed to templates as `configData`, as in cicdstatemgr. */
  configData: Record<string, unknown>;
  /** `secrets.cicdstatemgr`: exposed only to trigger header templates. */
  secretData: Record<string, unknown>;
  /** In config order, secrets merged in, paths absolute. */
  datasources: DatasourceConfig[];
}
