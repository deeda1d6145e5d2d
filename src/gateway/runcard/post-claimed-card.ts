import type { ContextDocument } from '../../core/document';
import type { GatewayEnv } from '../gateway-env';
import { cardThread } from './card-thread';
import { renderRunCard } from './render-run-card';
import type { RunCardRecord } from './run-card-record';
import { runCardOf, runCardsOf } from './run-cards-of';
import type { RunEventOutcome } from './run-event-outcome';

export interface ClaimedCard {
  contextId: string;
  uid: string;
  /** The claim this replica committed: only its holder posts. */
  token: string;
  doc: ContextDocument;
  card: RunCardRecord;
}

/**
 * Posts the card this replica claimed, records where, and lets go of the claim either way (a later event tries
 * again when Slack refused). Resolves to whether events merged during the post need an update after it.
 */
export async function postClaimedCard(
  env: GatewayEnv,
  { contextId, uid, token, doc, card }: ClaimedCard,
): Promise<{ outcome: RunEventOutcome; stale: boolean }> {
  const thread = cardThread(doc, env.config.runCard?.channel);
  if (!thread)
    env.logger.warn(`run card of ${card.pipelineRun}: context ${contextId} names no Slack channel`);
  const content = renderRunCard(card, doc);
  const posted = thread && (await env.slack.postMessage(thread.channel, thread.threadTs, content));
  const after = await env.store.update(contextId, (current) => {
    const mine = runCardOf(current, uid);
    if (!current || !mine || mine.claim?.token !== token) return undefined;
    runCardsOf(current, true)[uid] = posted
      ? { ...mine, channel: posted.channel, threadTs: thread.threadTs, ts: posted.ts, claim: null }
      : { ...mine, claim: null };
    return current;
  });
  if (!posted) return { outcome: thread ? 'not-posted' : 'no-channel', stale: false };
  const latest = runCardOf(after, uid);
  const stale = Boolean(
    latest && after && JSON.stringify(renderRunCard(latest, after)) !== JSON.stringify(content),
  );
  return { outcome: 'posted', stale };
}
