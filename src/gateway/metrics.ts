import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type RequestType = 'block_actions' | 'interactive_message' | 'slash_command' | 'interceptor' | 'other';
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
const DECISION_OUTCOMES: readonly DecisionOutcome[] = ['decided', 'voted', 'refused', 'redelivered'];
const FORWARD_OUTCOMES: readonly ForwardOutcome[] = ['delivered', 'failed'];

/** What the gateway counts. Labels are closed unions, so no request can add a time series. */
export interface GatewayMetrics {
  request(type: RequestType, outcome: RequestOutcome): void;
  decision(outcome: DecisionOutcome): void;
  /** `seconds`: the whole forward, retries included. */
  forward(outcome: ForwardOutcome, seconds: number): void;
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
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  // The event-loop delay is sampled every 100 ms rather than every 10: each sample wakes the process, which
  // cost an idle gateway 5% of a core on a shared VM (measured), for percentiles nobody reads at 10 ms.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
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
  // Every series exists from the start at 0, so rate() and alerts see the first increment.
  for (const type of REQUEST_TYPES) {
    for (const outcome of REQUEST_OUTCOMES) requests.labels(type, outcome).inc(0);
  }
  for (const outcome of DECISION_OUTCOMES) decisions.labels(outcome).inc(0);
  for (const outcome of FORWARD_OUTCOMES) forwards.labels(outcome).inc(0);

  return {
    request: (type, outcome) => requests.labels(type, outcome).inc(),
    decision: (outcome) => decisions.labels(outcome).inc(),
    forward: (outcome, seconds) => {
      forwards.labels(outcome).inc();
      forwardSeconds.observe(seconds);
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
