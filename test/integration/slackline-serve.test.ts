import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeSlack } from '../helpers/fake-slack';
import { seedContext, storedChoice } from '../helpers/seed-context';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { FakeEventListener } from '../helpers/fake-event-listener';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  slashCommandBody,
  waitFor,
} from '../helpers/slack-requests';
import { redisStoreConfig } from '../helpers/store-configs';

const SLACKLINE = resolve(__dirname, '../../dist/slackline.js');

describe('slackline serve (the built gateway process)', function () {
  this.timeout(30_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let child: ChildProcess;
  let base: string;
  let logs = '';
  let exited: Promise<number | null>;
  let url: string;
  const prefix = uniqueKeyPrefix('serve');

  before(async function () {
    await slack.start();
    await listener.start();
    url = await testRedisUrl();
    child = spawn(process.execPath, [SLACKLINE, 'serve'], {
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        SLACK_SIGNING_SECRET: 'serve-secret',
        SLACK_BOT_TOKEN: 'xoxb-serve',
        SLACK_API_URL: `${slack.url}/api/`,
        REDIS_URL: url,
        SLACKLINE_KEY_PREFIX: prefix,
        SLACKLINE_EVENT_LISTENER_URL: `${listener.url}/default`,
      },
    });
    exited = new Promise((done) => child.on('exit', (code) => done(code)));
    child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const line = await waitFor('the listening log line', () =>
      logs.split('\n').find((l) => l.includes('"msg":"slackline listening"')),
    );
    base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  });

  after(async function () {
    if (child.exitCode === null) child.kill('SIGKILL');
    await flushTestKeys(url, prefix);
    await slack.stop();
    await listener.stop();
  });

  it('logs JSON lines naming where it listens and its store', function () {
    const line = JSON.parse(logs.split('\n').find((l) => l.includes('slackline listening')) as string);
    assert.equal(line.level, 'info');
    assert.equal(line.endpoint, '/slack/events');
    assert.match(line.store, /^redis 127\.0\.0\.1:\d+ db 0$/);
    assert.ok(!logs.includes('serve-secret') && !logs.includes('xoxb-serve'), 'no secret in the logs');
  });

  it('answers /healthz, /readyz (Redis reachable) and /metrics', async function () {
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /slackline_requests_total/);
    assert.match(metrics, /slackline_forward_duration_seconds/);
  });

  it('serves a signed slash command and counts it', async function () {
    const body = slashCommandBody('/anything', 'whatever it says', 'U0ANA', `${slack.url}/respond/serve-1`);
    const response = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...slackSignature('serve-secret', body) },
      body,
    });
    assert.equal(response.status, 200);
    const answer = await waitFor('the status answer', () =>
      slack.requests.find((r) => r.path === '/respond/serve-1'),
    );
    assert.equal((answer.json as { text: string }).text, 'slackline has no command /anything configured.');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /slackline_requests_total\{type="slash_command",outcome="ok"\} 1/);
  });

  it('on SIGTERM, finishes the clicks it acknowledged (forward, record, chat.update), then exits 0', async function () {
    const store = new RedisStore(redisStoreConfig(url, prefix));
    try {
      const [choice] = await seedContext(store, {
        contextId: 'serve-shutdown',
        choices: [{ channel: 'C0SERVE', ts: '1700000000.000900' }],
      });
      assert.ok(choice);
      // The EventListener is asked while the gateway is told to stop, and answers half a second later: by then
      // the click's HTTP request is long answered, and only the work after the ack is left.
      listener.answerNext({
        status: 202,
        before: async () => {
          child.kill('SIGTERM');
          await new Promise((resolve) => setTimeout(resolve, 500));
        },
      });
      const body = interactionBody(
        blockActionsPayload({
          channelId: choice.channel,
          messageTs: choice.ts,
          value: choice.values[0] as string,
          userId: 'U0ANA',
          responseUrl: `${slack.url}/respond/serve-2`,
        }),
      );
      const ack = await fetch(`${base}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...slackSignature('serve-secret', body) },
        body,
      });
      assert.equal(ack.status, 200);
      assert.equal(await exited, 0);
      assert.match(logs, /"msg":"shut down"/);
      const record = await storedChoice(store, choice);
      assert.equal(record?.decision?.delivery?.status, 'delivered');
      assert.equal(record?.decision?.delivery?.eventId, listener.forwardsOf(choice.choiceId)[0]?.eventId);
      assert.ok(
        slack.requests.some((r) => r.path === '/api/chat.update'),
        'the message was updated',
      );
    } finally {
      await store.close();
    }
  });
});

describe('slackline serve with a bad configuration', function () {
  it('exits 1 with one line listing every problem', async function () {
    const child = spawn(process.execPath, [SLACKLINE, 'serve'], {
      env: { PATH: process.env.PATH, PORT: 'eighty' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.on('exit', done));
    assert.equal(code, 1);
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(
      lines[0] as string,
      /^slackline: error: .*PORT.*signing secret is required.*bot token is required/,
    );
  });
});
