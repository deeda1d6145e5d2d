import assert from 'node:assert/strict';
import { FakeSlack } from '../helpers/fake-slack';
import { GatewayHarness, seedContext, storedChoice, type SeededChoice } from '../helpers/gateway-harness';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { ScriptedEventListener, type ListenerAnswer } from '../helpers/scripted-event-listener';
import { waitFor } from '../helpers/slack-requests';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TIMEOUT_MS = 400;
const ATTEMPTS = 3;

describe('fault: the EventListener fails, hangs or resets the connection', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  const listener = new ScriptedEventListener();
  let url: string;
  let prefix: string;
  let gateway: GatewayHarness;

  before(async function () {
    await slack.start();
    await listener.start();
    url = await testRedisUrl();
    prefix = uniqueKeyPrefix('fault-el');
    gateway = new GatewayHarness({
      store: { type: 'redis', url, keyPrefix: prefix },
      slackUrl: slack.url,
      listenerUrl: listener.url,
      forwardTimeoutMs: TIMEOUT_MS,
      forwardAttempts: ATTEMPTS,
    });
    await gateway.listen();
  });

  after(async function () {
    await gateway.close();
    await flushTestKeys(url, prefix);
    await slack.stop();
    await listener.stop();
  });

  let seq = 0;
  async function offer(): Promise<SeededChoice> {
    seq++;
    const [choice] = await seedContext(gateway.store, {
      contextId: `fault-el-${seq}`,
      choices: [{ channel: 'C0FAULT', ts: `1700000${seq}.000100` }],
    });
    return choice!;
  }
  const updatesOf = (ts: string) =>
    slack.requests.filter((r) => r.path === '/api/chat.update' && (r.json as Doc).ts === ts);
  const click = (choice: SeededChoice, tag: string) =>
    gateway.click({
      channelId: choice.channel,
      messageTs: choice.ts,
      value: choice.values[0] as string,
      userId: 'U0ANA',
      responseUrl: `${slack.url}/respond/${tag}`,
    });

  const cases: Array<{ name: string; answers: ListenerAnswer[]; attempts: number; error: RegExp }> = [
    {
      name: 'answers 500 (not retried: the EventListener saw it)',
      answers: [{ status: 500 }],
      attempts: 1,
      error: /^the EventListener answered 500$/,
    },
    {
      name: 'hangs past the forwarding timeout (not retried: it may have acted)',
      answers: ['hang'],
      attempts: 1,
      error: new RegExp(`no answer within ${TIMEOUT_MS / 1000} s`),
    },
    {
      name: 'resets every connection (retried, then given up)',
      answers: Array.from({ length: ATTEMPTS }, () => 'reset' as const),
      attempts: ATTEMPTS,
      error: new RegExp(`connection (reset|closed before an answer) \\(${ATTEMPTS} attempts\\)`),
    },
  ];

  for (const scenario of cases) {
    it(`${scenario.name}: recorded as failed with the error, shown as failed, a later click redelivers once`, async function () {
      const choice = await offer();
      listener.answerNext(...scenario.answers);
      assert.equal((await click(choice, `el-${seq}-a`)).status, 200);

      const failed = await waitFor('the delivery-failed update', () => updatesOf(choice.ts)[0]);
      assert.match((failed.json as Doc).text, /delivery failed/);
      const record = await waitFor('the failed delivery record', async () => {
        const c = await storedChoice(gateway.store, choice);
        return c?.decision?.delivery?.status === 'failed' && c;
      });
      assert.match(record.decision.delivery.error, scenario.error);
      assert.equal(record.decision.delivery.eventId, undefined);
      const actions = (record.audit as Doc[]).map((a) => a.action);
      assert.deepEqual(actions, ['decided', 'delivery-failed']);
      assert.match((record.audit as Doc[])[1]!.error, scenario.error);
      const attempts = listener.forwardsOf(choice.choiceId);
      assert.equal(attempts.length, scenario.attempts, 'attempts seen by the EventListener');
      assert.ok(
        attempts.every((r) => r.eventId === null),
        'none of them was answered as accepted',
      );

      // The user clicks again: one more delivery, with the same event id, and it is recorded.
      assert.equal((await click(choice, `el-${seq}-b`)).status, 200);
      const delivered = await waitFor('the redelivery', async () => {
        const c = await storedChoice(gateway.store, choice);
        return c?.decision?.delivery?.status === 'delivered' && c;
      });
      const forwards = listener.forwardsOf(choice.choiceId);
      assert.equal(forwards.length, scenario.attempts + 1, 'exactly one more request');
      const accepted = forwards.filter((r) => r.eventId !== null);
      assert.equal(accepted.length, 1);
      assert.equal(delivered.decision.delivery.eventId, accepted[0]!.eventId);
      assert.equal(new Set(forwards.map((r) => (r.json as Doc).id)).size, 1, 'one event id throughout');
      assert.deepEqual(
        (delivered.audit as Doc[]).map((a) => a.action),
        ['decided', 'delivery-failed', 'redeliver', 'delivered'],
      );
      const shown = await waitFor('the decided update', () => updatesOf(choice.ts)[1]);
      assert.match(
        (shown.json as Doc).text,
        new RegExp(`chose \\*Approve\\* · event ${accepted[0]!.eventId}`),
      );

      // A third click changes nothing.
      assert.equal((await click(choice, `el-${seq}-c`)).status, 200);
      await waitFor('the refusal', () => slack.requests.find((r) => r.path === `/respond/el-${seq}-c`));
      assert.equal(listener.forwardsOf(choice.choiceId).length, scenario.attempts + 1);
    });
  }
});
