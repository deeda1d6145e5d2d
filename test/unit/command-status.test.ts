import assert from 'node:assert/strict';
import { applyClick } from '../../src/core/choice/apply-click';
import type { ContextDocument } from '../../src/core/document';
import { StoreError } from '../../src/core/errors';
import { offeredChoice } from '../../src/events/offered-choice';
import { statusOf } from '../../src/gateway/command/command-status';
import type { GatewayEnv } from '../../src/gateway/gateway-env';

const AT = new Date('2024-05-01T12:00:00.000Z');

/** One choice, Dev or Prod; `inputs` declared on Prod. */
function context({
  inputs,
  approvals = 2,
}: { inputs?: unknown[]; approvals?: number } = {}): ContextDocument {
  const choice = offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'manual-choice',
    title: 'Where to?',
    choices: {
      where: {
        header: 'Where?',
        options: [
          { text: 'Dev', value: 'dev' },
          { text: 'Prod', value: 'prod', ...(inputs ? { inputs } : {}) },
        ],
      },
    },
    config: { 'approvals-needed': approvals },
    initiator: null,
    answer: { ok: true, channel: 'C1', ts: '1.000001', message: {} },
    now: AT,
  });
  return {
    state: { cicdContextDataId: 'ctx-1', cicdContextName: 'qa', offeredChoices: { [choice.id]: choice } },
  };
}

/** Only what statusOf reads: the store's load. */
const envWith = (load: (id: string) => Promise<ContextDocument | undefined>) =>
  ({ store: { load } }) as unknown as GatewayEnv;

describe('status <context-id>', function () {
  it('counts votes per option, since a quorum is reached by one option alone', async function () {
    const doc = context();
    const click = (userId: string, value: string) =>
      applyClick(doc, { userId, value, channelId: 'C1', messageTs: '1.000001', at: AT });
    assert.equal(click('U1', 'dev').kind, 'voted');
    assert.equal(click('U2', 'prod').kind, 'voted');
    const text = await statusOf(
      envWith(async () => doc),
      'ctx-1',
    );
    assert.equal(text, '*ctx-1* (qa)\n• Where to?: open (Dev: 1 of 2, Prod: 1 of 2)');
  });

  it("shows a decision's answers under it, escaped, as its message does", async function () {
    const inputs = [
      { name: 'reason', label: 'Why now?', required: true },
      { name: 'ticket', label: 'Ticket' },
    ];
    const doc = context({ inputs, approvals: 1 });
    const decided = applyClick(doc, {
      userId: 'U1',
      value: 'prod',
      channelId: 'C1',
      messageTs: '1.000001',
      at: AT,
      inputs: { reason: 'hotfix <!here> & co' },
    });
    assert.equal(decided.kind, 'decided');
    const text = await statusOf(
      envWith(async () => doc),
      'ctx-1',
    );
    // The ticket was not given: no line for it.
    assert.equal(
      text,
      '*ctx-1* (qa)\n• Where to?: decided: *Prod* by <@U1>, being delivered\n    *Why now?* hotfix &lt;!here&gt; &amp; co',
    );
  });

  it('says "no such context" for a key that is not a context document, whatever it holds', async function () {
    const env = envWith(async (id) => {
      if (id === 'not-yaml') throw new StoreError('not a document', { kind: 'not-a-document' });
      if (id === 'other-data') return { some: 'value' };
      return undefined;
    });
    for (const id of ['missing', 'not-yaml', 'other-data']) {
      assert.equal(await statusOf(env, id), `No context "${id}" is known to slackline.`);
    }
  });

  it('lets a store that cannot be reached fail as such, not as an unknown context', async function () {
    const env = envWith(async () => {
      throw new StoreError('cannot reach Redis', { kind: 'unavailable' });
    });
    await assert.rejects(statusOf(env, 'ctx-1'), /cannot reach Redis/);
  });
});
