import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { forwardSignatureHeaders, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../core/forward-signature';
import type { GatewayEnv } from '../gateway-env';
import { GrpcCode } from './grpc-code';
import { intercept } from './intercept';
import { gatewaySecrets } from './interceptor-options';
import { outcomeOf } from './interceptor-outcome';
import { webhookBody } from './webhook-body';

// A refusal's gRPC code as the HTTP status Tekton's webhook contract understands (anything but 200 stops).
const STATUS: Record<number, number> = {
  [GrpcCode.INVALID_ARGUMENT]: 400,
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
]);

/**
 * Tekton's legacy `webhook` interceptor, in place of slack-payload-handler: the EventListener POSTs the event as
 * it came (Slack's form and headers), and a 200 answer's body and headers replace the event's. So the answer
 * carries the event's headers on (X-Slack-*, Eventlistener-Request-Url, a trigger's own), and, when the request
 * was verified and a forwarding secret is set, a slackline signature over the new body that a slackline
 * ClusterInterceptor later in the chain can check. Every failure is a non-200 JSON error, never an empty 200.
 */
export function webhookInterceptor(env: GatewayEnv): RequestHandler {
  const { slack, forwarding } = env.config;
  return async (req, res) => {
    const outcome = await intercept(env, {
      body: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '',
      headers: req.headers,
      secrets: gatewaySecrets(env.config),
      // With no Slack signing secret (Socket Mode) there is nothing to check with, as with slack-payload-handler.
      requireSignature: slack.signingSecrets.length > 0,
    });
    env.metrics.request('interceptor', outcomeOf(outcome));
    if (!outcome.ok) {
      env.logger.warn(`webhook interceptor refused a request: ${outcome.message}`);
      res.status(STATUS[outcome.code] ?? 500).json({ error: outcome.message, code: outcome.code });
      return;
    }
    const text = JSON.stringify(webhookBody(outcome.read, outcome.extension));
    const headers: Record<string, string | string[]> = copiedHeaders(req.headers);
    if (outcome.extension.verified !== 'none' && forwarding.signingSecret) {
      Object.assign(headers, forwardSignatureHeaders(forwarding.signingSecret, text, env.now()));
    }
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    // Written directly, so express adds no ETag of its own to what becomes the next step's request headers.
    res.writeHead(200, headers).end(text);
  };
}

function copiedHeaders(incoming: IncomingHttpHeaders): Record<string, string | string[]> {
  const copied: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !NOT_COPIED.has(name)) copied[name] = value;
  }
  return copied;
}
