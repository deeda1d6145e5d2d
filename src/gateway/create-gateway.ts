import { App, ExpressReceiver } from '@slack/bolt';
import express from 'express';
import type { GatewayConfig } from '../config/gateway-config';
import type { HttpClient } from '../http/http-client';
import type { Store } from '../store/store';
import type { GatewayEnv } from './gateway-env';
import { healthRoutes, type HealthRouter } from './health-routes';
import { interceptorRouter } from './interceptor/interceptor-router';
import type { JsonLogger } from './json-logger';
import type { GatewayMetrics } from './metrics';
import { boltLogger } from './slack/bolt-logger';
import { registerListeners } from './slack/register-listeners';
import { verifySlackRequests } from './slack/verify-slack-requests';
import { WorkQueue } from './work-queue';

export interface GatewayDeps {
  store: Store;
  http: HttpClient;
  logger: JsonLogger;
  metrics: GatewayMetrics;
  /** Milliseconds since the epoch; tests freeze it to check signature windows and expiry. */
  now?: () => number;
  /** /readyz: can the gateway do its work now (its store answers)? */
  isReady?: () => Promise<boolean>;
}

export interface Gateway {
  /** The express app to listen with (it never listens itself): Slack, interceptors, health, metrics. */
  app: express.Express;
  bolt: App;
  health: HealthRouter;
  /** The clicks and commands being worked on after their ack: shutdown waits for it to empty. */
  afterAck: WorkQueue;
}

/**
 * How many clicks and commands one gateway process works on at once after acknowledging them. Measured with
 * test/integration/load-clicks.test.ts: unbounded, 1,000 clicks from 50 clients kept each other waiting until
 * forwards took seconds; at 16 the work in flight stays small, and the benchmark's throughput holds.
 */
const WORK_AFTER_ACK = 16;

/**
 * Builds the gateway: Bolt's ExpressReceiver mounted on an express app, behind a verification step that accepts
 * any of the configured signing secrets (rotation). In Socket Mode Slack talks to Bolt over a WebSocket instead,
 * and the express app serves only health and metrics.
 */
export function createGateway(config: GatewayConfig, deps: GatewayDeps): Gateway {
  const env: GatewayEnv = { config, ...deps, now: deps.now ?? Date.now };
  const app = express();
  app.disable('x-powered-by');
  const health = healthRoutes({ isReady: deps.isReady ?? (async () => true), metrics: deps.metrics });
  app.use(health);
  // In Socket Mode too: EventListeners call the interceptors over HTTP whichever way Slack reaches the gateway.
  app.use(interceptorRouter(env));

  const logger = boltLogger(deps.logger);
  const clientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    // Web API calls happen after the ack; a few quick retries, not the default half hour.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    // The gateway's HTTP client instead of Node's fetch: chat.update is on every click, and costs a third. It
    // also enforces the timeout: WebClient's own would start a timer per call that fires long after the answer.
    fetch: deps.http.fetch,
    timeout: 0,
  };
  // One workspace, one bot token: given straight to Bolt instead of asking Slack's auth.test on every event.
  const botToken = config.slack.botToken;
  const common = {
    authorize: async () => ({ botToken }),
    logger,
    clientOptions,
    ignoreSelf: false,
    // Bolt's conversation store is for listeners that keep state between events; these keep it in the context
    // document. Without it, Bolt no longer looks every request up in an in-memory map.
    convoStore: false as const,
  };
  let bolt: App;
  if (config.slack.socketMode) {
    bolt = new App({ ...common, socketMode: true, appToken: config.slack.appToken });
  } else {
    const router = express.Router();
    router.post(
      config.slack.endpoint,
      ...verifySlackRequests({
        signingSecrets: config.slack.signingSecrets,
        maxBodyBytes: config.maxBodyBytes,
        now: env.now,
        logger: deps.logger,
        onRejected: (outcome) => deps.metrics.request('other', outcome),
      }),
    );
    const receiver = new ExpressReceiver({
      // Verified above with every configured secret; Bolt then only parses and dispatches.
      signatureVerification: false,
      signingSecret: '',
      endpoints: config.slack.endpoint,
      router,
      app,
      processBeforeResponse: false,
      logger,
    });
    bolt = new App({ ...common, receiver });
  }
  const afterAck = new WorkQueue(WORK_AFTER_ACK);
  registerListeners(bolt, env, afterAck);
  return { app, bolt, health, afterAck };
}
