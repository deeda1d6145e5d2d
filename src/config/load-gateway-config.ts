import { isPlainObject } from '../core/document';
import { ConfigError } from '../core/errors';
import type { DatasourceConfig } from './datasource-config';
import type { GatewayConfig } from './gateway-config';
import { parseDatasources } from './parse-datasources';
import { readCommands } from './read-commands-config';
import { readForwarding } from './read-forwarding-config';
import { readIntake } from './read-intake-config';
import { readInterceptor } from './read-interceptor-config';
import { readLegacyButtons } from './read-legacy-buttons-config';
import { readRunCard } from './read-run-card-config';
import { readSlack } from './read-slack-config';
import { readTls } from './read-tls-config';
import { readYamlFile } from './read-yaml-file';
import { resolvePath } from './resolve-path';
import { type Raw, SettingReader } from './setting-reader';

export interface GatewayConfigSources {
  /** Optional: everything can come from the environment. */
  configPath?: string;
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * The gateway's YAML file (top-level `slackline:`) with environment variables laid over it. One ConfigError
 * lists every problem found; values are never quoted in it, because most of them are secrets or URLs that
 * may carry credentials.
 */
export function loadGatewayConfig({ configPath, env, cwd }: GatewayConfigSources): GatewayConfig {
  const problems: string[] = [];
  const root = configPath === undefined ? {} : readRoot(configPath, problems);
  const s = new SettingReader(env, problems);

  s.checkKeys(root, 'slackline', [
    'port',
    'host',
    'slack',
    'store',
    'forwarding',
    'commands',
    'maxBodyBytes',
    'logLevel',
    'shutdownTimeoutMs',
    'interceptor',
    'tls',
    'intake',
    'legacyButtons',
    'stallTimeoutMs',
    'runCard',
  ]);
  const port = s.integer(s.pick(root, 'slackline', 'port', 'PORT'), 0, 65535) ?? 3000;
  const host = s.text(s.pick(root, 'slackline', 'host', 'HOST')) ?? '0.0.0.0';
  const slack = readSlack(s, s.mapping(root, 'slackline', 'slack'));
  const store = readStore(s, root, cwd);
  const forwarding = readForwarding(s, s.mapping(root, 'slackline', 'forwarding'));
  const commands = readCommands(s, s.mapping(root, 'slackline', 'commands'), forwarding);
  const maxBodyBytes = s.integer(s.pick(root, 'slackline', 'maxBodyBytes'), 1, 100 * 1024 * 1024) ?? 262144;
  const logLevel = s.logLevel(s.pick(root, 'slackline', 'logLevel', 'LOG_LEVEL')) ?? 'info';
  const shutdownTimeoutMs = s.integer(s.pick(root, 'slackline', 'shutdownTimeoutMs'), 0, 3_600_000) ?? 10000;
  const interceptor = readInterceptor(s, s.mapping(root, 'slackline', 'interceptor'), cwd);
  const tls = readTls(s, s.mapping(root, 'slackline', 'tls'), cwd);
  const intake = readIntake(s, s.mapping(root, 'slackline', 'intake'));
  const legacyButtons = readLegacyButtons(s, s.mapping(root, 'slackline', 'legacyButtons'));
  const stallTimeoutMs =
    s.integer(s.pick(root, 'slackline', 'stallTimeoutMs', 'SLACKLINE_STALL_TIMEOUT_MS'), 1000, 3_600_000) ??
    20_000;

  const runCard = readRunCard(s, s.mapping(root, 'slackline', 'runCard'));

  if (problems.length > 0) {
    const source = configPath === undefined ? 'environment' : `${configPath} and environment`;
    throw new ConfigError(`gateway configuration (${source}): ${problems.join('; ')}`);
  }
  return {
    port,
    host,
    slack,
    store,
    forwarding,
    commands,
    maxBodyBytes,
    logLevel,
    shutdownTimeoutMs,
    intake,
    legacyButtons,
    stallTimeoutMs,
    runCard,
    ...(interceptor === undefined ? {} : { interceptor }),
    ...(tls === undefined ? {} : { tls }),
  };
}

function readRoot(configPath: string, problems: string[]): Raw {
  let doc: unknown;
  try {
    doc = readYamlFile(configPath, 'gateway config file');
  } catch (error) {
    // Still read the environment, so that its problems are listed too.
    problems.push((error as Error).message);
    return {};
  }
  if (!isPlainObject(doc) || !(doc['slackline'] === null || isPlainObject(doc['slackline']))) {
    problems.push(`gateway config file ${configPath} must have a top-level "slackline:" mapping`);
    return {};
  }
  return doc['slackline'] ?? {};
}

function readStore(s: SettingReader, root: Raw, cwd: string): DatasourceConfig {
  const redisUrl = s.env('REDIS_URL');
  const keyPrefix = s.env('SLACKLINE_KEY_PREFIX');
  if (redisUrl !== undefined) {
    // The environment replaces the whole store section: mixing its URL with YAML host/port would be ambiguous.
    if (!/^rediss?(-cluster)?:\/\//.test(redisUrl))
      s.problem('REDIS_URL must start with redis://, rediss://, redis-cluster:// or rediss-cluster://');
    return {
      type: 'redis',
      isPrimary: true,
      url: redisUrl,
      ...(keyPrefix === undefined ? {} : { keyPrefix }),
    };
  }
  const raw = s.mapping(root, 'slackline', 'store');
  const types = Object.keys(raw);
  let store: DatasourceConfig = {
    type: 'filestore',
    isPrimary: true,
    path: resolvePath('.slackline/store', cwd),
  };
  if (types.length > 0) {
    const [type] = types;
    if (types.length > 1 || (type !== 'redis' && type !== 'filestore')) {
      s.problem('slackline.store must name exactly one store: redis or filestore');
    } else if (raw[type] !== null && !isPlainObject(raw[type])) {
      s.problem(`slackline.store.${type} must be a mapping`);
    } else {
      // Same settings and checks as cicdstatemgr's datasources; the gateway's store is always the primary.
      const found: string[] = [];
      const settings = { ...(raw[type] as Raw | null), isPrimary: true };
      const [parsed] = parseDatasources({ [type]: settings }, cwd, found);
      for (const p of found) s.problem(p.replaceAll('cicdstatemgr.datasources.', 'slackline.store.'));
      if (parsed) store = parsed;
    }
  }
  if (keyPrefix !== undefined) {
    if (store.type === 'redis') store = { ...store, keyPrefix };
    else s.problem('SLACKLINE_KEY_PREFIX applies only to a Redis store (REDIS_URL or slackline.store.redis)');
  }
  return store;
}
