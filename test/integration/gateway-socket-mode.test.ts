import assert from 'node:assert/strict';
import request from 'supertest';
import { FakeSocketModeSlack } from '../helpers/fake-socket-mode-slack';
import { seedContext, storedChoice } from '../helpers/seed-context';
import { GatewayProcess } from '../helpers/gateway-process';
import { redisStoreConfig } from '../helpers/store-configs';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { blockActionsPayload, viewSubmissionPayload, waitFor } from '../helpers/slack-requests';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';

const APP_TOKEN = 'xapp-1-A0TEST-socket-mode-test';
// Port 9 (discard): nothing listens there, so connecting to "Slack" is refused at once.
const UNREACHABLE_API = 'http://127.0.0.1:9/api/';

function sample(text: string, series: string): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(`${series} `))
    ?.slice(series.length + 1);
}

describe('slackline gateway in Socket Mode', function () {
  this.timeout(30_000);
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function socketGateway(apiUrl: string): TestGateway {
    const gateway = buildTestGateway(
      testGatewayConfig({ slack: { signingSecrets: [], appToken: APP_TOKEN, socketMode: true, apiUrl } }),
    );
    cleanup.push(() => gateway.close());
    return gateway;
  }

  async function readiness(gateway: TestGateway): Promise<{ status: number; reason?: string }> {
    const res = await request(gateway.app).get('/readyz');
    return { status: res.status, reason: (res.body as { reason?: string }).reason };
  }

  it('takes Slack traffic over the WebSocket only: the express app serves health and metrics, no Slack endpoint', async function () {
    const gateway = socketGateway(UNREACHABLE_API);
    assert.equal((await request(gateway.app).get('/healthz')).status, 200);
    assert.equal((await request(gateway.app).post('/slack/events').send('payload={}')).status, 404);
  });

  it('with Slack unreachable: alive, serving metrics, and not ready, saying why; it keeps trying', async function () {
    const gateway = socketGateway(UNREACHABLE_API);
    assert.equal((await request(gateway.app).get('/healthz')).status, 200);
    const failed = await waitFor('the first attempt to fail', async () => {
      const ready = await readiness(gateway);
      return ready.reason !== undefined && !/not connected yet/.test(ready.reason) && ready;
    });
    assert.equal(failed.status, 503);
    assert.match(failed.reason ?? '', /^Slack Socket Mode is not connected: /);
    assert.ok(!failed.reason?.includes(APP_TOKEN));
    const metrics = await request(gateway.app).get('/metrics');
    assert.equal(metrics.status, 200);
    await waitFor('a second attempt, after the backoff', async () => {
      const text = await gateway.env.metrics.render();
      return (
        Number(sample(text, 'slackline_dependency_failures_total{dependency="slack",kind="socket"}')) >= 2
      );
    });
  });

  it('with Slack refusing apps.connections.open (a bad app token): not ready, with Slack’s error, retried', async function () {
    const slack = new FakeSocketModeSlack();
    await slack.start();
    cleanup.push(() => slack.stop());
    slack.openAnswer = { error: 'invalid_auth' };
    const gateway = socketGateway(slack.apiUrl);
    await waitFor('two refused attempts', () => slack.opens.length >= 2);
    assert.equal(slack.opens[0]?.authorization, `Bearer ${APP_TOKEN}`);
    const ready = await readiness(gateway);
    assert.equal(ready.status, 503);
    assert.match(ready.reason ?? '', /Socket Mode is not connected: .*invalid_auth/);
    assert.equal((await request(gateway.app).get('/healthz')).status, 200);

    // The token is fixed: the next attempt connects, and the gateway becomes ready.
    slack.openAnswer = 'open';
    await waitFor('ready', async () => (await readiness(gateway)).status === 200, 15_000);
  });

  it('is ready once connected, takes a click over the socket (acked, timed), and reconnects after a drop', async function () {
    const slack = new FakeSocketModeSlack();
    await slack.start();
    cleanup.push(() => slack.stop());
    const gateway = socketGateway(slack.apiUrl);
    await waitFor('ready', async () => (await readiness(gateway)).status === 200);
    assert.equal(slack.connections, 1);

    const envelope = slack.send(
      'interactive',
      blockActionsPayload({
        channelId: 'CSOCKET',
        messageTs: '1710000000.000300',
        value: 'unknown-choice',
        userId: 'USOCKET',
        responseUrl: 'http://127.0.0.1:9/respond',
      }),
    );
    await waitFor('the ack', () => slack.received.find((message) => message['envelope_id'] === envelope));
    const text = await gateway.env.metrics.render();
    assert.equal(sample(text, 'slackline_ack_seconds_count{type="block_actions"}'), '1');

    slack.drop();
    const down = await waitFor('not ready after the drop', async () => {
      const ready = await readiness(gateway);
      return ready.status === 503 && ready;
    });
    assert.match(down.reason ?? '', /Socket Mode is not connected/);
    await waitFor('ready again', async () => (await readiness(gateway)).status === 200, 15_000);
    assert.equal(slack.connections, 1);
  });

  it('opens the modal of an option with inputs over the socket, and answers its submission in the ack', async function () {
    const slack = new FakeSocketModeSlack();
    await slack.start();
    cleanup.push(() => slack.stop());
    const gateway = socketGateway(slack.apiUrl);
    const [choice] = await seedContext(gateway.env.store, {
      contextId: 'socket-dialog',
      choices: [
        {
          channel: 'CSOCKET',
          ts: '1710000000.000400',
          options: [
            { text: 'Reject', value: 'reject', inputs: [{ name: 'reason', label: 'Why?', required: true }] },
          ],
        },
      ],
    });
    assert.ok(choice);
    await waitFor('ready', async () => (await readiness(gateway)).status === 200);
    const click = slack.send(
      'interactive',
      blockActionsPayload({
        channelId: choice.channel,
        messageTs: choice.ts,
        value: 'reject',
        userId: 'USOCKET',
        responseUrl: 'http://127.0.0.1:9/respond',
      }),
    );
    await waitFor('the ack', () => slack.received.find((message) => message['envelope_id'] === click));
    const opened = slack.calls.find((c) => c.method === 'views.open');
    assert.ok(opened, 'views.open was called before the click was acked');
    const view = opened.body['view'] as Record<string, unknown>;
    assert.equal(view['callback_id'], 'slackline-choice-inputs');

    const ackOf = async (payload: object) => {
      const envelope = slack.send('interactive', payload);
      const ack = await waitFor('the ack', () => slack.received.find((m) => m['envelope_id'] === envelope));
      return ack['payload'];
    };
    assert.deepEqual(await ackOf(viewSubmissionPayload({ view, userId: 'USOCKET', answers: {} })), {
      response_action: 'errors',
      errors: { 'input:reason': 'This is required.' },
    });
    assert.equal((await storedChoice(gateway.env.store, choice))?.status, 'open');
    await ackOf(viewSubmissionPayload({ view, userId: 'USOCKET', answers: { 'input:reason': 'flaky' } }));
    const decided = await waitFor('the decision', async () => {
      const record = await storedChoice(gateway.env.store, choice);
      return record?.status === 'decided' && record;
    });
    assert.deepEqual(decided.decision.inputs, { reason: 'flaky' });
  });

  describe('slackline serve (the built process)', function () {
    const prefix = uniqueKeyPrefix('socket');
    let redisUrl: string;
    before(async () => (redisUrl = await testRedisUrl()));
    after(async () => flushTestKeys(redisUrl, prefix));

    it('listens, and answers /healthz and /readyz, while Slack cannot be reached', async function () {
      // No stand-ins: Slack and the EventListener are where nothing listens.
      const gateway = new GatewayProcess({
        store: redisStoreConfig(redisUrl, prefix),
        env: {
          SLACK_SOCKET_MODE: 'true',
          SLACK_APP_TOKEN: APP_TOKEN,
          SLACK_BOT_TOKEN: 'xoxb-socket-serve',
          SLACK_API_URL: UNREACHABLE_API,
        },
      });
      cleanup.push(() => gateway.kill());
      await gateway.start();
      assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
      const ready = await fetch(`${gateway.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.match(((await ready.json()) as { reason: string }).reason, /Socket Mode is not connected/);
      assert.equal((await fetch(`${gateway.url}/metrics`)).status, 200);
      assert.ok(gateway.running, gateway.log);
    });
  });
});
