import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ForwardingConfig, GatewayConfig, SlackConfig } from '../../src/config/gateway-config';
import { createGateway, type Gateway } from '../../src/gateway/create-gateway';
import { createJsonLogger } from '../../src/gateway/json-logger';
import { createMetrics } from '../../src/gateway/metrics';
import { createHttpClient, type HttpClient } from '../../src/http/http-client';
import { FileStore } from '../../src/store/file/file-store';
import { RedisStore } from '../../src/store/redis/redis-store';
import type { GatewayStore } from '../../src/store/store';

// Port 9 (discard): nothing listens there, so a test that did not name its own Slack or EventListener gets a
// refused connection instead of reaching slack.com or anything else real.
const NOWHERE = 'http://127.0.0.1:9';
let storeSerial = 0;

export type TestGatewayOverrides = Partial<Omit<GatewayConfig, 'slack' | 'forwarding'>> & {
  slack?: Partial<SlackConfig>;
  forwarding?: Partial<ForwardingConfig>;
};

/** A complete GatewayConfig; `slack` and `forwarding` overrides are merged into the defaults, the rest replace them. */
export function testGatewayConfig(overrides: TestGatewayOverrides = {}): GatewayConfig {
  const { slack, forwarding, ...rest } = overrides;
  return {
    port: 0,
    host: '127.0.0.1',
    // For the tests that never reach the store (the others name their own): somewhere harmless if one did.
    store: {
      type: 'filestore',
      isPrimary: true,
      path: join(tmpdir(), `slackline-test-gateway-store-${process.pid}-${(storeSerial += 1)}`),
    },
    commands: {},
    maxBodyBytes: 64 * 1024,
    logLevel: 'warn',
    shutdownTimeoutMs: 1000,
    // Short, so that tests of a takeover do not wait the production 15 s.
    intake: { appendTimeoutMs: 4000, claimAfterMs: 2000, maxDeliveries: 5, dedupeTtlMs: 30 * 60_000 },
    legacyButtons: { enabled: false, allowedUsers: [], allowedGroups: [] },
    stallTimeoutMs: 20_000,
    ...rest,
    slack: {
      signingSecrets: ['test-signing-secret'],
      botToken: 'xoxb-test',
      socketMode: false,
      apiUrl: `${NOWHERE}/api/`,
      endpoint: '/slack/events',
      ...slack,
    },
    forwarding: {
      defaultUrl: `${NOWHERE}/default`,
      routes: {},
      signingSecret: 'test-forward-secret',
      timeoutMs: 2000,
      maxAttempts: 3,
      deliveryDeadlineMs: 600_000,
      ...forwarding,
    },
  };
}

export interface TestGatewayOptions {
  /** Instead of a store opened from config.store (which then closes with the gateway). */
  store?: GatewayStore;
  /** Instead of a client with the forwarding timeout and attempts (which then closes with the gateway). */
  http?: HttpClient;
  /** Of the client made here; short, so that tests of retries do not wait the production backoff. */
  retryBaseDelayMs?: number;
  /** Every JSON log line, at config.logLevel, for tests that assert on the log. */
  logLines?: string[];
  now?: () => number;
}

export interface TestGateway extends Gateway {
  config: GatewayConfig;
  store: GatewayStore;
  /** Closes the store and HTTP client made here, not those passed in. */
  close(): Promise<void>;
}

/**
 * The gateway as `slackline serve` wires it (createGateway with a store, HTTP client, JSON logger and metrics),
 * not listening. Its log is dropped unless captured in logLines, or shown on stderr at debug level when
 * GATEWAY_TEST_LOGS is set, to explain a failing test.
 */
export function buildTestGateway(config: GatewayConfig, options: TestGatewayOptions = {}): TestGateway {
  const closers: Array<() => Promise<void>> = [];
  const store = options.store ?? openStore(config);
  if (!options.store) closers.push(() => store.close());
  const http =
    options.http ??
    createHttpClient({
      timeoutMs: config.forwarding.timeoutMs,
      maxAttempts: config.forwarding.maxAttempts,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 20,
    });
  if (!options.http) closers.push(() => http.close());
  const showLogs = Boolean(process.env.GATEWAY_TEST_LOGS);
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      options.logLines?.push(chunk.toString('utf8'));
      if (showLogs) process.stderr.write(chunk);
      done();
    },
  });
  const gateway = createGateway(config, {
    store,
    http,
    logger: createJsonLogger(showLogs ? 'debug' : config.logLevel, sink),
    metrics: createMetrics(),
    ...(options.now ? { now: options.now } : {}),
  });
  // The intake worker and the sweeper run as in `slackline serve`: a click's work is taken from the log.
  gateway.start();
  return {
    ...gateway,
    config,
    store,
    close: async () => {
      await gateway.stop();
      await gateway.work.empty();
      for (const close of closers.splice(0)) await close();
    },
  };
}

function openStore(config: GatewayConfig): GatewayStore {
  const { store } = config;
  // Reconnecting, as serve's does: tests stop and restart Redis under the gateway.
  if (store.type === 'redis') return new RedisStore(store, { reconnect: true });
  if (store.type === 'filestore') return new FileStore(store.path);
  throw new Error(`a gateway cannot keep its state in a ${store.type}`);
}
