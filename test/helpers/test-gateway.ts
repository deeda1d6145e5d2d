import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { blockActionsPayload, FORM, interactionBody, slackSignature, type ClickSpec } from './slack-requests';
import { fileStoreConfig } from './store-configs';

// Port 9 (discard): nothing listens there, so a test that did not name its own Slack or EventListener gets a
// refused connection instead of reaching slack.com or anything else real.
const NOWHERE = 'http://127.0.0.1:9';
let storeSerial = 0;
/** The file stores testGatewayConfig made up a temporary directory for: the gateway that opens one removes it. */
const madeStoreDirs = new Set<string>();

/** What testGatewayConfig signs with unless told otherwise: tests sign their requests and check forwards with them. */
export const SIGNING_SECRET = 'test-signing-secret';
export const FORWARD_SECRET = 'test-forward-secret';

/**
 * The loopback stand-ins a gateway talks to (FakeSlack, FakeEventListener, or anything with a url): Slack's Web
 * API at `<slack>/api/`, and forwards to `<listener>/default`, with the route `deploy` to `<listener>/deploy`.
 */
export interface StandIns {
  slack?: { url: string };
  listener?: { url: string };
}

export type TestGatewayOverrides = Partial<Omit<GatewayConfig, 'slack' | 'forwarding'>> & {
  slack?: Partial<SlackConfig>;
  forwarding?: Partial<ForwardingConfig>;
};

/**
 * A complete GatewayConfig, pointed at the stand-ins given; `slack` and `forwarding` overrides are merged into
 * the defaults, the rest replace them. Store configs come from store-configs.ts (Redis, a Cluster, a file store).
 */
export function testGatewayConfig(
  overrides: TestGatewayOverrides = {},
  standIns: StandIns = {},
): GatewayConfig {
  const { slack, forwarding, ...rest } = overrides;
  const listener = standIns.listener?.url;
  return {
    port: 0,
    host: '127.0.0.1',
    commands: {},
    maxBodyBytes: 64 * 1024,
    logLevel: 'warn',
    shutdownTimeoutMs: 1000,
    // Short, so that tests of a takeover do not wait the production 15 s.
    intake: { appendTimeoutMs: 4000, claimAfterMs: 2000, maxDeliveries: 5, dedupeTtlMs: 30 * 60_000 },
    legacyButtons: { enabled: false, allowedUsers: [], allowedGroups: [] },
    stallTimeoutMs: 20_000,
    ...rest,
    store: rest.store ?? temporaryFileStore(),
    slack: {
      signingSecrets: [SIGNING_SECRET],
      botToken: 'xoxb-test',
      socketMode: false,
      apiUrl: `${standIns.slack?.url ?? NOWHERE}/api/`,
      endpoint: '/slack/events',
      ...slack,
    },
    forwarding: {
      defaultUrl: `${listener ?? NOWHERE}/default`,
      routes: listener ? { deploy: `${listener}/deploy` } : {},
      signingSecret: FORWARD_SECRET,
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
  /** Serves the gateway on a loopback port, as `slackline serve` does; close() stops it. */
  listen(): Promise<void>;
  /** Where it listens, once listen() resolved. */
  readonly url: string;
  /**
   * POSTs a body to the Slack endpoint it listens on, signed (unless `signed` is false) with the newest of its
   * signing secrets; resolves to the status and text.
   */
  post(
    body: string,
    options?: { contentType?: string; signed?: boolean },
  ): Promise<{ status: number; text: string }>;
  /** A signed block_actions click, as Slack sends it; resolves when the gateway acknowledged it. */
  click(
    spec: ClickSpec,
    change?: (payload: ReturnType<typeof blockActionsPayload>) => void,
  ): Promise<{ status: number; text: string }>;
  /** Stops listening, and closes the store and HTTP client made here, not those passed in. */
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
  const { store: storeConfig } = config;
  if (!options.store && storeConfig.type === 'filestore' && madeStoreDirs.delete(storeConfig.path)) {
    closers.push(async () => rmSync(storeConfig.path, { recursive: true, force: true }));
  }
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
  const listening = new Listening(gateway.app);
  const post: TestGateway['post'] = async (body, postOptions = {}) => {
    const secret = config.slack.signingSecrets.at(-1) as string;
    const headers: Record<string, string> = {
      'content-type': postOptions.contentType ?? FORM,
      ...(postOptions.signed === false ? {} : slackSignature(secret, body)),
    };
    const response = await fetch(`${listening.url}${config.slack.endpoint}`, {
      method: 'POST',
      headers,
      body,
    });
    return { status: response.status, text: await response.text() };
  };
  return {
    ...gateway,
    config,
    store,
    listen: () => listening.listen(),
    get url() {
      return listening.url;
    },
    post,
    click: (spec, change) => {
      const payload = blockActionsPayload(spec);
      change?.(payload);
      return post(interactionBody(payload));
    },
    close: async () => {
      await listening.close();
      await gateway.stop();
      await gateway.work.empty();
      for (const close of closers.splice(0)) await close();
    },
  };
}

/** For the tests that never reach the store (the others name their own): somewhere harmless if one did. */
function temporaryFileStore() {
  const path = join(tmpdir(), `slackline-test-gateway-store-${process.pid}-${(storeSerial += 1)}`);
  madeStoreDirs.add(path);
  return fileStoreConfig(path);
}

/** The gateway's request listener served on 127.0.0.1, once asked to. */
class Listening {
  private server: Server | undefined;
  private baseUrl: string | undefined;

  constructor(private readonly app: Gateway['app']) {}

  get url(): string {
    if (!this.baseUrl) throw new Error('the gateway is not listening');
    return this.baseUrl;
  }

  async listen(): Promise<void> {
    const server = createServer(this.app).listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

function openStore(config: GatewayConfig): GatewayStore {
  const { store } = config;
  // Reconnecting, as serve's does: tests stop and restart Redis under the gateway.
  if (store.type === 'redis') return new RedisStore(store, { reconnect: true });
  if (store.type === 'filestore') return new FileStore(store.path);
  throw new Error(`a gateway cannot keep its state in a ${store.type}`);
}
