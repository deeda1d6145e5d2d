import { isPlainObject } from '../core/document';
import { ConfigError } from '../core/errors';
import type { GatewayConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS } from './gateway-settings';
import { readCommands } from './read-commands-config';
import { readForwarding } from './read-forwarding-config';
import { readIntake } from './read-intake-config';
import { readInterceptor } from './read-interceptor-config';
import { readLegacyButtons } from './read-legacy-buttons-config';
import { readRunCard } from './read-run-card-config';
import { readSlack } from './read-slack-config';
import { readStore } from './read-store-config';
import { readTls } from './read-tls-config';
import { readYamlFile } from './read-yaml-file';
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
  const s = new SettingReader(env, problems, cwd);

  const G = GATEWAY_SETTINGS;
  s.checkKeys(root, 'slackline', GATEWAY_ROWS);
  const port = s.read(G.port, root);
  const host = s.read(G.host, root);
  const slack = readSlack(s, s.mapping(root, 'slackline', 'slack'));
  const store = readStore(s, root);
  const forwarding = readForwarding(s, s.mapping(root, 'slackline', 'forwarding'));
  const commands = readCommands(s, s.mapping(root, 'slackline', 'commands'), forwarding);
  const maxBodyBytes = s.read(G.maxBodyBytes, root);
  const logLevel = s.read(G.logLevel, root);
  const shutdownTimeoutMs = s.read(G.shutdownTimeoutMs, root);
  const interceptor = readInterceptor(s, s.mapping(root, 'slackline', 'interceptor'));
  const tls = readTls(s, s.mapping(root, 'slackline', 'tls'));
  const intake = readIntake(s, s.mapping(root, 'slackline', 'intake'));
  const legacyButtons = readLegacyButtons(s, s.mapping(root, 'slackline', 'legacyButtons'));
  const stallTimeoutMs = s.read(G.stallTimeoutMs, root);
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
