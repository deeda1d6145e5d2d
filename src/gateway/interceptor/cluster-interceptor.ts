import type { GatewayEnv } from '../gateway-env';
import type { GrpcCode, Refusal } from './grpc-code';
import { jsonAnswer, type HttpAnswer } from './http-answer';
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
export async function clusterInterceptor(env: GatewayEnv, raw: Buffer): Promise<HttpAnswer> {
  const parsed = parseInterceptorRequest(raw.toString('utf8'));
  if (!parsed.ok) {
    env.metrics.request('interceptor', 'invalid');
    env.logger.warn(`cluster interceptor: ${parsed.error}`);
    return jsonAnswer(400, { error: parsed.error });
  }
  const { request } = parsed;
  const refuse = (refusal: Refusal) => {
    env.metrics.request('interceptor', outcomeOf(refusal));
    env.logger.warn(`cluster interceptor refused a request: ${refusal.message}`);
    return answer({ continue: false, status: { code: refusal.code, message: refusal.message } });
  };
  const options = interceptorOptions(request.interceptor_params, env.config);
  if (!options.ok) return refuse(options);
  const eventId = request.context?.event_id;
  const { deduplicate, ...checks } = options.options;
  const outcome = await intercept(env, {
    body: request.body,
    headers: request.header,
    ...checks,
    eventId: typeof eventId === 'string' ? eventId : undefined,
  });
  if (!outcome.ok) return refuse(outcome);
  const duplicate = deduplicate ? await passOnce(env, triggerScope(request), outcome.extension) : undefined;
  if (duplicate) return refuse(duplicate);
  env.metrics.request('interceptor', 'ok');
  return answer({ extensions: { slackline: outcome.extension }, continue: true, status: {} });
}

function answer(response: InterceptorResponse): HttpAnswer {
  return jsonAnswer(200, response);
}

/** The trigger the request is for (`namespaces/<ns>/triggers/<name>`), since each trigger sees every event. */
function triggerScope(request: InterceptorRequest): string {
  const triggerId = request.context?.trigger_id;
  return typeof triggerId === 'string' && triggerId !== '' ? triggerId : 'trigger';
}
