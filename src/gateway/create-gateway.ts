import { App, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import type { GatewayConfig } from '../config/gateway-config';
import { countStoreFailures } from './count-store-failures';
import { expressApp, expressRouter } from './express-app';
import { DeadlineWorker } from './deadlines/deadline-worker';
import { leaseMs } from './outbox/lease-ms';
import type { GatewayDeps, GatewayEnv } from './gateway-env';
import { healthRoutes, type HealthRouter } from './health-routes';
import { IntakeWorker } from './intake/intake-worker';
import { workOnEntry } from './intake/work-on-entry';
import { interceptorRouter } from './interceptor/interceptor-router';
import { Liveness } from './liveness';
import { Sweeper } from './outbox/sweeper';
import { RunCardService } from './runcard/run-card-service';
import { tektonEventsRouter } from './runcard/tekton-events-router';
import { boltLogger } from './slack/bolt-logger';
import { registerListeners } from './slack/register-listeners';
import { httpArrival, noteArrival, socketArrival } from './slack/request-arrival';
import { slackApi } from './slack/slack-api';
import { SocketConnection } from './slack/socket-connection';
import { verifySlackRequests } from './slack/verify-slack-requests';
import { WorkQueue } from './work-queue';

export interface Gateway {
  /**
   * What to listen with (it never listens itself): the interceptors on plain node:http, everything else (Slack,
   * health, metrics) on express.
   */
  app: RequestListener;
  bolt: App;
  /** In Socket Mode, the connection to Slack, which start() opens in the background and stop() closes. */
  socket: SocketConnection | undefined;
  health: HealthRouter;
  env: GatewayEnv;
  /** The work taken from the intake log and the outbox: shutdown waits for it to empty. */
  work: WorkQueue;
  /** Starts the intake worker and the outbox sweeper, and in Socket Mode connects to Slack (in the background). */
  start(): void;
  /** Stops them taking new work (what they took goes on in `work`), and closes the Socket Mode connection. */
  stop(): Promise<void>;
  /** The outbox sweeper, whose deliverRef() tests call to drive a delivery. */
  sweeper: Sweeper;
  /** The worker of the choices' deadline steps, whose runDue() tests call after moving the clock. */
  deadlines: DeadlineWorker;
}

/**
 * How many entries of the intake log and the outbox one gateway process works on at once. Measured with
 * test/integration/load-clicks.test.ts: unbounded, 1,000 clicks from 50 clients kept each other waiting until
 * forwards took seconds; at 16 the work in flight stays small, and the benchmark's throughput holds. What is
 * not taken stays in the log, for this process later or another replica now.
 */
const WORK_AT_ONCE = 16;

/**
 * Builds the gateway: Bolt's ExpressReceiver mounted on an express app, behind a verification step that accepts
 * any of the configured signing secrets (rotation). In Socket Mode Slack talks to Bolt over a WebSocket instead,
 * and the express app serves only health, metrics and the interceptors.
 */
export function createGateway(config: GatewayConfig, deps: GatewayDeps): Gateway {
  const now = deps.now ?? Date.now;
  const app = expressApp();
  const liveness = new Liveness(config.stallTimeoutMs);
  const { metrics, logger, http } = deps;
  const { bolt, socketClient } = boltApp(config, deps, app, now);
  const socket = socketClient && new SocketConnection(socketClient, { logger, metrics });
  // Every store call of the gateway, through this one, counts its failures.
  const store = countStoreFailures(deps.store, metrics);
  metrics.watchBacklog({
    undeliveredDecisions: () => store.outbox.size(),
    intakeBacklog: () => store.intake.backlog(),
  });
  const env: GatewayEnv = {
    config,
    store,
    http,
    logger,
    metrics,
    slack: slackApi(bolt, config.slack.botToken, { http, logger, metrics }),
    now,
  };
  const health = healthRoutes({
    // A gateway Slack cannot reach takes no clicks, whatever its store says; that answer needs no round trip.
    unready: async () => {
      const socketProblem = socket?.problem();
      if (socketProblem) return socketProblem;
      try {
        await store.ping();
        return undefined;
      } catch (error) {
        return `the store does not answer: ${(error as Error).message}`;
      }
    },
    stalled: () => liveness.stalled(),
    metrics,
  });
  app.use(health);
  const runCards = new RunCardService(env);
  app.use(tektonEventsRouter(env, runCards));
  registerListeners(bolt, env);
  // The interceptors ahead of express: EventListeners call them whichever way Slack reaches the gateway.
  const interceptors = interceptorRouter(env);
  const listener: RequestListener = (req, res) => {
    if (!interceptors(req, res)) app(req, res);
  };

  const work = new WorkQueue(WORK_AT_ONCE);
  const worker = new IntakeWorker(env, work, liveness, workOnEntry(env));
  const sweeper = new Sweeper(env, work, liveness, leaseMs(env));
  const deadlines = new DeadlineWorker(env, work, liveness, leaseMs(env));
  return {
    app: listener,
    bolt,
    socket,
    health,
    env,
    work,
    sweeper,
    deadlines,
    start() {
      liveness.watch();
      worker.start();
      sweeper.start();
      deadlines.start();
      socket?.start();
    },
    async stop() {
      liveness.unwatch();
      await Promise.all([
        worker.stop(),
        sweeper.stop(),
        deadlines.stop(),
        socket?.stop(),
        runCards.updater.drain(),
      ]);
    },
  };
}

/** Bolt, and in Socket Mode the client of its WebSocket. */
function boltApp(
  config: GatewayConfig,
  deps: GatewayDeps,
  app: Express,
  now: () => number,
): { bolt: App; socketClient?: SocketModeReceiver['client'] } {
  const logger = boltLogger(deps.logger, config.logLevel);
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
    // Bolt's conversation store is for listeners that keep state between events; these keep it in the store.
    convoStore: false as const,
  };
  if (config.slack.socketMode) {
    const receiver = new SocketModeReceiver({
      appToken: config.slack.appToken ?? '',
      logger,
      // SocketConnection reconnects, whatever the failure.
      autoReconnectEnabled: false,
      customPropertiesExtractor: socketArrival,
      // For apps.connections.open, which Bolt would otherwise send to slack.com whatever apiUrl says; not
      // retried here, SocketConnection retries the whole connection.
      installerOptions: {
        clientOptions: {
          ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
          retryConfig: { retries: 0 },
        },
      },
    });
    return { bolt: new App({ ...common, receiver }), socketClient: receiver.client };
  }
  const router = expressRouter();
  router.post(
    config.slack.endpoint,
    noteArrival,
    ...verifySlackRequests({
      signingSecrets: config.slack.signingSecrets,
      maxBodyBytes: config.maxBodyBytes,
      now,
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
    customPropertiesExtractor: httpArrival,
  });
  return { bolt: new App({ ...common, receiver }) };
}
