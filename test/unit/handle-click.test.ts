import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { applyClick } from '../../src/core/choice/apply-click';
import type { ContextDocument } from '../../src/core/document';
import { offeredChoice } from '../../src/events/offered-choice';
import { handleClick } from '../../src/gateway/click/handle-click';
import type { SlackClick } from '../../src/gateway/click/slack-click';
import type { GatewayEnv } from '../../src/gateway/gateway-env';
import { createJsonLogger } from '../../src/gateway/json-logger';
import { createMetrics } from '../../src/gateway/metrics';
import { leaseMs } from '../../src/gateway/outbox/lease-ms';
import type { OutboxSchedule } from '../../src/store/intake-log';
import { testGatewayConfig } from '../helpers/test-gateway';

const CHANNEL = 'C0DEPLOYS';
const TS = '1714564800.000100';
const NOW = Date.parse('2024-05-01T12:00:00.000Z');

/** A context whose choice is decided and not yet delivered: another worker is forwarding it right now. */
function decidedDocument(): ContextDocument {
  const choice = offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'default',
    title: 'Deploy 1.0.0?',
    choices: { where: { header: 'Where to?', options: [{ text: 'Prod', value: 'prod', style: 'danger' }] } },
    config: {},
    initiator: null,
    answer: { ok: true, channel: CHANNEL, ts: TS, message: {} },
    now: new Date(NOW),
  });
  const doc: ContextDocument = {
    state: { cicdContextDataId: 'ctx-1', offeredChoices: { [choice.id]: choice } },
  };
  const decided = applyClick(doc, {
    userId: 'U1',
    channelId: CHANNEL,
    messageTs: TS,
    value: 'prod',
    at: new Date(NOW + 1000),
  });
  assert.equal(decided.kind, 'decided');
  return doc;
}

const CLICK: SlackClick = {
  type: 'block_actions',
  value: 'prod',
  userId: 'U2',
  userName: null,
  username: null,
  teamId: null,
  channelId: CHANNEL,
  messageTs: TS,
  threadTs: null,
  responseUrl: 'https://hooks.slack.test/respond',
  triggerId: null,
  message: null,
};

/** Just what handleClick reaches: a store holding one document, Slack recording what the user is told. */
function envWith(doc: ContextDocument, told: string[]): GatewayEnv {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return {
    config: testGatewayConfig({}),
    store: {
      findMessage: async () => 'ctx-1',
      update: async (_id: string, change: (d: ContextDocument) => ContextDocument | undefined) =>
        change(doc) ?? doc,
    },
    slack: { ephemeral: async (_url: string, text: string) => void told.push(text) },
    logger: createJsonLogger('error', sink),
    metrics: createMetrics(),
    now: () => NOW + 2000,
  } as unknown as GatewayEnv;
}

describe('handleClick', function () {
  it('decides a click against the context its entry names, without asking the message index again', async function () {
    const told: string[] = [];
    const env = envWith(decidedDocument(), told);
    (env.store as { findMessage: unknown }).findMessage = async () =>
      assert.fail('the index was asked again');
    const acks: (OutboxSchedule | undefined)[] = [];
    await handleClick(env, { ...CLICK, userId: 'U3' }, async (schedule) => void acks.push(schedule), 'ctx-1');
    assert.equal(told.length, 1);
    assert.match(told[0] ?? '', /was decided \("Prod"\) and is being sent on right now/);
    assert.deepEqual(JSON.parse(acks[0]?.ref ?? 'null').slice(0, 2), ['choice', 'ctx-1']);
  });

  it('a click on a choice being delivered puts it in the outbox only after the lease, if nobody has', async function () {
    const told: string[] = [];
    const env = envWith(decidedDocument(), told);
    const acks: (OutboxSchedule | undefined)[] = [];
    await handleClick(env, CLICK, async (schedule) => void acks.push(schedule));
    assert.deepEqual(told, [
      '"Deploy 1.0.0?" was decided ("Prod") and is being sent on right now; nothing more was done.',
    ]);
    // Due at once, it would be sent by a sweeper beside the worker that decided it and is sending it now.
    assert.equal(acks.length, 1);
    assert.equal(acks[0]?.onlyIfAbsent, true);
    assert.equal(acks[0]?.delayMs, leaseMs(env));
    assert.deepEqual(JSON.parse(acks[0]?.ref ?? 'null').slice(0, 2), ['choice', 'ctx-1']);
  });
});
