import type { RequestHandler } from 'express';
import type { GatewayEnv } from '../gateway-env';
import type { GrpcCode, Refusal } from './grpc-code';
import { intercept } from './intercept';
import { outcomeOf } from './interceptor-outcome';
import { interceptorOptions } from './interceptor-options';
import { parseInterceptorRequest, type InterceptorRequest } from './interceptor-request';
import { passOnce } from './pass-once';
import type { SlacklineExtension } from './slackline-extension';

/** Tekton's `InterceptorResponse`: `continue` is always sent, since a missing one reads as false. */
export interface InterceptorResponse {
  extensions?: { slackline: SlacklineExtension };
  continue: boolean;
  status: { code?: GrpcCode; message?: string };
}

/**
 * A Tekton ClusterInterceptor (or namespaced Interceptor): an InterceptorRequest in, an InterceptorResponse out,
 * always with HTTP 200 once the request is well-formed, because Tekton treats any other status as a failure of
 * the interceptor itself rather than a refusal. A refusal is `continue: false` with a gRPC code; what the
 * gateway found is added under the one key `extensions.slackline`.
 */
export function clusterInterceptor(env: GatewayEnv): RequestHandler {
  return async (req, res) => {
    const parsed = parseInterceptorRequest(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    if (!parsed.ok) {
      env.metrics.request('interceptor', 'invalid');
      env.logger.warn(`cluster interceptor: ${parsed.error}`);
      res.status(400).json({ error: parsed.error });
      return;
    }
    const { request } = parsed;
    const answer = (response: InterceptorResponse) => res.status(200).json(response);
    const options = interceptorOptions(request.interceptor_params, env.config);
    if (!options.ok) {
      env.metrics.request('interceptor', outcomeOf(options));
      env.logger.warn(`cluster interceptor refused a request: ${options.message}`);
      return answer({ continue: false, status: { code: options.code, message: options.message } });
    }
    const eventId = request.context?.event_id;
    const { deduplicate, ...checks } = options.options;
    const outcome = await intercept(env, {
      body: request.body,
      headers: request.header,
      ...checks,
      eventId: typeof eventId === 'string' ? eventId : undefined,
    });
    const refuse = (refusal: Refusal) => {
      env.metrics.request('interceptor', outcomeOf(refusal));
      env.logger.warn(`cluster interceptor refused a request: ${refusal.message}`);
      return answer({ continue: false, status: { code: refusal.code, message: refusal.message } });
    };
    if (!outcome.ok) return refuse(outcome);
    const duplicate = deduplicate ? await passOnce(env, triggerScope(request), outcome.extension) : undefined;
    if (duplicate) return refuse(duplicate);
    env.metrics.request('interceptor', 'ok');
    return answer({ extensions: { slackline: outcome.extension }, continue: true, status: {} });
  };
}

/** The trigger the request is for (`namespaces/<ns>/triggers/<name>`), since each trigger sees every event. */
function triggerScope(request: InterceptorRequest): string {
  const triggerId = request.context?.trigger_id;
  return typeof triggerId === 'string' && triggerId !== '' ? triggerId : 'trigger';
}
