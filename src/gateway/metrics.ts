import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoreErrorKind } from '../core/errors';
import type { HttpErrorKind } from '../http/http-error';
import { SLACKLINE_VERSION } from '../core/version';
import { STORE_FAILURE_KINDS } from './store-failure';

export type RequestType =
  'block_actions' | 'interactive_message' | 'slash_command' | 'view_submission' | 'interceptor' | 'other';
/**
 * ok: taken (whatever the user was told then); duplicate: a retry or replay of one taken before; unrecorded: the
 * intake log could not take it (the user was told to click again); bad_signature: refused unverified; invalid:
 * malformed; error: failed.
 */
export type RequestOutcome = 'ok' | 'duplicate' | 'unrecorded' | 'bad_signature' | 'invalid' | 'error';
export type DecisionOutcome = 'decided' | 'voted' | 'refused' | 'redelivered';
export type ForwardOutcome = 'delivered' | 'failed';

const REQUEST_TYPES: readonly RequestType[] = [
  'block_actions',
  'interactive_message',
  'slash_command',
  'view_submission',
  'interceptor',
  'other',
];
const REQUEST_OUTCOMES: readonly RequestOutcome[] = [
  'ok',
  'duplicate',
  'unrecorded',
  'bad_signature',
  'invalid',
  'error',
];
/**
 * What the gateway depends on, and how each fails. `store` is Redis in production, by StoreError's kind.
 * Slack: `connection`, `timeout` (no answer), `http-status` (an HTTP error status), `rate-limited`, `api-error`
 * (Slack answered `ok: false`), `socket` (the Socket Mode connection could not be opened, or dropped), `failed`.
 * EventListeners: the HTTP client's kinds, and `http-status` for an answer outside 2xx.
 */
export interface DependencyFailureKinds {
  slack: 'connection' | 'timeout' | 'http-status' | 'rate-limited' | 'api-error' | 'socket' | 'failed';
  store: StoreErrorKind;
  event_listener: HttpErrorKind | 'http-status';
}
export type Dependency = keyof DependencyFailureKinds;
const DEPENDENCY_FAILURE_KINDS: { [D in Dependency]: readonly DependencyFailureKinds[D][] } = {
  slack: ['connection', 'timeout', 'http-status', 'rate-limited', 'api-error', 'socket', 'failed'],
  store: STORE_FAILURE_KINDS,
  event_listener: ['invalid-url', 'connection', 'timeout', 'failed', 'http-status'],
};

/** The backlogs the gauges report, read from the store on each scrape. */
export interface BacklogSource {
  /** Decisions acknowledged in Slack and not yet delivered to their EventListener (the outbox). */
  undeliveredDecisions(): Promise<number>;
  /** Acknowledged clicks and commands not yet worked on (the intake log). */
  intakeBacklog(): Promise<number>;
}

/**
 * A scrape waits this long for the store: Prometheus gives up on the whole scrape at its timeout (10 s by
 * default), and the process metrics must not be lost because Redis hangs.
 */
const BACKLOG_TIMEOUT_MS = 1000;

const DECISION_OUTCOMES: readonly DecisionOutcome[] = ['decided', 'voted', 'refused', 'redelivered'];
const FORWARD_OUTCOMES: readonly ForwardOutcome[] = ['delivered', 'failed'];

/** What the gateway counts. Labels are closed unions, so no request can add a time series. */
export interface GatewayMetrics {
  request(type: RequestType, outcome: RequestOutcome): void;
  decision(outcome: DecisionOutcome): void;
  /** `seconds`: the whole forward, retries included. */
  forward(outcome: ForwardOutcome, seconds: number): void;
  /** `seconds`: from the request's arrival at the gateway to its ack (Slack waits 3 s). */
  ack(type: RequestType, seconds: number): void;
  /** One failed call to a dependency (after the caller's retries), by kind. */
  dependencyFailure<D extends Dependency>(dependency: D, kind: DependencyFailureKinds[D]): void;
  /**
   * The store to read the backlog gauges from on each scrape. Until it is given, and on a scrape where it fails
   * or takes longer than a second, they are NaN: unknown, rather than a reassuring 0 or a stale number.
   */
  watchBacklog(source: BacklogSource): void;
  /** The Content-Type header for render()'s text. */
  readonly contentType: string;
  /** The Prometheus text exposition of everything above plus the process metrics. */
  render(): Promise<string>;
}

/**
 * The only importer of prom-client (the reference Prometheus client for Node, with the process metrics every
 * dashboard expects). Each call has its own Registry, so tests and several gateways in one process never
 * collide on the global one.
 */
export function createMetrics(options: { backlogTimeoutMs?: number } = {}): GatewayMetrics {
  const registry = new Registry();
  // The event-loop delay is sampled every 100 ms rather than every 10: each sample wakes the process, which
  // cost an idle gateway 5% of a core on a shared VM (measured), for percentiles nobody reads at 10 ms.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const { requests, decisions, forwards, forwardSeconds, ackSeconds, dependencyFailures } =
    instruments(registry);
  const buildInfo = new Gauge({
    name: 'slackline_build_info',
    help: 'Always 1; its labels say which slackline and Node.js run',
    labelNames: ['version', 'node'] as const,
    registers: [registry],
  });
  buildInfo.labels(SLACKLINE_VERSION, process.version).set(1);
  let backlog: BacklogSource | undefined;
  backlogGauges(registry, options.backlogTimeoutMs ?? BACKLOG_TIMEOUT_MS, () => backlog);
  return {
    request: (type, outcome) => requests.labels(type, outcome).inc(),
    decision: (outcome) => decisions.labels(outcome).inc(),
    forward: (outcome, seconds) => {
      forwards.labels(outcome).inc();
      forwardSeconds.observe(seconds);
    },
    ack: (type, seconds) => ackSeconds.labels(type).observe(seconds),
    dependencyFailure: (dependency, kind) => dependencyFailures.labels(dependency, kind).inc(),
    watchBacklog: (source) => {
      backlog = source;
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}

/** The counters and histograms, each series of a counter there from the start at 0 (rate() and alerts see the first increment). */
function instruments(registry: Registry) {
  const requests = new Counter({
    name: 'slackline_requests_total',
    help: 'Requests from Slack and Tekton, by payload type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'slackline_decisions_total',
    help: 'Clicks on offered choices, by what they did to the choice',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const forwards = new Counter({
    name: 'slackline_forwards_total',
    help: 'Events forwarded to Tekton EventListeners, by outcome after retries',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const forwardSeconds = new Histogram({
    name: 'slackline_forward_duration_seconds',
    help: 'Time to forward one event to its EventListener, retries included',
    // Up to the default 3 attempts of 10 s each.
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const ackSeconds = new Histogram({
    name: 'slackline_ack_seconds',
    help: "Time from a Slack request's arrival to its ack; Slack gives up after 3 s",
    labelNames: ['type'] as const,
    // Dense around the 2.5 s at which the gateway acks whatever the store says, and Slack's 3 s.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5],
    registers: [registry],
  });
  const dependencyFailures = new Counter({
    name: 'slackline_dependency_failures_total',
    help: 'Failed calls to Slack, the store (Redis) and EventListeners, by dependency and kind',
    labelNames: ['dependency', 'kind'] as const,
    registers: [registry],
  });
  // Every series exists from the start at 0, so rate() and alerts see the first increment.
  for (const type of REQUEST_TYPES) {
    for (const outcome of REQUEST_OUTCOMES) requests.labels(type, outcome).inc(0);
  }
  for (const outcome of DECISION_OUTCOMES) decisions.labels(outcome).inc(0);
  for (const outcome of FORWARD_OUTCOMES) forwards.labels(outcome).inc(0);
  for (const [dependency, kinds] of Object.entries(DEPENDENCY_FAILURE_KINDS)) {
    for (const kind of kinds) dependencyFailures.labels(dependency, kind).inc(0);
  }

  return { requests, decisions, forwards, forwardSeconds, ackSeconds, dependencyFailures };
}

/** The backlog gauges, read from the store when scraped (NaN when it does not answer in time). */
function backlogGauges(registry: Registry, timeoutMs: number, source: () => BacklogSource | undefined): void {
  const backlogGauge = (name: string, help: string, read: (source: BacklogSource) => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const backlog = source();
        this.set(backlog ? await withTimeout(read(backlog), timeoutMs) : NaN);
      },
    });
  backlogGauge(
    'slackline_undelivered_decisions',
    'Decisions acknowledged in Slack and not yet delivered to an EventListener (NaN: the store did not answer)',
    (source) => source.undeliveredDecisions(),
  );
  backlogGauge(
    'slackline_intake_backlog',
    'Acknowledged clicks and commands not yet worked on (NaN: the store did not answer)',
    (source) => source.intakeBacklog(),
  );
}

/** The number, or NaN when `read` fails or takes longer than `ms`. */
async function withTimeout(read: Promise<number>, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(NaN), ms)));
  try {
    return await Promise.race([read.catch(() => NaN), late]);
  } finally {
    clearTimeout(timer);
  }
}
