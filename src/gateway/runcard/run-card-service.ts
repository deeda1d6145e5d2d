import { randomUUID } from 'node:crypto';
import type { GatewayEnv } from '../gateway-env';
import { cardThread } from './card-thread';
import { CardUpdater } from './card-updater';
import { mergeRunEvent, newRunCard } from './merge-run-event';
import { renderRunCard } from './render-run-card';
import type { RunCardRecord } from './run-card-record';
import { runCardOf, runCardsOf } from './run-cards-of';
import type { RunEvent } from './run-event';

/**
 * A claim on posting a card that is older than this is taken over: the replica that made it died between the
 * claim and writing the ts. (If it died after Slack took the post, that one message is posted twice.)
 */
const CLAIM_STALE_MS = 60_000;
/** A run with no context document is posted once, to the fallback channel; the claim outlives any retry. */
const ORPHAN_TTL_MS = 7 * 24 * 3_600_000;

export type RunEventOutcome =
  'not-linked' | 'posted' | 'updated' | 'being-posted' | 'no-channel' | 'not-posted' | 'no-context';

/** Keeps each linked PipelineRun's one Slack message in step with Tekton's events about it. */
export class RunCardService {
  readonly updater: CardUpdater;
  /** pipelineRunUid → contextId, for the updater, which knows a card by its run only. */
  private readonly contexts = new Map<string, string>();

  constructor(private readonly env: GatewayEnv) {
    const { intervalMs } = env.config.runCard ?? { intervalMs: 1000 };
    this.updater = new CardUpdater(
      intervalMs,
      (uid) => this.sendUpdate(uid),
      (key, ttl) => env.store.claimOnce(key, ttl),
      env.logger,
    );
  }

  async apply(event: RunEvent): Promise<RunEventOutcome> {
    const { contextId, pipelineRunUid: uid } = event;
    if (!contextId) return 'not-linked';
    const token = randomUUID();
    const now = this.env.now();
    const committed = await this.env.store.update(contextId, (doc) => {
      if (!doc) return undefined;
      const cards = runCardsOf(doc, true);
      const before = runCardOf(doc, uid);
      const card = mergeRunEvent(before ?? newRunCard(event), event);
      const claimable = !card.ts && !(card.claim && now - Date.parse(card.claim.at) < CLAIM_STALE_MS);
      if (claimable) card.claim = { token, at: new Date(now).toISOString() };
      // A repeated event changes nothing: write nothing.
      if (before && !claimable && JSON.stringify(before) === JSON.stringify(card)) return undefined;
      cards[uid] = card;
      return doc;
    });
    if (!committed) return this.postOrphan(event);
    const card = runCardOf(committed, uid);
    if (!card) return 'not-posted';
    this.contexts.set(uid, contextId);
    if (card.ts) {
      this.updater.schedule(uid);
      return 'updated';
    }
    if (card.claim?.token !== token) return 'being-posted';
    return this.post(contextId, uid, committed, card, token);
  }

  /** Posts the card this replica claimed, records where, and lets go of the claim either way. */
  private async post(
    contextId: string,
    uid: string,
    doc: Parameters<typeof renderRunCard>[1],
    card: RunCardRecord,
    token: string,
  ): Promise<RunEventOutcome> {
    const thread = cardThread(doc, this.env.config.runCard?.channel);
    const content = renderRunCard(card, doc);
    const posted = thread && (await this.env.slack.postMessage(thread.channel, thread.threadTs, content));
    if (!thread)
      this.env.logger.warn(`run card of ${card.pipelineRun}: context ${contextId} names no Slack channel`);
    const after = await this.env.store.update(contextId, (current) => {
      const mine = runCardOf(current, uid);
      if (!current || mine?.claim?.token !== token) return undefined;
      runCardsOf(current, true)[uid] = posted
        ? { ...mine, channel: posted.channel, threadTs: thread?.threadTs ?? null, ts: posted.ts, claim: null }
        : { ...mine, claim: null };
      return current;
    });
    if (!posted) return thread ? 'not-posted' : 'no-channel';
    // Events merged while the post was on its way are shown by one update after it.
    const latest = runCardOf(after, uid);
    if (latest && after && JSON.stringify(renderRunCard(latest, after)) !== JSON.stringify(content)) {
      this.updater.schedule(uid);
    }
    return 'posted';
  }

  /**
   * A run whose context document does not exist (its init Task failed before creating it, say) still gets a
   * card when it fails, once, in the fallback channel: nothing else would tell anyone.
   */
  private async postOrphan(event: RunEvent): Promise<RunEventOutcome> {
    const channel = this.env.config.runCard?.channel;
    if (event.kind !== 'pipelinerun' || event.state !== 'failed') return 'no-context';
    if (!channel) {
      this.env.logger.warn(
        `run ${event.pipelineRunName} failed and context ${event.contextId} has no document; no fallback channel is configured`,
      );
      return 'no-channel';
    }
    if (!(await this.env.store.claimOnce(`run-card-orphan:${event.pipelineRunUid}`, ORPHAN_TTL_MS)))
      return 'being-posted';
    const card = mergeRunEvent(newRunCard(event), event);
    const posted = await this.env.slack.postMessage(channel, null, renderRunCard(card, {}));
    return posted ? 'posted' : 'not-posted';
  }

  private async sendUpdate(uid: string): Promise<void> {
    const contextId = this.contexts.get(uid);
    if (!contextId) return;
    const doc = await this.env.store.load(contextId);
    const card = runCardOf(doc, uid);
    if (!doc || !card?.ts || !card.channel) return;
    await this.env.slack.update(card.channel, card.ts, renderRunCard(card, doc));
  }
}
