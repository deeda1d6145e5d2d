import type { Request, Response, Router } from 'express';
import { expressRouter } from '../express-app';
import type { GatewayEnv } from '../gateway-env';
import { readRawBody } from '../read-raw-body';
import { readRunEvent } from './read-run-event';
import type { RunCardService } from './run-card-service';
import { presentedToken, sameToken } from './presented-token';
import { BadCloudEvent, readTektonCloudEvent } from './tekton-cloud-event';

/** Where Tekton's CloudEvents sink points (docs/run-card.md). */
export const TEKTON_EVENTS_PATH = '/tekton/events';

/**
 * Tekton Pipelines' CloudEvents about PipelineRuns and TaskRuns, for the run cards. A PipelineRun object with its
 * status can be large, so the limit is the interceptors' (a multiple of maxBodyBytes). Answers 202 when the
 * event is recorded, 4xx with a JSON error when it never will be, 503 when the store failed (Tekton's sender
 * retries).
 */
export function tektonEventsRouter(env: GatewayEnv, service: RunCardService): Router {
  const router = expressRouter();
  const limit = Math.max(4 * env.config.maxBodyBytes, 1024 * 1024);
  router.post(
    TEKTON_EVENTS_PATH,
    readRawBody(limit, () => undefined),
    (req, res) => receive(env, service, req, res),
  );
  return router;
}

async function receive(env: GatewayEnv, service: RunCardService, req: Request, res: Response): Promise<void> {
  const refusal = refuse(env, req);
  if (refusal) {
    res.status(refusal.status).json({ error: refusal.error });
    return;
  }
  let run;
  try {
    run = readRunEvent(readTektonCloudEvent(req.headers, req.body as Buffer));
  } catch (error) {
    if (!(error instanceof BadCloudEvent)) throw error;
    res.status(400).json({ error: error.message });
    return;
  }
  if (!run) {
    res.status(202).json({ outcome: 'ignored' });
    return;
  }
  try {
    const outcome = await service.apply(run);
    env.logger.debug(`run card ${run.pipelineRunName} (${run.kind} ${run.state}): ${outcome}`);
    res.status(202).json({ outcome });
  } catch (error) {
    env.logger.error(`run card ${run.pipelineRunName}: ${(error as Error).message}`);
    res.status(503).json({ error: 'the event could not be recorded; send it again' });
  }
}

function refuse(env: GatewayEnv, req: Request): { status: number; error: string } | undefined {
  const settings = env.config.runCard;
  if (settings?.token) {
    return sameToken(presentedToken(req), settings.token)
      ? undefined
      : { status: 401, error: 'a valid bearer token is required' };
  }
  if (settings?.allowUnauthenticated) return undefined;
  return {
    status: 403,
    error:
      'run cards are off: set SLACKLINE_CLOUDEVENTS_TOKEN, or runCard.allowUnauthenticated behind a NetworkPolicy',
  };
}
