import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainObject } from '../core/document';
import { ConfigError } from '../core/errors';
import type { DatasourceConfig } from './datasource-config';
import type {
  ForwardingConfig,
  GatewayConfig,
  InterceptorConfig,
  IntakeConfig,
  LegacyButtonsConfig,
  LogLevel,
  RunCardConfig,
  SlackConfig,
  SlashCommandConfig,
  TlsConfig,
} from './gateway-config';
import { parseDatasources } from './parse-datasources';
import { readYamlFile } from './read-yaml-file';
import { resolvePath } from './resolve-path';

export interface GatewayConfigSources {
  /** Optional: everything can come from the environment. */
  configPath?: string;
  env: Record<string, string | undefined>;
  cwd: string;
}

type Raw = Record<string, unknown>;
/** A setting's value and where it came from (an env name or a YAML path), which is what errors name. */
interface Setting {
  value: unknown;
  label: string;
}

const LOG_LEVELS: Record<string, LogLevel> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
};
// Arg and route names become object keys (the forwarded JSON, route lookups): these would reach the prototype.
const FORBIDDEN_NAMES = ['__proto__', 'constructor', 'prototype'];

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

function readSlack(s: SettingReader, raw: Raw): SlackConfig {
  const where = 'slackline.slack';
  s.checkKeys(raw, where, ['signingSecrets', 'botToken', 'appToken', 'socketMode', 'apiUrl', 'endpoint']);
  const socketMode = s.boolean(s.pick(raw, where, 'socketMode', 'SLACK_SOCKET_MODE')) ?? false;

  const secretsSetting = s.pick(raw, where, 'signingSecrets', 'SLACK_SIGNING_SECRET');
  const signingSecrets = s.secretList(secretsSetting);
  if (secretsSetting.value === undefined && !socketMode) {
    s.problem(
      'a Slack signing secret is required: set SLACK_SIGNING_SECRET or slackline.slack.signingSecrets',
    );
  }
  const botTokenSetting = s.pick(raw, where, 'botToken', 'SLACK_BOT_TOKEN');
  const botToken = s.secret(botTokenSetting);
  if (botTokenSetting.value === undefined) {
    s.problem('a Slack bot token is required: set SLACK_BOT_TOKEN or slackline.slack.botToken');
  }
  const appTokenSetting = s.pick(raw, where, 'appToken', 'SLACK_APP_TOKEN');
  const appToken = s.secret(appTokenSetting);
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    // A bot token here is the usual mistake; Socket Mode then fails with a less helpful "not_allowed".
    s.problem(`${appTokenSetting.label} must be an app-level token (xapp-…)`);
  }
  if (socketMode && appTokenSetting.value === undefined) {
    s.problem('Socket Mode needs an app-level token: set SLACK_APP_TOKEN or slackline.slack.appToken');
  }
  let apiUrl = s.httpUrl(s.pick(raw, where, 'apiUrl', 'SLACK_API_URL'));
  // The WebClient appends method names to this URL as they are, so it must end with a slash.
  if (apiUrl !== undefined && !apiUrl.endsWith('/')) apiUrl += '/';
  const endpointSetting = s.pick(raw, where, 'endpoint');
  const endpoint = s.text(endpointSetting) ?? '/slack/events';
  if (!endpoint.startsWith('/')) s.problem(`${endpointSetting.label} must be a path starting with /`);

  return {
    signingSecrets: signingSecrets ?? [],
    botToken: botToken ?? '',
    ...(appToken === undefined ? {} : { appToken }),
    socketMode,
    ...(apiUrl === undefined ? {} : { apiUrl }),
    endpoint,
  };
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

function readForwarding(s: SettingReader, raw: Raw): ForwardingConfig {
  const where = 'slackline.forwarding';
  s.checkKeys(raw, where, [
    'defaultUrl',
    'routes',
    'signingSecret',
    'timeoutMs',
    'maxAttempts',
    'deliveryDeadlineMs',
  ]);
  const defaultUrl = s.httpUrl(s.pick(raw, where, 'defaultUrl', 'SLACKLINE_EVENT_LISTENER_URL'));
  const routes: Record<string, string> = {};
  for (const [name, url] of Object.entries(s.mapping(raw, where, 'routes'))) {
    const routeUrl = s.httpUrl({ value: url ?? '', label: `${where}.routes.${name}` });
    if (FORBIDDEN_NAMES.includes(name)) s.problem(`${where}.routes may not use the name ${name}`);
    else if (routeUrl !== undefined) routes[name] = routeUrl;
  }
  const signingSecret = s.secret(s.pick(raw, where, 'signingSecret', 'SLACKLINE_FORWARD_SECRET'));
  if (defaultUrl === undefined && Object.keys(routes).length === 0 && raw['defaultUrl'] === undefined) {
    // Every decision would be used up and then fail to deliver: refuse to start instead.
    s.problem(
      'no EventListener is configured to forward decisions to: set SLACKLINE_EVENT_LISTENER_URL, ' +
        `${where}.defaultUrl or ${where}.routes`,
    );
  }
  return {
    ...(defaultUrl === undefined ? {} : { defaultUrl }),
    routes,
    ...(signingSecret === undefined ? {} : { signingSecret }),
    timeoutMs: s.integer(s.pick(raw, where, 'timeoutMs'), 1, 600_000) ?? 10000,
    maxAttempts: s.integer(s.pick(raw, where, 'maxAttempts'), 1, 20) ?? 3,
    deliveryDeadlineMs:
      s.integer(
        s.pick(raw, where, 'deliveryDeadlineMs', 'SLACKLINE_DELIVERY_DEADLINE_MS'),
        1000,
        7 * 24 * 3_600_000,
      ) ?? 600_000,
  };
}

function readCommands(
  s: SettingReader,
  raw: Raw,
  forwarding: ForwardingConfig,
): Record<string, SlashCommandConfig> {
  const commands: Record<string, SlashCommandConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    const where = `slackline.commands.${name}`;
    // Slack sends the command as registered: a slash, lower case, no spaces.
    if (!/^\/[^\sA-Z]+$/.test(name))
      s.problem(`${where}: a command is "/" and lower-case letters, like /deploy`);
    if (value !== null && !isPlainObject(value)) {
      s.problem(`${where} must be a mapping (args, route, description, allowedUsers)`);
      continue;
    }
    const settings = value ?? {};
    s.checkKeys(settings, where, ['args', 'route', 'description', 'allowedUsers', 'status']);
    const status = s.boolean(s.pick(settings, where, 'status')) ?? false;
    const args = settings['args'] ?? [];
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string' && /^[A-Za-z_][\w-]*$/.test(a))) {
      s.problem(`${where}.args must be a list of names (letters, digits, _ and -)`);
    } else if (new Set(args).size !== args.length) {
      s.problem(`${where}.args names an argument twice`);
    } else if (args.some((a) => FORBIDDEN_NAMES.includes(a))) {
      s.problem(`${where}.args may not use ${FORBIDDEN_NAMES.join(', ')}`);
    }
    const route = s.text(s.pick(settings, where, 'route'));
    if (route !== undefined && !Object.hasOwn(forwarding.routes, route)) {
      s.problem(`${where}.route "${route}" is not in slackline.forwarding.routes`);
    } else if (route === undefined && forwarding.defaultUrl === undefined && !status) {
      s.problem(
        `${where} has no route and there is no default EventListener URL ` +
          '(SLACKLINE_EVENT_LISTENER_URL or slackline.forwarding.defaultUrl)',
      );
    }
    const description = s.text(s.pick(settings, where, 'description'));
    const allowedUsers = settings['allowedUsers'] ?? [];
    if (
      !Array.isArray(allowedUsers) ||
      !allowedUsers.every((u) => typeof u === 'string' && /^[UW][A-Z0-9]+$/.test(u))
    ) {
      s.problem(`${where}.allowedUsers must be a list of Slack user ids (U…)`);
    }
    commands[name] = {
      args: Array.isArray(args) ? (args as string[]) : [],
      ...(route === undefined ? {} : { route }),
      ...(description === undefined ? {} : { description }),
      ...(Array.isArray(allowedUsers) && allowedUsers.length > 0
        ? { allowedUsers: allowedUsers as string[] }
        : {}),
      ...(status ? { status } : {}),
    };
  }
  return commands;
}

function readIntake(s: SettingReader, raw: Raw): IntakeConfig {
  const where = 'slackline.intake';
  s.checkKeys(raw, where, ['appendTimeoutMs', 'claimAfterMs', 'maxDeliveries', 'dedupeTtlMs']);
  return {
    appendTimeoutMs: s.integer(s.pick(raw, where, 'appendTimeoutMs'), 500, 60_000) ?? 4_000,
    claimAfterMs:
      s.integer(s.pick(raw, where, 'claimAfterMs', 'SLACKLINE_INTAKE_CLAIM_AFTER_MS'), 500, 3_600_000) ??
      15_000,
    maxDeliveries: s.integer(s.pick(raw, where, 'maxDeliveries'), 1, 1000) ?? 5,
    dedupeTtlMs: s.integer(s.pick(raw, where, 'dedupeTtlMs'), 1000, 7 * 24 * 3_600_000) ?? 30 * 60_000,
  };
}

function readLegacyButtons(s: SettingReader, raw: Raw): LegacyButtonsConfig {
  const where = 'slackline.legacyButtons';
  s.checkKeys(raw, where, ['enabled', 'allowedUsers', 'allowedGroups']);
  const ids = (key: string, pattern: RegExp, what: string): string[] => {
    const value = raw[key] ?? [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' && pattern.test(v))) return value;
    s.problem(`${where}.${key} must be a list of ${what}`);
    return [];
  };
  return {
    enabled: s.boolean(s.pick(raw, where, 'enabled', 'SLACKLINE_LEGACY_BUTTONS')) ?? false,
    allowedUsers: ids('allowedUsers', /^[UW][A-Z0-9]+$/, 'Slack user ids (U…)'),
    allowedGroups: ids('allowedGroups', /^S[A-Z0-9]+$/, 'Slack user group ids (S…)'),
  };
}

function readRunCard(s: SettingReader, raw: Raw): RunCardConfig {
  const where = 'slackline.runCard';
  s.checkKeys(raw, where, ['token', 'allowUnauthenticated', 'channel', 'intervalMs']);
  const token = s.secret(s.pick(raw, where, 'token', 'SLACKLINE_CLOUDEVENTS_TOKEN'));
  const channel = s.text(s.pick(raw, where, 'channel', 'SLACKLINE_RUN_CARD_CHANNEL'));
  return {
    ...(token === undefined ? {} : { token }),
    allowUnauthenticated: s.boolean(s.pick(raw, where, 'allowUnauthenticated')) ?? false,
    ...(channel === undefined ? {} : { channel }),
    // Slack allows about one chat.update per second per message before it answers 429.
    intervalMs: s.integer(s.pick(raw, where, 'intervalMs'), 100, 60_000) ?? 1000,
  };
}

/**
 * Named secrets for the interceptor endpoints: `secrets` in YAML, and `secretsDir`, a directory laid out like
 * Kubernetes Secret volumes mounted under it (`<dir>/<secretName>/<secretKey>` is named `<secretName>/<secretKey>`,
 * a file directly in it by its file name), so a trigger's `secretRef` finds the Secret it names.
 */
function readInterceptor(s: SettingReader, raw: Raw, cwd: string): InterceptorConfig | undefined {
  const where = 'slackline.interceptor';
  s.checkKeys(raw, where, ['secrets', 'secretsDir']);
  const secrets: Record<string, string[]> = {};
  const add = (name: string, values: string[], label: string) => {
    if (name.split('/').some((part) => part === '' || FORBIDDEN_NAMES.includes(part))) {
      s.problem(`${label}: "${name}" cannot be a secret name`);
    } else if (Object.hasOwn(secrets, name)) {
      s.problem(`${label}: the secret name "${name}" is given twice`);
    } else if (values.length === 0 || values.some((value) => value === '')) {
      s.problem(`${label} must be a non-empty secret or a list of them`);
    } else {
      secrets[name] = values;
    }
  };
  for (const [name, value] of Object.entries(s.mapping(raw, where, 'secrets'))) {
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    add(
      name,
      values.map((v) => (typeof v === 'string' ? v.trim() : '')),
      `${where}.secrets.${name}`,
    );
  }
  const dirSetting = s.pick(raw, where, 'secretsDir', 'SLACKLINE_INTERCEPTOR_SECRETS_DIR');
  const dir = s.text(dirSetting);
  if (dir !== undefined) {
    const root = resolvePath(dir, cwd);
    try {
      for (const [name, file] of secretFiles(root)) {
        // One secret per line, so a file can hold the old and the new secret during a rotation.
        const values = readFileSync(file, 'utf8')
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== '');
        add(name, values, `${dirSetting.label} file ${name}`);
      }
    } catch (error) {
      s.problem(`${dirSetting.label} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  return Object.keys(secrets).length > 0 || Object.keys(raw).length > 0 ? { secrets } : undefined;
}

/** [name, path] of the files in `root` and in its subdirectories, leaving out Kubernetes' `..data` links. */
function secretFiles(root: string): [string, string][] {
  const files: [string, string][] = [];
  const visible = (dir: string) => readdirSync(dir).filter((name) => !name.startsWith('.'));
  for (const name of visible(root)) {
    const path = join(root, name);
    if (!statSync(path).isDirectory()) files.push([name, path]);
    else for (const key of visible(path)) files.push([`${name}/${key}`, join(path, key)]);
  }
  return files;
}

/** Both files or neither; they must be readable now, rather than fail once the gateway is serving. */
function readTls(s: SettingReader, raw: Raw, cwd: string): TlsConfig | undefined {
  const where = 'slackline.tls';
  s.checkKeys(raw, where, ['certFile', 'keyFile']);
  const certSetting = s.pick(raw, where, 'certFile', 'TLS_CERT_FILE');
  const keySetting = s.pick(raw, where, 'keyFile', 'TLS_KEY_FILE');
  const [certFile, keyFile] = [certSetting, keySetting].map((setting) => {
    const path = s.text(setting);
    if (path === undefined) return undefined;
    const resolved = resolvePath(path, cwd);
    try {
      accessSync(resolved, constants.R_OK);
    } catch (error) {
      s.problem(`${setting.label} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return resolved;
  });
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    s.problem('HTTPS needs both a certificate and a key: set TLS_CERT_FILE and TLS_KEY_FILE (slackline.tls)');
    return undefined;
  }
  return { certFile, keyFile };
}

/** Reads settings (environment first, then YAML) and collects what is wrong with them. */
class SettingReader {
  constructor(
    private readonly vars: Record<string, string | undefined>,
    private readonly problems: string[],
  ) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Set and not blank: an empty variable (an optional Kubernetes secret, say) counts as unset. */
  env(name: string): string | undefined {
    const value = this.vars[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  pick(raw: Raw, where: string, key: string, envName?: string): Setting {
    const fromEnv = envName === undefined ? undefined : this.env(envName);
    if (fromEnv !== undefined) return { value: fromEnv, label: envName as string };
    const value = raw[key];
    return { value: value === null ? undefined : value, label: `${where}.${key}` };
  }

  mapping(raw: Raw, where: string, key: string): Raw {
    const value = raw[key];
    if (value === undefined || value === null) return {};
    if (isPlainObject(value)) return value;
    this.problem(`${where}.${key} must be a mapping`);
    return {};
  }

  checkKeys(raw: Raw, where: string, known: string[]): void {
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) this.problem(`${where}.${key}: unknown setting (known: ${known.join(', ')})`);
    }
  }

  text({ value, label }: Setting): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.problem(`${label} must be non-empty text`);
    return undefined;
  }

  /** Like text, but the message says nothing about the value. */
  secret({ value, label }: Setting): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.problem(`${label} must be a non-empty secret`);
    return undefined;
  }

  /** A list, or text with commas between the secrets (the only way to pass several in one variable). */
  secretList({ value, label }: Setting): string[] | undefined {
    if (value === undefined) return undefined;
    const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
    if (items === undefined || items.length === 0) {
      this.problem(`${label} must be a secret or a list of secrets`);
      return undefined;
    }
    const secrets = items.map((item) => (typeof item === 'string' ? item.trim() : ''));
    if (secrets.includes('')) this.problem(`${label} has an empty secret (or one that is not text)`);
    return secrets.filter((secret) => secret !== '');
  }

  integer({ value, label }: Setting, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max)
      return number;
    this.problem(`${label} must be a whole number from ${min} to ${max}`);
    return undefined;
  }

  boolean({ value, label }: Setting): boolean | undefined {
    if (value === undefined || typeof value === 'boolean') return value;
    const text = typeof value === 'string' ? value.toLowerCase() : '';
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    this.problem(`${label} must be true or false`);
    return undefined;
  }

  httpUrl({ value, label }: Setting): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && URL.canParse(value)) {
      const { protocol } = new URL(value);
      if (protocol === 'http:' || protocol === 'https:') return value;
    }
    this.problem(`${label} must be an http:// or https:// URL`);
    return undefined;
  }

  logLevel({ value, label }: Setting): LogLevel | undefined {
    if (value === undefined) return undefined;
    const name = typeof value === 'string' ? value.toLowerCase() : '';
    const level = Object.hasOwn(LOG_LEVELS, name) ? LOG_LEVELS[name] : undefined;
    if (level !== undefined) return level;
    this.problem(`${label} must be one of debug, info, warn, error`);
    return undefined;
  }
}
