import { Router, type Request, type Response } from 'express';
import type { GatewayMetrics } from './metrics';

export interface HealthRoutesOptions {
  /** True when the gateway can do its work now, e.g. its store answers a read. */
  isReady: () => Promise<boolean>;
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
 * mid-drain; 503 once it is stuck), GET /readyz (may it get traffic), GET /metrics (Prometheus text).
 */
export function healthRoutes(options: HealthRoutesOptions): HealthRouter {
  const { isReady, metrics, readyTimeoutMs = 2000 } = options;
  let shuttingDown = false;
  const router = Router() as HealthRouter;
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
    const ready = !shuttingDown && (await withTimeout(isReady, readyTimeoutMs)) && !shuttingDown;
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'not ready' });
  });

  router.get('/metrics', async (_req: Request, res: Response) => {
    const text = await metrics.render();
    res.set('Content-Type', metrics.contentType).set('Cache-Control', 'no-store').send(text);
  });

  return router;
}

/** False when the check throws or takes too long. */
async function withTimeout(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check().then((ready) => ready === true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
