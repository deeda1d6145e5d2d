import { randomUUID } from 'node:crypto';
import type { GatewayEnv } from '../gateway-env';
import { CardUpdater } from './card-updater';
import { mergeRunEvent, newRunCard } from './merge-run-event';
import { postClaimedCard } from './post-claimed-card';
import { postOrphanCard } from './post-orphan-card';
import { renderRunCard } from './render-run-card';
import { runCardOf, runCardsOf } from './run-cards-of';
import type { RunEvent } from './run-event';
import type { RunEventOutcome } from './run-event-outcome';

/**
 * A claim on posting a card that is older than this is taken over: the replica that made it died between the
 * claim and writing the ts. (If it died after Slack took the post, that one message is posted twice.)
 */
const CLAIM_STALE_MS = 60_000;
/** Runs this process remembers the context of, for its updates; the oldest are forgotten first. */
const REMEMBERED_RUNS = 10_000;

/** Keeps each linked PipelineRun's one Slack message in step with Tekton's events about it. */
export class RunCardService {
  readonly updater: CardUpdater;
  /** pipelineRunUid → contextId, for the updater, which knows a card by its run only. */
  private readonly contexts = new Map<string, string>();

  constructor(private readonly env: GatewayEnv) {
    const { intervalMs } = env.config.runCard ?? { intervalMs: 1000 };
    const slot = (key: string, ttlMs: number) => env.store.claimOnce(key, ttlMs);
    this.updater = new CardUpdater(intervalMs, (uid) => this.sendUpdate(uid), slot, env.logger);
  }

  /** Records the event on its card, in the store; then posts the card, or has the updater update it. */
  async apply(event: RunEvent): Promise<RunEventOutcome> {
    const { contextId, pipelineRunUid: uid } = event;
    if (!contextId) return 'not-linked';
    const token = randomUUID();
    const now = this.env.now();
    const doc = await this.env.store.update(contextId, (current) => {
      if (!current) return undefined;
      const before = runCardOf(current, uid);
      const card = mergeRunEvent(before ?? newRunCard(event), event);
      const claimable = !card.ts && !(card.claim && now - Date.parse(card.claim.at) < CLAIM_STALE_MS);
      if (claimable) card.claim = { token, at: new Date(now).toISOString() };
      // A repeated event changes nothing: write nothing.
      if (before && !claimable && JSON.stringify(before) === JSON.stringify(card)) return undefined;
      runCardsOf(current, true)[uid] = card;
      return current;
    });
    if (!doc) return postOrphanCard(this.env, event);
    const card = runCardOf(doc, uid);
    if (!card) return 'not-posted';
    this.remember(uid, contextId);
    if (card.ts) {
      this.updater.schedule(uid);
      return 'updated';
    }
    if (card.claim?.token !== token) return 'being-posted';
    const { outcome, stale } = await postClaimedCard(this.env, { contextId, uid, token, doc, card });
    // Events merged while the post was on its way are shown by one update after it.
    if (stale) this.updater.schedule(uid);
    return outcome;
  }

  private remember(uid: string, contextId: string): void {
    this.contexts.delete(uid);
    this.contexts.set(uid, contextId);
    if (this.contexts.size > REMEMBERED_RUNS)
      this.contexts.delete(this.contexts.keys().next().value as string);
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
