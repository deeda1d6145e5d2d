import type { SettingRow } from './setting-row';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** debug, info, warn, error; `warning` too, as Python's logging names it. */
export const LOG_LEVELS = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
} as const;

/**
 * Every setting of the gateway, in the order the unknown-key messages list them. The reads, the unknown-key
 * checks and docs/configuration.md's table (test/unit/configuration-docs.test.ts) all come from here.
 */
export const GATEWAY_SETTINGS = {
  port: { path: 'slackline.port', env: 'PORT', kind: 'integer', default: 3000, min: 0, max: 65535 },
  host: { path: 'slackline.host', env: 'HOST', kind: 'text', default: '0.0.0.0' },
  signingSecrets: { path: 'slackline.slack.signingSecrets', env: 'SLACK_SIGNING_SECRET', kind: 'secrets' },
  botToken: { path: 'slackline.slack.botToken', env: 'SLACK_BOT_TOKEN', kind: 'secret' },
  appToken: { path: 'slackline.slack.appToken', env: 'SLACK_APP_TOKEN', kind: 'secret' },
  socketMode: {
    path: 'slackline.slack.socketMode',
    env: 'SLACK_SOCKET_MODE',
    kind: 'boolean',
    default: false,
  },
  apiUrl: { path: 'slackline.slack.apiUrl', env: 'SLACK_API_URL', kind: 'httpUrl' },
  endpoint: { path: 'slackline.slack.endpoint', kind: 'text', default: '/slack/events' },
  // The environment's REDIS_URL (and SLACKLINE_KEY_PREFIX) replaces the whole store section; the YAML's
  // store.redis has cicdstatemgr's datasource settings (datasource-settings.ts).
  redisUrl: { path: 'slackline.store.redis.url', env: 'REDIS_URL', kind: 'redisUrl' },
  keyPrefix: {
    path: 'slackline.store.redis.keyPrefix',
    env: 'SLACKLINE_KEY_PREFIX',
    kind: 'anyText',
    what: 'text',
  },
  storePath: { path: 'slackline.store.filestore.path', kind: 'requiredPath', default: '.slackline/store' },
  defaultUrl: {
    path: 'slackline.forwarding.defaultUrl',
    env: 'SLACKLINE_EVENT_LISTENER_URL',
    kind: 'httpUrl',
  },
  routes: { path: 'slackline.forwarding.routes.*', kind: 'httpUrl' },
  forwardSecret: {
    path: 'slackline.forwarding.signingSecret',
    env: 'SLACKLINE_FORWARD_SECRET',
    kind: 'secret',
  },
  forwardTimeoutMs: {
    path: 'slackline.forwarding.timeoutMs',
    kind: 'duration',
    default: 10000,
    min: 1,
    max: 600_000,
  },
  maxAttempts: { path: 'slackline.forwarding.maxAttempts', kind: 'integer', default: 3, min: 1, max: 20 },
  deliveryDeadlineMs: {
    path: 'slackline.forwarding.deliveryDeadlineMs',
    env: 'SLACKLINE_DELIVERY_DEADLINE_MS',
    kind: 'duration',
    default: 600_000,
    min: 1000,
    max: WEEK_MS,
  },
  commandArgs: { path: 'slackline.commands.*.args', kind: 'list' },
  commandRoute: { path: 'slackline.commands.*.route', kind: 'text' },
  commandDescription: { path: 'slackline.commands.*.description', kind: 'text' },
  commandUsers: { path: 'slackline.commands.*.allowedUsers', kind: 'list' },
  commandStatus: { path: 'slackline.commands.*.status', kind: 'boolean', default: false },
  maxBodyBytes: {
    path: 'slackline.maxBodyBytes',
    kind: 'integer',
    default: 262144,
    min: 1,
    max: 100 * 1024 * 1024,
  },
  logLevel: {
    path: 'slackline.logLevel',
    env: 'LOG_LEVEL',
    kind: 'enum',
    default: 'info',
    values: LOG_LEVELS,
  },
  shutdownTimeoutMs: {
    path: 'slackline.shutdownTimeoutMs',
    kind: 'duration',
    default: 10000,
    min: 0,
    max: HOUR_MS,
  },
  interceptorSecrets: { path: 'slackline.interceptor.secrets', kind: 'mapping' },
  secretsDir: {
    path: 'slackline.interceptor.secretsDir',
    env: 'SLACKLINE_INTERCEPTOR_SECRETS_DIR',
    kind: 'path',
  },
  certFile: { path: 'slackline.tls.certFile', env: 'TLS_CERT_FILE', kind: 'path' },
  keyFile: { path: 'slackline.tls.keyFile', env: 'TLS_KEY_FILE', kind: 'path' },
  appendTimeoutMs: {
    path: 'slackline.intake.appendTimeoutMs',
    kind: 'duration',
    default: 4000,
    min: 500,
    max: 60_000,
  },
  claimAfterMs: {
    path: 'slackline.intake.claimAfterMs',
    env: 'SLACKLINE_INTAKE_CLAIM_AFTER_MS',
    kind: 'duration',
    default: 15_000,
    min: 500,
    max: HOUR_MS,
  },
  maxDeliveries: { path: 'slackline.intake.maxDeliveries', kind: 'integer', default: 5, min: 1, max: 1000 },
  dedupeTtlMs: {
    path: 'slackline.intake.dedupeTtlMs',
    kind: 'duration',
    default: 1_800_000,
    min: 1000,
    max: WEEK_MS,
  },
  legacyEnabled: {
    path: 'slackline.legacyButtons.enabled',
    env: 'SLACKLINE_LEGACY_BUTTONS',
    kind: 'boolean',
    default: false,
  },
  legacyUsers: { path: 'slackline.legacyButtons.allowedUsers', kind: 'list' },
  legacyGroups: { path: 'slackline.legacyButtons.allowedGroups', kind: 'list' },
  stallTimeoutMs: {
    path: 'slackline.stallTimeoutMs',
    env: 'SLACKLINE_STALL_TIMEOUT_MS',
    kind: 'duration',
    default: 20_000,
    min: 1000,
    max: HOUR_MS,
  },
  runCardToken: { path: 'slackline.runCard.token', env: 'SLACKLINE_CLOUDEVENTS_TOKEN', kind: 'secret' },
  allowUnauthenticated: { path: 'slackline.runCard.allowUnauthenticated', kind: 'boolean', default: false },
  runCardChannel: { path: 'slackline.runCard.channel', env: 'SLACKLINE_RUN_CARD_CHANNEL', kind: 'text' },
  // Slack allows about one chat.update per second per message before it answers 429.
  runCardIntervalMs: {
    path: 'slackline.runCard.intervalMs',
    kind: 'duration',
    default: 1000,
    min: 100,
    max: 60_000,
  },
} as const satisfies Record<string, SettingRow>;

export const GATEWAY_ROWS: readonly SettingRow[] = Object.values(GATEWAY_SETTINGS);
