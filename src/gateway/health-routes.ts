import type { Request, Response, Router } from 'express';
import { expressRouter } from './express-app';
import type { GatewayMetrics } from './metrics';

export interface HealthRoutesOptions {
  /**
   * Why the gateway cannot do its work now (its store does not answer, its Socket Mode connection is down), or
   * undefined when it can. A check that throws is not ready, with the error's message as the reason.
   */
  unready: () => Promise<string | undefined>;
  /** Why the process is stuck and should be restarted, or undefined while it makes progress. */
  stalled?: () => string | undefined;
  metrics: GatewayMetrics;
  /** A check slower than this counts as not ready: a probe must not hang on a stuck Redis. Default 2000. */
  readyTimeoutMs?: number;
}

/** The routes, plus the switch that makes /readyz refuse once shutdown has begun. */
export interface HealthRouter extends Router {
  /** From now on /readyz answers 503, so the load balancer stops sending new work. */
  markShuttingDown(): void;
}

/**
 * GET /healthz (alive: 200 while the process makes progress, even while shutting down, so it is not restarted
 * mid-drain; 503 once it is stuck), GET /readyz (may it get traffic: 503 with the reason when not, for whoever
 * reads the probe's failure), GET /metrics (Prometheus text).
 */
export function healthRoutes(options: HealthRoutesOptions): HealthRouter {
  const { unready, metrics, readyTimeoutMs = 2000 } = options;
  let shuttingDown = false;
  const router = expressRouter() as HealthRouter;
  router.markShuttingDown = () => {
    shuttingDown = true;
  };

  router.get('/healthz', (_req: Request, res: Response) => {
    const stalled = options.stalled?.();
    res.set('Cache-Control', 'no-store');
    if (stalled) res.status(503).json({ status: 'stalled', reason: stalled });
    else res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req: Request, res: Response) => {
    const reason = shuttingDown ? SHUTTING_DOWN : await withTimeout(unready, readyTimeoutMs);
    // Shutdown may have begun while the check ran.
    const why = shuttingDown ? SHUTTING_DOWN : reason;
    res.set('Cache-Control', 'no-store');
    if (why === undefined) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not ready', reason: why });
  });

  router.get('/metrics', async (_req: Request, res: Response) => {
    const text = await metrics.render();
    res.set('Content-Type', metrics.contentType).set('Cache-Control', 'no-store').send(text);
  });

  return router;
}

const SHUTTING_DOWN = 'shutting down';

/** The check's reason, its error's message when it throws, or a timeout's. */
async function withTimeout(
  check: () => Promise<string | undefined>,
  ms: number,
): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the readiness check took longer than ${ms} ms`), ms);
  });
  try {
    return await Promise.race([check(), timeout]);
  } catch (error) {
    return (error as Error)?.message || String(error);
  } finally {
    clearTimeout(timer);
  }
}
