import { isPlainObject } from '../core/document';
import { SlacklineError } from '../core/errors';
import { forwardSignatureHeaders } from '../core/forward-signature';
import type { ForwardedEvent } from '../core/forwarded-event';
import { HttpError } from '../http/http-error';
import type { GatewayEnv } from './gateway-env';
import type { DependencyFailureKinds } from './metrics';
import type { RouteTarget } from './resolve-route';

export interface ForwardOutcome {
  delivered: boolean;
  route: string;
  /** The EventListener's `eventID`, the handle to find the PipelineRun it started. */
  eventId: string | null;
  status: number | null;
  error: string | null;
  attempts: number;
  seconds: number;
}

/**
 * One delivery attempt: POSTs the event to an EventListener once, signed when a forwarding secret is configured,
 * and counts it. The outbox tries again later if it fails, and every copy carries the event's id, which the
 * slackline interceptor in front of the EventListener lets through once. Only a 2xx answer counts as delivered;
 * anything else, a route that names no EventListener included (not sent, not counted), is an outcome, not an
 * exception.
 */
export async function forwardEvent(
  env: GatewayEnv,
  target: RouteTarget,
  event: ForwardedEvent,
): Promise<ForwardOutcome> {
  if ('error' in target) {
    const { route, error } = target;
    return { delivered: false, route, eventId: null, status: null, error, attempts: 0, seconds: 0 };
  }
  // `failure` is for the counter only: callers record the outcome, and it stays as it was.
  const { failure, ...outcome } = await post(env, target, event);
  env.metrics.forward(outcome.delivered ? 'delivered' : 'failed', outcome.seconds);
  if (failure) env.metrics.dependencyFailure('event_listener', failure);
  return outcome;
}

/** An attempt's outcome, and when it failed, how (for the dependency failure counter). */
type PostOutcome = ForwardOutcome & { failure?: DependencyFailureKinds['event_listener'] };

async function post(
  { http, config }: GatewayEnv,
  target: { route: string; url: string },
  event: ForwardedEvent,
): Promise<PostOutcome> {
  const signingSecret = config.forwarding.signingSecret;
  const body = JSON.stringify(event);
  const headers = {
    'Content-Type': 'application/json',
    // The idempotency key, also in the body as `id`, for interceptors and proxies that read only headers.
    'Idempotency-Key': event.id,
    ...(signingSecret ? forwardSignatureHeaders(signingSecret, body) : {}),
  };
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const response = await http.post({
      url: target.url,
      headers,
      body,
      purpose: `forward to ${target.route}`,
      maxAttempts: 1,
    });
    const delivered = response.status >= 200 && response.status <= 299;
    const eventId =
      isPlainObject(response.json) && typeof response.json['eventID'] === 'string'
        ? response.json['eventID']
        : null;
    return {
      delivered,
      route: target.route,
      eventId,
      status: response.status,
      error: delivered ? null : `the EventListener answered ${response.status}`,
      attempts: response.attempts,
      seconds: seconds(),
      ...(delivered ? {} : { failure: 'http-status' as const }),
    };
  } catch (error) {
    if (!(error instanceof SlacklineError)) throw error;
    const attempts = (error as { attempts?: number }).attempts ?? 1;
    return {
      delivered: false,
      route: target.route,
      eventId: null,
      status: null,
      error: error.message,
      attempts,
      seconds: seconds(),
      failure: error instanceof HttpError ? error.kind : 'failed',
    };
  }
}
