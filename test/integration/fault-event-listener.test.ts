import assert from 'node:assert/strict';
import { FakeSlack } from '../helpers/fake-slack';
import { seedContext, storedChoice, type SeededChoice } from '../helpers/seed-context';
import { redisStoreConfig } from '../helpers/store-configs';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { waitFor } from '../helpers/slack-requests';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TIMEOUT_MS = 400;

describe('fault: the EventListener fails, hangs or resets the connection', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  let gateway: TestGateway;
  // Tekton's way: the sink answers, then the trigger's interceptor (the gateway's own) decides what runs.
  const listener = new FakeEventListener({
    interceptorUrl: 'http://127.0.0.1:0/',
    trigger: 'namespaces/ci/triggers/approvals',
  });
  let url: string;
  let prefix: string;

  before(async function () {
    await slack.start();
    await listener.start();
    url = await testRedisUrl();
    prefix = uniqueKeyPrefix('fault-el');
    gateway = buildTestGateway(
      testGatewayConfig(
        { store: redisStoreConfig(url, prefix), forwarding: { timeoutMs: TIMEOUT_MS } },
        { slack, listener },
      ),
    );
    await gateway.listen();
    listener.interceptWith(`${gateway.url}/interceptor/cluster`);
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

  const cases: Array<{ name: string; fault: () => void; error: RegExp }> = [
    {
      name: 'resets the connection after reading the body (it may have acted)',
      fault: () => listener.answerNext('reset'),
      error: /connection (reset|closed before an answer)/,
    },
    {
      name: 'hangs past the forwarding timeout (it may have acted)',
      fault: () => listener.answerNext('hang'),
      error: new RegExp(`no answer within ${TIMEOUT_MS / 1000} s`),
    },
    {
      name: 'answers 503 for 1.5 s (no pod ready behind it)',
      fault: () => listener.unavailableFor(1500),
      error: /^the EventListener answered 503$/,
    },
    {
      name: 'answers 500 once',
      fault: () => listener.answerNext({ status: 500 }),
      error: /^the EventListener answered 500$/,
    },
  ];

  for (const scenario of cases) {
    it(`${scenario.name}: redelivered with one idempotency key, passes the interceptor once, never marked failed`, async function () {
      const choice = await offer();
      scenario.fault();
      assert.equal((await click(choice, `el-${seq}-a`)).status, 200);

      const pending = await waitFor('the not-yet-delivered update', () =>
        updatesOf(choice.ts).find((u) => /not delivered yet/.test((u.json as Doc).text)),
      );
      assert.match(
        (pending.json as Doc).text,
        scenario.error.source.startsWith('^') ? /answered 5\d\d/ : /./,
      );
      const delivered = await waitFor(
        'the delivery',
        async () => {
          const c = await storedChoice(gateway.store, choice);
          assert.notEqual(c?.decision?.delivery?.status, 'undelivered', 'never given up');
          return c?.decision?.delivery?.status === 'delivered' && c;
        },
        20_000,
      );
      await listener.interceptorsDone();
      const forwards = listener.forwardsOf(choice.choiceId);
      assert.ok(forwards.length >= 2, `redelivered after the fault (${forwards.length} requests)`);
      assert.equal(new Set(forwards.map((r) => (r.json as Doc).id)).size, 1, 'one event id throughout');
      assert.equal(new Set(forwards.map((r) => r.headers['idempotency-key'])).size, 1, 'one Idempotency-Key');
      assert.equal(forwards[0]!.headers['idempotency-key'], (forwards[0]!.json as Doc).id);
      assert.equal(forwards.filter((r) => r.passed).length, 1, 'the interceptor let exactly one through');
      const accepted = forwards.filter((r) => r.eventId !== null);
      assert.equal(delivered.decision.delivery.eventId, accepted.at(-1)!.eventId);
      assert.equal(delivered.decision.delivery.attempts, forwards.length);
      assert.deepEqual(
        (delivered.audit as Doc[]).map((a) => a.action),
        ['decided', 'delivered'],
      );
      const shown = await waitFor('the decided update', () =>
        updatesOf(choice.ts).find((u) => /chose \*Approve\* · event/.test((u.json as Doc).text)),
      );
      assert.match((shown.json as Doc).text, new RegExp(`event ${delivered.decision.delivery.eventId}`));

      // Another click changes nothing.
      const sent = forwards.length;
      assert.equal((await click(choice, `el-${seq}-b`)).status, 200);
      await waitFor('the refusal', () => slack.requests.find((r) => r.path === `/respond/el-${seq}-b`));
      assert.equal(listener.forwardsOf(choice.choiceId).length, sent);
    });
  }
});

describe('fault: the EventListener stays down past the delivery deadline', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let url: string;
  let prefix: string;
  let gateway: TestGateway;

  before(async function () {
    await slack.start();
    await listener.start();
    url = await testRedisUrl();
    prefix = uniqueKeyPrefix('fault-el-deadline');
    gateway = buildTestGateway(
      testGatewayConfig(
        {
          store: redisStoreConfig(url, prefix),
          forwarding: { timeoutMs: TIMEOUT_MS, deliveryDeadlineMs: 1500 },
        },
        { slack, listener },
      ),
    );
    await gateway.listen();
  });

  after(async function () {
    await gateway.close();
    await flushTestKeys(url, prefix);
    await slack.stop();
    await listener.stop();
  });

  it('records it undelivered with the reason, says so with a retry button, and a click then delivers it', async function () {
    const [choice] = await seedContext(gateway.store, {
      contextId: 'fault-el-deadline',
      choices: [{ channel: 'C0FAULT', ts: '1700000999.000100' }],
    });
    listener.unavailableFor(60_000);
    const click = (tag: string) =>
      gateway.click({
        channelId: choice!.channel,
        messageTs: choice!.ts,
        value: choice!.values[0] as string,
        userId: 'U0ANA',
        responseUrl: `${slack.url}/respond/${tag}`,
      });
    assert.equal((await click('deadline-a')).status, 200);
    const given = await waitFor('the giving up', async () => {
      const c = await storedChoice(gateway.store, choice!);
      return c?.decision?.delivery?.status === 'undelivered' && c;
    });
    assert.equal(given.decision.delivery.error, 'the EventListener answered 503');
    assert.deepEqual(
      (given.audit as Doc[]).map((a) => a.action),
      ['decided', 'undelivered'],
    );
    const shown = await waitFor('the undelivered update', () =>
      slack.requests.find(
        (r) =>
          r.path === '/api/chat.update' &&
          /not delivered \(the EventListener answered 503\); click to retry/.test((r.json as Doc).text),
      ),
    );
    const buttons = JSON.stringify((shown.json as Doc).blocks);
    assert.match(
      buttons,
      new RegExp(`"value":"${choice!.values[0]}"`),
      'the decided button is back to retry with',
    );
    const sent = listener.forwardsOf(choice!.choiceId).length;

    listener.unavailableFor(0);
    assert.equal((await click('deadline-b')).status, 200);
    const delivered = await waitFor('the redelivery', async () => {
      const c = await storedChoice(gateway.store, choice!);
      return c?.decision?.delivery?.status === 'delivered' && c;
    });
    const forwards = listener.forwardsOf(choice!.choiceId);
    assert.equal(forwards.length, sent + 1);
    assert.equal(new Set(forwards.map((r) => (r.json as Doc).id)).size, 1, 'one event id throughout');
    assert.equal(delivered.decision.delivery.eventId, forwards.at(-1)!.eventId);
  });
});
