import type { IncomingHttpHeaders } from 'node:http';
import { forwardSignatureHeaders, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../core/forward-signature';
import type { GatewayEnv } from '../gateway-env';
import { GrpcCode, type Refusal } from './grpc-code';
import { headerValue } from './header-value';
import { jsonAnswer, type HttpAnswer } from './http-answer';
import { intercept } from './intercept';
import { gatewaySecrets } from './interceptor-options';
import { outcomeOf } from './interceptor-outcome';
import { passOnce } from './pass-once';
import { webhookBody } from './webhook-body';

// Set in the trigger's `webhook.header` list, as Tekton passes a legacy webhook no other params: the name under which
// its idempotency keys are recorded (one per trigger, as each sees every event), and `false` to let copies through.
const SCOPE_HEADER = 'slackline-deduplicate-scope';
const DEDUPLICATE_HEADER = 'slackline-deduplicate';

// A refusal's gRPC code as the HTTP status Tekton's webhook contract understands (anything but 200 stops).
const STATUS: Record<number, number> = {
  [GrpcCode.INVALID_ARGUMENT]: 400,
  [GrpcCode.ALREADY_EXISTS]: 409,
  [GrpcCode.UNAUTHENTICATED]: 401,
  [GrpcCode.FAILED_PRECONDITION]: 500,
  [GrpcCode.UNAVAILABLE]: 503,
};

// Not copied to the answer: framing and connection headers describe the request's own transfer, the body type
// changes to JSON, and a slackline signature over the old body would not match the new one.
const NOT_COPIED = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-authorization',
  'content-length',
  'content-type',
  'content-encoding',
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  SCOPE_HEADER,
  DEDUPLICATE_HEADER,
]);

/**
 * Tekton's legacy `webhook` interceptor, in place of slack-payload-handler: the EventListener POSTs the event as
 * it came (Slack's form and headers), and a 200 answer's body and headers replace the event's. So the answer
 * carries the event's headers on (X-Slack-*, Eventlistener-Request-Url, a trigger's own), and, when the request
 * was verified and a forwarding secret is set, a slackline signature over the new body that a slackline
 * ClusterInterceptor later in the chain can check. Every failure is a non-200 JSON error, never an empty 200.
 */
export async function webhookInterceptor(
  env: GatewayEnv,
  raw: Buffer,
  incoming: IncomingHttpHeaders,
): Promise<HttpAnswer> {
  const { slack, forwarding } = env.config;
  const outcome = await intercept(env, {
    body: raw.toString('utf8'),
    rawBody: raw,
    headers: incoming,
    secrets: gatewaySecrets(env.config),
    // With no Slack signing secret (Socket Mode) there is nothing to check with, as with slack-payload-handler.
    requireSignature: slack.signingSecrets.length > 0,
  });
  const refuse = (refusal: Refusal) => {
    env.metrics.request('interceptor', outcomeOf(refusal));
    env.logger.warn(`webhook interceptor refused a request: ${refusal.message}`);
    return jsonAnswer(STATUS[refusal.code] ?? 500, { error: refusal.message, code: refusal.code });
  };
  if (!outcome.ok) return refuse(outcome);
  if (headerValue(incoming, DEDUPLICATE_HEADER) !== 'false') {
    const scope = `webhook:${headerValue(incoming, SCOPE_HEADER) ?? 'default'}`;
    const duplicate = await passOnce(env, scope, outcome.extension);
    if (duplicate) return refuse(duplicate);
  }
  env.metrics.request('interceptor', 'ok');
  const text = JSON.stringify(webhookBody(outcome.read, outcome.extension));
  const headers: Record<string, string | string[]> = copiedHeaders(incoming);
  if (outcome.extension.verified !== 'none' && forwarding.signingSecret) {
    Object.assign(headers, forwardSignatureHeaders(forwarding.signingSecret, text, env.now()));
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  return { status: 200, headers, body: text };
}

function copiedHeaders(incoming: IncomingHttpHeaders): Record<string, string | string[]> {
  const copied: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !NOT_COPIED.has(name)) copied[name] = value;
  }
  return copied;
}
