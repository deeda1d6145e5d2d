import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { FORM, slackSignature, slashCommandBody, waitFor } from '../helpers/slack-requests';

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
    const body = slashCommandBody(
      '/anything',
      'status no-such-context',
      'U0ANA',
      `${slack.url}/respond/serve-1`,
    );
    const response = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...slackSignature('serve-secret', body) },
      body,
    });
    assert.equal(response.status, 200);
    const answer = await waitFor('the status answer', () =>
      slack.requests.find((r) => r.path === '/respond/serve-1'),
    );
    assert.equal(
      (answer.json as { text: string }).text,
      'No context "no-such-context" is known to slackline.',
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /slackline_requests_total\{type="slash_command",outcome="ok"\} 1/);
  });

  it('shuts down gracefully on SIGTERM, exiting 0', async function () {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(logs, /"msg":"shut down"/);
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
