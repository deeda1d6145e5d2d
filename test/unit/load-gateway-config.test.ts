import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from '../../src/config/load-gateway-config';
import { ConfigError } from '../../src/core/errors';

const SECRET = 'sEcReT-signing-1';
const BOT = 'xoxb-bot-token-value';
const LISTENER = 'http://el-slackline.tekton:8080/';
const MINIMAL_ENV = {
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_BOT_TOKEN: BOT,
  SLACKLINE_EVENT_LISTENER_URL: LISTENER,
};

describe('loadGatewayConfig', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'slackline-gateway-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    writeFileSync(join(dir, 'gateway.yaml'), text);
    return join(dir, 'gateway.yaml');
  };
  const problemsOf = (load: () => unknown): string => {
    try {
      load();
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.message;
    }
    assert.fail('expected a ConfigError');
  };

  it('refuses to start with nowhere to forward decisions to', function () {
    const env = { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT };
    assert.match(
      problemsOf(() => loadGatewayConfig({ env, cwd: dir })),
      /no EventListener is configured to forward decisions to: set SLACKLINE_EVENT_LISTENER_URL, slackline\.forwarding\.defaultUrl or slackline\.forwarding\.routes/,
    );
  });

  it('needs only the signing secret, the bot token and an EventListener, and defaults the rest', function () {
    const config = loadGatewayConfig({ env: MINIMAL_ENV, cwd: dir });
    assert.deepEqual(config, {
      port: 3000,
      host: '0.0.0.0',
      slack: { signingSecrets: [SECRET], botToken: BOT, socketMode: false, endpoint: '/slack/events' },
      store: { type: 'filestore', isPrimary: true, path: join(dir, '.slackline/store') },
      forwarding: {
        defaultUrl: LISTENER,
        routes: {},
        timeoutMs: 10000,
        maxAttempts: 3,
        deliveryDeadlineMs: 600_000,
      },
      commands: {},
      maxBodyBytes: 262144,
      logLevel: 'info',
      shutdownTimeoutMs: 10000,
      intake: { appendTimeoutMs: 4000, claimAfterMs: 15_000, maxDeliveries: 5, dedupeTtlMs: 1_800_000 },
      legacyButtons: { enabled: false, allowedUsers: [], allowedGroups: [] },
      stallTimeoutMs: 20_000,
      runCard: { allowUnauthenticated: false, intervalMs: 1000 },
    });
  });

  it('reads the YAML file and lets the environment override it', function () {
    const configPath = write(
      [
        'slackline:',
        '  port: 8080',
        '  host: 127.0.0.1',
        '  logLevel: debug',
        '  maxBodyBytes: 1000',
        '  shutdownTimeoutMs: 500',
        '  slack:',
        '    signingSecrets: [from-yaml]',
        '    botToken: xoxb-from-yaml',
        '    endpoint: /slack/in',
        '  forwarding:',
        '    defaultUrl: http://el.tekton:8080/',
        '    routes: {deploy: "https://deploy-el.example/hook"}',
        '    signingSecret: yaml-forward',
        '    timeoutMs: 2000',
        '    maxAttempts: 5',
        '  commands:',
        '    /deploy: {args: [env, app, tag], route: deploy, description: Deploy a tag}',
        '    /rerun: {args: [pipeline], allowedUsers: [U0ANA, W0BOB]}',
        '  store:',
        '    filestore: {path: state}',
      ].join('\n'),
    );
    const config = loadGatewayConfig({
      configPath,
      env: {
        PORT: '9090',
        LOG_LEVEL: 'WARNING',
        SLACK_BOT_TOKEN: BOT,
        SLACK_API_URL: 'http://127.0.0.1:1234/api',
        SLACKLINE_FORWARD_SECRET: 'env-forward',
        SLACKLINE_EVENT_LISTENER_URL: 'https://el.example/',
        SLACK_SIGNING_SECRET: '',
      },
      cwd: dir,
    });
    assert.equal(config.port, 9090);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.maxBodyBytes, 1000);
    assert.equal(config.shutdownTimeoutMs, 500);
    // An empty variable counts as unset, so the YAML value stays.
    assert.deepEqual(config.slack.signingSecrets, ['from-yaml']);
    assert.equal(config.slack.botToken, BOT);
    assert.equal(config.slack.apiUrl, 'http://127.0.0.1:1234/api/');
    assert.equal(config.slack.endpoint, '/slack/in');
    assert.deepEqual(config.forwarding, {
      defaultUrl: 'https://el.example/',
      routes: { deploy: 'https://deploy-el.example/hook' },
      signingSecret: 'env-forward',
      timeoutMs: 2000,
      maxAttempts: 5,
      deliveryDeadlineMs: 600_000,
    });
    assert.deepEqual(config.commands, {
      '/deploy': { args: ['env', 'app', 'tag'], route: 'deploy', description: 'Deploy a tag' },
      '/rerun': { args: ['pipeline'], allowedUsers: ['U0ANA', 'W0BOB'] },
    });
    assert.deepEqual(config.store, { type: 'filestore', isPrimary: true, path: join(dir, 'state') });
  });

  it('splits comma-separated signing secrets, so two can be accepted during a rotation', function () {
    const config = loadGatewayConfig({
      env: { ...MINIMAL_ENV, SLACK_SIGNING_SECRET: ' new-secret , old-secret ' },
      cwd: dir,
    });
    assert.deepEqual(config.slack.signingSecrets, ['new-secret', 'old-secret']);
  });

  it('uses REDIS_URL (and SLACKLINE_KEY_PREFIX) instead of the file store or the YAML store', function () {
    const configPath = write('slackline:\n  store:\n    redis: {host: yaml-host, port: 6380}\n');
    const config = loadGatewayConfig({
      configPath,
      env: { ...MINIMAL_ENV, REDIS_URL: 'rediss://user:pw@redis:6379/2', SLACKLINE_KEY_PREFIX: 'sl:' },
      cwd: dir,
    });
    assert.deepEqual(config.store, {
      type: 'redis',
      isPrimary: true,
      url: 'rediss://user:pw@redis:6379/2',
      keyPrefix: 'sl:',
    });
  });

  it('reads a Redis store from YAML with the datasource settings of cicdstatemgr', function () {
    const configPath = write(
      'slackline:\n  store:\n    redis: {host: redis, port: "6380", password: 1234}\n',
    );
    const { store } = loadGatewayConfig({
      configPath,
      env: { ...MINIMAL_ENV, SLACKLINE_KEY_PREFIX: 'p:' },
      cwd: dir,
    });
    assert.equal(store.type, 'redis');
    assert.ok(store.type === 'redis');
    assert.equal(store.host, 'redis');
    assert.equal(store.port, 6380);
    assert.equal(store.password, '1234');
    assert.equal(store.keyPrefix, 'p:');
  });

  it('accepts Socket Mode without a signing secret, and requires the app token then', function () {
    const config = loadGatewayConfig({
      env: {
        SLACK_BOT_TOKEN: BOT,
        SLACK_SOCKET_MODE: 'true',
        SLACK_APP_TOKEN: 'xapp-1-A',
        SLACKLINE_EVENT_LISTENER_URL: LISTENER,
      },
      cwd: dir,
    });
    assert.equal(config.slack.socketMode, true);
    assert.equal(config.slack.appToken, 'xapp-1-A');
    assert.deepEqual(config.slack.signingSecrets, []);

    const message = problemsOf(() =>
      loadGatewayConfig({ env: { SLACK_BOT_TOKEN: BOT, SLACK_SOCKET_MODE: 'yes' }, cwd: dir }),
    );
    assert.match(message, /Socket Mode needs an app-level token/);
    assert.doesNotMatch(message, /signing secret is required/);
  });

  it('lists every problem at once, and never a secret', function () {
    const configPath = write(
      [
        'slackline:',
        '  host: ""',
        '  maxBodyBytes: lots',
        '  colour: blue',
        '  slack:',
        '    botToken: ""',
        '    endpoint: events',
        '  forwarding:',
        '    routes: {deploy: "ftp://el/", build: "not a url", "constructor": "http://el/"}',
        '    maxAttempts: 0',
        '  commands:',
        '    /deploy: {args: [env, env], route: deploy}',
        '    /ship: {route: nowhere, allowedUsers: [ana]}',
        '    /orphan: {}',
        '    Deploy: {args: ["__proto__"]}',
        '  store:',
        '    redis: {url: "http://not-redis", port: many}',
      ].join('\n'),
    );
    const message = problemsOf(() =>
      loadGatewayConfig({
        configPath,
        env: {
          PORT: '70000',
          LOG_LEVEL: 'loud',
          SLACK_SIGNING_SECRET: `${SECRET},,`,
          SLACK_APP_TOKEN: 'xoxb-wrong-kind-SECRETAPP',
          SLACK_API_URL: 'file:///etc/passwd',
          SLACK_SOCKET_MODE: 'maybe',
          SLACKLINE_EVENT_LISTENER_URL: 'nope',
        },
        cwd: dir,
      }),
    );
    const expected = [
      'PORT must be a whole number from 0 to 65535',
      'slackline.host must be non-empty text',
      'slackline.colour: unknown setting',
      'SLACK_SOCKET_MODE must be true or false',
      'SLACK_SIGNING_SECRET has an empty secret',
      'slackline.slack.botToken must be a non-empty secret',
      'SLACK_APP_TOKEN must be an app-level token (xapp-…)',
      'SLACK_API_URL must be an http:// or https:// URL',
      'slackline.slack.endpoint must be a path starting with /',
      'slackline.store.redis.url must start with redis://, rediss://, redis-cluster:// or rediss-cluster://',
      'slackline.store.redis.port must be a port number',
      'SLACKLINE_EVENT_LISTENER_URL must be an http:// or https:// URL',
      'slackline.forwarding.routes.deploy must be an http:// or https:// URL',
      'slackline.forwarding.routes.build must be an http:// or https:// URL',
      'slackline.forwarding.routes may not use the name constructor',
      'slackline.forwarding.maxAttempts must be a whole number from 1 to 20',
      'slackline.commands./deploy.args names an argument twice',
      'slackline.commands./deploy.route "deploy" is not in slackline.forwarding.routes',
      'slackline.commands./ship.route "nowhere" is not in slackline.forwarding.routes',
      'slackline.commands./ship.allowedUsers must be a list of Slack user ids (U…)',
      'slackline.commands./orphan has no route and there is no default EventListener URL',
      'slackline.commands.Deploy: a command is "/" and lower-case letters',
      'slackline.commands.Deploy.args may not use __proto__',
      'slackline.maxBodyBytes must be a whole number',
      'LOG_LEVEL must be one of debug, info, warn, error',
    ];
    for (const problem of expected)
      assert.ok(message.includes(problem), `missing "${problem}" in: ${message}`);
    for (const secret of [SECRET, 'SECRETAPP', '/etc/passwd']) assert.ok(!message.includes(secret), message);
  });

  it('requires the bot token and, outside Socket Mode, a signing secret', function () {
    const message = problemsOf(() => loadGatewayConfig({ env: {}, cwd: dir }));
    assert.match(message, /a Slack signing secret is required: set SLACK_SIGNING_SECRET/);
    assert.match(message, /a Slack bot token is required: set SLACK_BOT_TOKEN/);
  });

  it('names a missing file and still lists the environment’s problems', function () {
    const message = problemsOf(() =>
      loadGatewayConfig({ configPath: join(dir, 'absent.yaml'), env: { PORT: 'x' }, cwd: dir }),
    );
    assert.match(message, /gateway config file not found: .*absent\.yaml/);
    assert.match(message, /PORT must be a whole number/);
    assert.match(message, /SLACK_BOT_TOKEN/);
  });

  it('wants a top-level slackline: mapping and one kind of store', function () {
    assert.match(
      problemsOf(() =>
        loadGatewayConfig({ configPath: write('cicdstatemgr: {}\n'), env: MINIMAL_ENV, cwd: dir }),
      ),
      /must have a top-level "slackline:" mapping/,
    );
    const twoStores = write('slackline:\n  store:\n    redis: {host: a}\n    filestore: {path: b}\n');
    assert.match(
      problemsOf(() => loadGatewayConfig({ configPath: twoStores, env: MINIMAL_ENV, cwd: dir })),
      /slackline.store must name exactly one store: redis or filestore/,
    );
    assert.match(
      problemsOf(() => loadGatewayConfig({ env: { ...MINIMAL_ENV, SLACKLINE_KEY_PREFIX: 'x:' }, cwd: dir })),
      /SLACKLINE_KEY_PREFIX applies only to a Redis store/,
    );
  });

  it('reads named interceptor secrets from YAML and from a directory laid out like mounted Kubernetes Secrets', function () {
    // A Secret volume: each key a symlink through ..data into a timestamped directory.
    const secrets = join(dir, 'secrets');
    for (const [secretName, keys] of Object.entries({
      'slackline-forwarding': { signingSecret: 'fwd-new\nfwd-old\n' },
      'slack-app-b': { signingSecret: 'b-secret\n', botToken: 'xoxb-b' },
    })) {
      const data = join(secrets, secretName, '..2024_05_01_12_00_00.1');
      mkdirSync(data, { recursive: true });
      symlinkSync('..2024_05_01_12_00_00.1', join(secrets, secretName, '..data'));
      for (const [key, value] of Object.entries(keys)) {
        writeFileSync(join(data, key), value);
        symlinkSync(join('..data', key), join(secrets, secretName, key));
      }
    }
    writeFileSync(join(secrets, 'loose'), 'loose-secret');
    const configPath = write(
      'slackline:\n  interceptor:\n    secrets: {one: " s1 ", rotated: [r-new, r-old]}\n',
    );
    const config = loadGatewayConfig({
      configPath,
      env: { ...MINIMAL_ENV, SLACKLINE_INTERCEPTOR_SECRETS_DIR: 'secrets' },
      cwd: dir,
    });
    assert.deepEqual(config.interceptor, {
      secrets: {
        one: ['s1'],
        rotated: ['r-new', 'r-old'],
        loose: ['loose-secret'],
        'slack-app-b/botToken': ['xoxb-b'],
        'slack-app-b/signingSecret': ['b-secret'],
        'slackline-forwarding/signingSecret': ['fwd-new', 'fwd-old'],
      },
    });
  });

  it('refuses interceptor secrets that are empty, named twice or unreadable, without quoting them', function () {
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'one'), 'from-the-dir-SECRETVALUE');
    writeFileSync(join(dir, 'secrets', 'blank'), '\n');
    const configPath = write(
      [
        'slackline:',
        '  interceptor:',
        '    secretsDir: secrets',
        '    colour: blue',
        '    secrets: {one: SECRETVALUE, empty: "", listed: [a, 3], "__proto__": x}',
      ].join('\n'),
    );
    const message = problemsOf(() => loadGatewayConfig({ configPath, env: MINIMAL_ENV, cwd: dir }));
    assert.match(message, /slackline.interceptor.colour: unknown setting/);
    assert.match(message, /slackline.interceptor.secrets.empty must be a non-empty secret/);
    assert.match(message, /slackline.interceptor.secrets.listed must be a non-empty secret/);
    assert.match(message, /"__proto__" cannot be a secret name/);
    assert.match(message, /slackline.interceptor.secretsDir file one: the secret name "one" is given twice/);
    assert.match(message, /slackline.interceptor.secretsDir file blank must be a non-empty secret/);
    assert.doesNotMatch(message, /SECRETVALUE/);
    assert.match(
      problemsOf(() =>
        loadGatewayConfig({ env: { ...MINIMAL_ENV, SLACKLINE_INTERCEPTOR_SECRETS_DIR: 'absent' }, cwd: dir }),
      ),
      /SLACKLINE_INTERCEPTOR_SECRETS_DIR cannot be read: ENOENT/,
    );
  });

  it('serves HTTPS with a certificate and key file, both readable, from YAML or TLS_CERT_FILE/TLS_KEY_FILE', function () {
    writeFileSync(join(dir, 'tls.crt'), 'cert');
    writeFileSync(join(dir, 'tls.key'), 'key');
    const fromEnv = loadGatewayConfig({
      env: { ...MINIMAL_ENV, TLS_CERT_FILE: 'tls.crt', TLS_KEY_FILE: join(dir, 'tls.key') },
      cwd: dir,
    });
    assert.deepEqual(fromEnv.tls, { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') });
    const configPath = write('slackline:\n  tls: {certFile: tls.crt, keyFile: tls.key}\n');
    assert.deepEqual(loadGatewayConfig({ configPath, env: MINIMAL_ENV, cwd: dir }).tls, fromEnv.tls);

    assert.match(
      problemsOf(() => loadGatewayConfig({ env: { ...MINIMAL_ENV, TLS_CERT_FILE: 'tls.crt' }, cwd: dir })),
      /HTTPS needs both a certificate and a key/,
    );
    const missing = problemsOf(() =>
      loadGatewayConfig({
        env: { ...MINIMAL_ENV, TLS_CERT_FILE: 'nope.crt', TLS_KEY_FILE: 'tls.key' },
        cwd: dir,
      }),
    );
    assert.match(missing, /TLS_CERT_FILE cannot be read: ENOENT/);
  });
  it('reads the run card token and fallback channel from the environment over YAML, and refuses a bad interval', function () {
    const configPath = write(
      'slackline:\n  runCard: {token: from-yaml, channel: C0YAML, intervalMs: 2000}\n',
    );
    const env = {
      ...MINIMAL_ENV,
      SLACKLINE_CLOUDEVENTS_TOKEN: 'from-env',
      SLACKLINE_RUN_CARD_CHANNEL: 'C0ENV',
    };
    assert.deepEqual(loadGatewayConfig({ configPath, env, cwd: dir }).runCard, {
      token: 'from-env',
      allowUnauthenticated: false,
      channel: 'C0ENV',
      intervalMs: 2000,
    });
    const bad = problemsOf(() =>
      loadGatewayConfig({
        configPath: write('slackline:\n  runCard: {intervalMs: 5, tokn: x}\n'),
        env: MINIMAL_ENV,
        cwd: dir,
      }),
    );
    assert.match(bad, /slackline\.runCard\.intervalMs must be a whole number from 100 to 60000/);
    assert.match(bad, /slackline\.runCard\.tokn: unknown setting/);
  });
});
