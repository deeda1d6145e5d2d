import type { GatewayEnv } from '../gateway-env';
import { mergeRunEvent, newRunCard } from './merge-run-event';
import { renderRunCard } from './render-run-card';
import type { RunEvent } from './run-event';
import type { RunEventOutcome } from './run-event-outcome';

/** The claim outlives any resend of the event by Tekton. */
const ORPHAN_TTL_MS = 7 * 24 * 3_600_000;

/**
 * A run whose context document does not exist (its init Task failed before creating it, say) still gets a
 * card when it fails, once, in the fallback channel: nothing else would tell anyone. There is no document to
 * keep its ts in, so it is not updated afterwards; it is final already.
 */
export async function postOrphanCard(env: GatewayEnv, event: RunEvent): Promise<RunEventOutcome> {
  if (event.kind !== 'pipelinerun' || event.state !== 'failed') return 'no-context';
  const channel = env.config.runCard?.channel;
  if (!channel) {
    env.logger.warn(
      `run ${event.pipelineRunName} failed, its context ${event.contextId} has no document and no fallback channel is set`,
    );
    return 'no-channel';
  }
  if (!(await env.store.claimOnce(`run-card-orphan:${event.pipelineRunUid}`, ORPHAN_TTL_MS)))
    return 'being-posted';
  const posted = await env.slack.postMessage(
    channel,
    null,
    renderRunCard(mergeRunEvent(newRunCard(event), event), {}),
  );
  return posted ? 'posted' : 'not-posted';
}
