import { dictMerge } from '../compat/jsonpath/dict-merge';
import { isPlainObject } from '../core/document';
import { ConfigError } from '../core/errors';
import type { CicdstatemgrConfig } from './cicdstatemgr-config';
import { parseDatasources } from './parse-datasources';
import { readYamlFile } from './read-yaml-file';

export interface ConfigPaths {
  configPath: string;
  /** Optional: without secrets, templates see no `secretData` and no Slack token is sent. */
  secretsPath?: string;
  cwd: string;
}

/** Loads config.yaml and secrets.yaml as cicdstatemgr does; one ConfigError lists every problem found. */
export function loadCicdstatemgrConfig({ configPath, secretsPath, cwd }: ConfigPaths): CicdstatemgrConfig {
  const configData = topLevelSection(readYamlFile(configPath, 'config file'), `config file ${configPath}`);
  const secretData =
    secretsPath === undefined
      ? {}
      : topLevelSection(readYamlFile(secretsPath, 'secrets file'), `secrets file ${secretsPath}`);

  let rawDatasources = configData['datasources'];
  const secretDatasources = secretData['datasources'];
  if (isPlainObject(rawDatasources) && isPlainObject(secretDatasources)) {
    rawDatasources = dictMerge(rawDatasources, secretDatasources);
  }
  const problems: string[] = [];
  const datasources = parseDatasources(rawDatasources, cwd, problems);
  if (problems.length > 0) {
    throw new ConfigError(`config file ${configPath}: ${problems.join('; ')}`);
  }
  return { configData, secretData, datasources };
}

function topLevelSection(doc: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(doc) || !isPlainObject(doc['cicdstatemgr'])) {
    throw new ConfigError(`${what} must have a top-level "cicdstatemgr:" mapping`);
  }
  return doc['cicdstatemgr'];
}
