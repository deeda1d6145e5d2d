import express, { type RequestHandler, type Router } from 'express';
import type { GatewayEnv } from '../gateway-env';
import { readRawBody } from '../read-raw-body';
import { clusterInterceptor } from './cluster-interceptor';
import { webhookInterceptor } from './webhook-interceptor';

const WEBHOOK_PATH = '/interceptor/webhook';
/** `/interceptor` too, the path of the ClusterInterceptor examples in Tekton's interceptor docs. */
const CLUSTER_PATHS = ['/interceptor/cluster', '/interceptor'];

/**
 * The Tekton interceptor endpoints, served next to Slack's: the legacy webhook and the ClusterInterceptor. An
 * InterceptorRequest carries the event body as an escaped JSON string next to its headers, so it may be several
 * times the size of the Slack request it holds.
 */
export function interceptorRouter(env: GatewayEnv): Router {
  const router = express.Router();
  const limit = Math.max(4 * env.config.maxBodyBytes, 1024 * 1024);
  const readBody = readRawBody(limit, () => env.metrics.request('interceptor', 'invalid'));
  router.post(WEBHOOK_PATH, readBody, safely(env, webhookInterceptor(env)));
  router.post(CLUSTER_PATHS, readBody, safely(env, clusterInterceptor(env)));
  return router;
}

/** An unexpected failure is a JSON 500 (Tekton logs the body), never express's HTML page or an empty answer. */
function safely(env: GatewayEnv, handler: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      await handler(req, res, next);
    } catch (error) {
      env.metrics.request('interceptor', 'error');
      env.logger.error(`interceptor failed: ${(error as Error)?.message ?? String(error)}`);
      if (!res.headersSent) res.status(500).json({ error: 'the interceptor failed unexpectedly' });
    }
  };
}
