import { offeredChoice } from '../src/events/offered-choice';
import type { RedisStore } from '../src/store/redis/redis-store';
import type { FakeSlack } from '../test/helpers/fake-slack';
import { blockActionsPayload, FORM, interactionBody, slackSignature } from '../test/helpers/slack-requests';
import type { Click } from './load-generator';

export const CHANNEL = 'C0BENCH';
export const SECRET = 'bench-signing-secret';

/** One open choice per click, each in its own context document, indexed by its message; and its signed click. */
export async function seedClicks(store: RedisStore, slack: FakeSlack, total: number): Promise<Click[]> {
  const now = new Date();
  const clicks: Click[] = [];
  const seeded: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const ts = `1800000000.${String(i + 1).padStart(6, '0')}`;
    seeded.push(seedChoice(store, `bench-${i}`, ts, now));
    const body = interactionBody(
      blockActionsPayload({
        channelId: CHANNEL,
        messageTs: ts,
        value: 'go',
        userId: 'U0BENCH',
        text: 'Go',
        responseUrl: `${slack.url}/respond/${i}`,
      }),
    );
    // Signed now: the bench takes far less than Slack's five minutes.
    const headers = {
      'content-type': FORM,
      'content-length': String(Buffer.byteLength(body)),
      ...slackSignature(SECRET, body),
    };
    clicks.push({ ts, body, headers });
  }
  await Promise.all(seeded);
  return clicks;
}

async function seedChoice(store: RedisStore, contextId: string, ts: string, now: Date): Promise<void> {
  const choice = offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'manual-choice',
    title: `Deploy ${contextId}?`,
    choices: { deploy: { header: 'Deploy?', options: [{ text: 'Go', value: 'go', style: 'primary' }] } },
    config: { 'approvals-needed': 1 },
    initiator: null,
    answer: { ok: true, channel: CHANNEL, ts, message: { type: 'message', ts } },
    now,
  });
  await store.update(contextId, () => ({
    state: {
      cicdContextDataId: contextId,
      cicdContextName: 'bench',
      offeredChoices: { [choice.id]: choice },
    },
  }));
  await store.indexMessage(CHANNEL, ts, contextId);
}
