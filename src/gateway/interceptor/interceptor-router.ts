import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayEnv } from '../gateway-env';
import { clusterInterceptor } from './cluster-interceptor';
import { jsonAnswer, type HttpAnswer } from './http-answer';
import { webhookInterceptor } from './webhook-interceptor';

type Answer = (env: GatewayEnv, raw: Buffer, req: IncomingMessage) => Promise<HttpAnswer>;

/** `/interceptor` too, the path of the ClusterInterceptor examples in Tekton's interceptor docs. */
const ROUTES: Record<string, Answer> = {
  '/interceptor/webhook': (env, raw, req) => webhookInterceptor(env, raw, req.headers),
  '/interceptor/cluster': (env, raw) => clusterInterceptor(env, raw),
  '/interceptor': (env, raw) => clusterInterceptor(env, raw),
};

/**
 * The Tekton interceptor endpoints on plain node:http, ahead of express: they are on every trigger's path, and
 * express's routing, body parsing and response helpers cost more than the interceptor's own work. Returns
 * whether it took the request. An InterceptorRequest carries the event body as an escaped JSON string next to
 * its headers, so it may be several times the size of the Slack request it holds.
 */
export function interceptorRouter(env: GatewayEnv): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limit = Math.max(4 * env.config.maxBodyBytes, 1024 * 1024);
  return (req, res) => {
    const answer = req.method === 'POST' ? ROUTES[pathOf(req.url)] : undefined;
    if (!answer) return false;
    void readBody(req, limit).then(
      (raw) => (raw ? safely(env, () => answer(env, raw, req)) : tooLarge(env)).then((a) => write(res, a)),
      () => write(res, unreadable(env)),
    );
    return true;
  };
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

/** The whole body, or undefined once it passes `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** An unexpected failure is a JSON 500 (Tekton logs the body), never an empty answer. */
async function safely(env: GatewayEnv, answer: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
  try {
    return await answer();
  } catch (error) {
    env.metrics.request('interceptor', 'error');
    env.logger.error(`interceptor failed: ${(error as Error)?.message ?? String(error)}`);
    return jsonAnswer(500, { error: 'the interceptor failed unexpectedly' });
  }
}

async function tooLarge(env: GatewayEnv): Promise<HttpAnswer> {
  env.metrics.request('interceptor', 'invalid');
  return jsonAnswer(413, { error: 'request body too large' });
}

function unreadable(env: GatewayEnv): HttpAnswer {
  env.metrics.request('interceptor', 'invalid');
  return jsonAnswer(400, { error: 'unreadable request body' });
}

function write(res: ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, answer.headers).end(answer.body);
}
