import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { SlacklineError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { describeUrl } from '../../src/http/describe-url';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/http/http-client';
import { HttpError } from '../../src/http/http-error';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import { freePort as closedPort } from '../helpers/loopback-port';

const REPO_ROOT = resolve(__dirname, '../..');

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
}

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the POST to fail');
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=UTF-8' };

describe('HttpClient against loopback HTTP servers', function () {
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  const clients: HttpClient[] = [];
  let currentTransport: HttpClientOptions['transport'] = 'undici';
  const client = (options: HttpClientOptions = {}) => {
    const created = createHttpClient({ retryBaseDelayMs: 5, transport: currentTransport, ...options });
    clients.push(created);
    return created;
  };

  before(async () => {
    await slack.start();
    await listener.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    slack.requests.length = 0;
    listener.requests.length = 0;
  });
  after(async () => {
    await slack.stop();
    await listener.stop();
  });

  for (const transport of ['undici', 'node:http'] as const) {
    describe(`post() over ${transport}`, function () {
      before(() => (currentTransport = transport));

      it('sends the body as UTF-8, byte for byte, with the UTF-8 Content-Length', async () => {
        const body = JSON.stringify({ channel: 'C1', text: 'déployé € 🚀 日本語 Ελληνικά' });
        const response = await client().post({
          url: slack.apiUrl('chat.postMessage'),
          headers: JSON_HEADERS,
          body,
        });
        const [received] = slack.requests;
        assert.ok(received);
        const expected = Buffer.from(body, 'utf8');
        assert.ok(received.raw.equals(expected));
        assert.equal(received.headers['content-length'], String(expected.length));
        assert.notEqual(expected.length, body.length);
        assert.equal(response.status, 200);
        assert.deepEqual(
          {
            ok: (response.json as { ok: boolean }).ok,
            text: (response.json as { message: { text: string } }).message.text,
          },
          { ok: true, text: 'déployé € 🚀 日本語 Ελληνικά' },
        );
        assert.equal(response.attempts, 1);
      });

      it('passes the caller headers through unchanged', async () => {
        const headers = {
          'Content-Type': 'application/json; charset=UTF-8',
          Accept: '*/*',
          Authorization: 'Bearer xoxb-test-token',
          'Cache-Control': 'no-cache',
          Connection: 'keep-alive',
          'test-header-1': 'mySecretValue',
        };
        await client().post({ url: listener.url, headers, body: '{}' });
        const received = listener.requests[0]?.headers;
        assert.ok(received);
        assert.equal(received['content-type'], 'application/json; charset=UTF-8');
        assert.equal(received['accept'], '*/*');
        assert.equal(received['authorization'], 'Bearer xoxb-test-token');
        assert.equal(received['cache-control'], 'no-cache');
        assert.equal(received['test-header-1'], 'mySecretValue');
        // Not set by the caller: our own name, where cicdstatemgr sent python-requests' (COMPATIBILITY.md).
        assert.match(received['user-agent'] ?? '', /^cicdstatemgr\/\d+\.\d+\.\d+ \(slackline\)$/);
      });

      it('returns answers with lower-case header names and the body as text and JSON', async () => {
        const response = await client().post({ url: listener.url, headers: JSON_HEADERS, body: '{}' });
        assert.equal(response.status, 202);
        assert.match(response.headers['content-type'] ?? '', /^application\/json/);
        assert.equal(
          (response.json as { eventListenerUID: string }).eventListenerUID,
          listener.eventListenerUID,
        );
        assert.deepEqual(JSON.parse(response.text), response.json);

        slack.answerNext({ headers: { 'X-Custom-Header': 'value' }, body: 'ok' });
        const custom = await client().post({ url: `${slack.url}/respond/T1/2/x`, headers: {}, body: '' });
        assert.equal(custom.headers['x-custom-header'], 'value');
      });

      it('returns a non-JSON 2xx with json undefined', async () => {
        const response = await client().post({
          url: `${slack.url}/respond/T1/123/abc`,
          headers: JSON_HEADERS,
          body: '{}',
        });
        assert.equal(response.status, 200);
        assert.equal(response.text, 'ok');
        assert.equal(response.json, undefined);
      });

      it('returns a 500 instead of throwing, and does not retry it', async () => {
        slack.answerNext({ status: 500, body: { error: 'boom' } });
        const response = await client().post({
          url: slack.apiUrl('chat.postMessage'),
          headers: JSON_HEADERS,
          body: '{}',
        });
        assert.equal(response.status, 500);
        assert.deepEqual(response.json, { error: 'boom' });
        assert.equal(response.attempts, 1);
        assert.equal(slack.requests.length, 1);
      });

      it('waits as long as a 429 Retry-After asks, then returns the answer to the retry', async () => {
        const logger = recordingLogger();
        slack.answerNext({
          status: 429,
          headers: { 'Retry-After': '1' },
          body: { ok: false, error: 'ratelimited' },
        });
        const response = await client({ logger }).post({
          url: slack.apiUrl('chat.postMessage'),
          headers: JSON_HEADERS,
          body: '{"channel":"C1","text":"hi"}',
          purpose: 'notify default',
        });
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 2);
        const [first, second] = slack.requests;
        assert.ok(first && second && slack.requests.length === 2);
        assert.ok(
          second.receivedAtMs - first.receivedAtMs >= 900,
          `${second.receivedAtMs - first.receivedAtMs} ms`,
        );
        assert.ok(second.raw.equals(first.raw));
        assert.deepEqual(logger.warnings, [
          `notify default: POST ${slack.apiUrl('chat.postMessage')} answered 429, retrying in 1.0 s (attempt 2 of 3)`,
        ]);
      });

      it('accepts Retry-After as an HTTP-date', async () => {
        slack.answerNext({
          status: 503,
          headers: { 'Retry-After': new Date(Date.now() - 5000).toUTCString() },
        });
        const response = await client().post({
          url: slack.apiUrl('chat.postMessage'),
          headers: JSON_HEADERS,
          body: '{}',
        });
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 2);
      });

      it('returns a 429 at once when Retry-After asks for longer than maxRetryAfterMs', async () => {
        const logger = recordingLogger();
        slack.answerNext(
          { status: 429, headers: { 'Retry-After': '120' } },
          { status: 429, headers: { 'Retry-After': new Date(Date.now() + 120_000).toUTCString() } },
        );
        for (let i = 0; i < 2; i++) {
          const response = await client({ logger, maxRetryAfterMs: 30_000 }).post({
            url: slack.apiUrl('chat.postMessage'),
            headers: JSON_HEADERS,
            body: '{}',
          });
          assert.equal(response.status, 429);
          assert.equal(response.attempts, 1);
        }
        assert.equal(slack.requests.length, 2);
        assert.match(
          logger.warnings[0] ?? '',
          /answered 429 asking to wait 120 s, longer than the 30 s allowed/,
        );
      });

      it('retries a 503 with backoff, then returns the answer', async () => {
        const logger = recordingLogger();
        slack.answerNext({ status: 503, body: 'unavailable' });
        const response = await client({ logger }).post({
          url: slack.apiUrl('chat.postMessage'),
          headers: JSON_HEADERS,
          body: '{"text":"x"}',
        });
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 2);
        assert.equal(slack.requests.length, 2);
        assert.match(logger.warnings[0] ?? '', /answered 503, retrying in \d\.\d s \(attempt 2 of 3\)$/);
      });

      it('returns the last 429 or 503 once the attempts are used up', async () => {
        slack.answerNext(
          { status: 503 },
          { status: 429, headers: { 'Retry-After': '0' } },
          { status: 429, headers: { 'Retry-After': '0' }, body: { ok: false, error: 'ratelimited' } },
        );
        const response = await client().post({
          url: slack.apiUrl('chat.postMessage'),
          headers: JSON_HEADERS,
          body: '{}',
        });
        assert.equal(response.status, 429);
        assert.equal(response.attempts, 3);
        assert.deepEqual(response.json, { ok: false, error: 'ratelimited' });
        assert.equal(slack.requests.length, 3);
      });

      it('retries a refused connection, then fails naming the purpose and URL only', async () => {
        const logger = recordingLogger();
        const url = `http://127.0.0.1:${await closedPort()}/api`;
        const error = await rejection(
          client({ logger }).post({
            url,
            headers: { Authorization: 'Bearer xoxb-secret-token' },
            body: '{}',
            purpose: 'notify default',
          }),
        );
        assert.equal(error.message, `notify default: POST ${url} failed: connection refused (3 attempts)`);
        assert.ok(error instanceof SlacklineError);
        assert.equal(error.kind, 'connection');
        assert.equal(error.attempts, 3);
        assert.equal(logger.warnings.length, 2);
        assert.match(
          logger.warnings[1] ?? '',
          /failed: connection refused, retrying in \d\.\d s \(attempt 3 of 3\)$/,
        );
      });

      it('keeps credentials in the URL out of the message', async () => {
        const port = await closedPort();
        const error = await rejection(
          client({ maxAttempts: 1 }).post({
            url: `http://user:hunter2@127.0.0.1:${port}/hook?token=xoxb-123`,
            headers: {},
            body: '',
          }),
        );
        assert.equal(
          error.message,
          `POST http://127.0.0.1:${port}/hook?… failed: connection refused (1 attempt)`,
        );
      });

      it('describes a URL for logs without its credentials or a webhook secret', () => {
        assert.equal(describeUrl('https://u:pw@example.com/a/b?token=x'), 'https://example.com/a/b?…');
        assert.equal(
          describeUrl('https://hooks.slack.com/actions/T1/123/s3cr3t'),
          'https://hooks.slack.com/actions/T1/123/…',
        );
        assert.equal(describeUrl('not a url'), '"not a url"');
      });

      it('gives up without retrying when a sent request gets no answer in time', async () => {
        slack.answerNext('hang');
        const error = await rejection(
          client({ timeoutMs: 500 }).post({
            url: slack.apiUrl('chat.postMessage'),
            headers: JSON_HEADERS,
            body: '{}',
            purpose: 'notify default',
          }),
        );
        assert.equal(
          error.message,
          `notify default: POST ${slack.apiUrl('chat.postMessage')} failed: no answer within 0.5 s`,
        );
        assert.equal(error.kind, 'timeout');
        await new Promise((done) => setTimeout(done, 100)); // longer than any retry delay with a 5 ms base
        assert.equal(slack.requests.length, 1);
      });

      it('refuses a header holding a line break without sending anything, naming only the header', async () => {
        const error = await rejection(
          client().post({
            url: slack.apiUrl('chat.postMessage'),
            headers: { 'x-pipeline': 'deploy\r\nX-Injected: yes' },
            body: '{}',
            purpose: 'trigger',
          }),
        );
        assert.equal(
          error.message,
          `trigger: POST ${describeUrl(slack.apiUrl('chat.postMessage'))} failed: invalid x-pipeline header (a control character such as CR or LF in its name or value)`,
        );
        assert.equal(slack.requests.length, 0);
      });

      it('rejects a URL it cannot send to without sending anything', async () => {
        for (const url of ['not a url', 'ftp://127.0.0.1/x']) {
          const error = await rejection(
            client().post({ url, headers: {}, body: '', purpose: 'respond default' }),
          );
          assert.match(error.message, /^respond default: POST .* failed: invalid URL/);
          assert.equal(error.kind, 'invalid-url');
        }
        assert.equal(slack.requests.length, 0);
      });

      it('can be stopped while a request hangs', async () => {
        const fake = new FakeSlack();
        await fake.start();
        fake.answerNext('hang');
        const pending = client({ maxAttempts: 1 }).post({
          url: fake.apiUrl('chat.postMessage'),
          headers: {},
          body: '{}',
        });
        while (fake.requests.length === 0) await new Promise((done) => setTimeout(done, 10));
        await fake.stop();
        const error = await rejection(pending);
        assert.match(error.message, /failed: connection (closed before an answer|reset) \(1 attempt\)$/);
      });
    });
  }

  it('loads undici only when the first request is made, and never over node:http', async () => {
    const port = await closedPort();
    const run = (transport: string) => {
      const script = `
        const loaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/undici/'));
        const { createHttpClient } = require('./src/http/http-client');
        const atImport = loaded();
        const client = createHttpClient({ maxAttempts: 1, transport: '${transport}' });
        client.post({ url: 'http://127.0.0.1:${port}/', headers: {}, body: '' }).catch((error) => {
          console.log(JSON.stringify({ atImport, afterPost: loaded(), error: error.message }));
          return client.close();
        });`;
      return new Promise<string>((done, fail) =>
        execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO_ROOT }, (error, out) =>
          error ? fail(error) : done(out),
        ),
      );
    };
    const refused = `POST http://127.0.0.1:${port}/ failed: connection refused (1 attempt)`;
    assert.deepEqual(JSON.parse(await run('undici')), { atImport: false, afterPost: true, error: refused });
    assert.deepEqual(JSON.parse(await run('node:http')), {
      atImport: false,
      afterPost: false,
      error: refused,
    });
  });

  describe("fetch (for Bolt's WebClient)", function () {
    before(() => (currentTransport = 'undici'));

    it('works passed on as a plain function, as Bolt takes it', async () => {
      const { fetch, post } = client();
      const response = await fetch(slack.apiUrl('chat.update'), { method: 'POST', body: '{}' });
      assert.equal(response.status, 200);
      const posted = await post({ url: slack.apiUrl('chat.postMessage'), headers: JSON_HEADERS, body: '{}' });
      assert.equal(posted.status, 200);
    });

    it('sends a string body as UTF-8 and gives back a Response with status, headers, body and url', async () => {
      slack.answerNext({ status: 201, headers: { 'x-slack-req-id': 'r1' }, body: { ok: true, n: 'é' } });
      const url = slack.apiUrl('chat.update');
      const response = await client().fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer xoxb-1' },
        body: JSON.stringify({ text: 'déployé 🚀' }),
      });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('x-slack-req-id'), 'r1');
      assert.equal(response.url, url);
      assert.deepEqual(await response.json(), { ok: true, n: 'é' });
      const [received] = slack.requests;
      assert.equal(received?.method, 'POST');
      assert.equal(received?.headers['authorization'], 'Bearer xoxb-1');
      assert.ok(received?.raw.equals(Buffer.from(JSON.stringify({ text: 'déployé 🚀' }), 'utf8')));
    });

    it('sends URLSearchParams as a form, and gives a 204 an empty body', async () => {
      slack.answerNext({ status: 204 });
      const response = await client().fetch(slack.apiUrl('chat.update'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel: 'C1', text: 'a b&c' }),
      });
      assert.equal(response.status, 204);
      assert.equal(await response.text(), '');
      assert.equal(slack.requests[0]?.raw.toString('utf8'), 'channel=C1&text=a+b%26c');
    });

    it("hands a multipart form to Node's fetch, which encodes it", async () => {
      const form = new FormData();
      form.append('channels', 'C1');
      form.append('file', new Blob(['file body']), 'notes.txt');
      const response = await client().fetch(slack.apiUrl('files.upload'), { method: 'POST', body: form });
      assert.equal(response.status, 200);
      const received = slack.requests[0];
      assert.match(String(received?.headers['content-type']), /^multipart\/form-data; boundary=/);
      assert.match(received?.raw.toString('utf8') ?? '', /filename="notes.txt"[\s\S]*file body/);
    });

    it("gives up when no answer comes within the client's timeout, with no signal of its own", async () => {
      slack.answerNext('hang');
      const started = Date.now();
      await assert.rejects(
        client({ timeoutMs: 300 }).fetch(slack.apiUrl('chat.update'), { method: 'POST', body: '{}' }),
        (error: Error & { code?: string }) => error.code === 'UND_ERR_HEADERS_TIMEOUT',
      );
      assert.ok(Date.now() - started < 5000);
    });

    it('refuses to be used after close(), as post() does', async () => {
      const c = client();
      await c.close();
      await assert.rejects(
        c.fetch(slack.apiUrl('chat.update'), { method: 'POST', body: '{}' }),
        /called after close/,
      );
      assert.equal(slack.requests.length, 0);
    });

    it('stops when its signal aborts', async () => {
      slack.answerNext('hang');
      await assert.rejects(
        client().fetch(slack.apiUrl('chat.update'), {
          method: 'POST',
          body: '{}',
          signal: AbortSignal.timeout(100),
        }),
        (error: Error) => error.name === 'TimeoutError' || error.name === 'AbortError',
      );
    });
  });

  it('FakeSlack answers chat.postMessage like Slack, with increasing ts', async () => {
    const fresh = new FakeSlack(); // its own ts sequence, whatever other tests posted
    await fresh.start();
    const c = client();
    const post = (body: string) =>
      c.post({ url: fresh.apiUrl('chat.postMessage'), headers: JSON_HEADERS, body });
    const first = (await post('{"channel":"C9","text":"a","thread_ts":"1.2"}')).json as Record<
      string,
      unknown
    >;
    const second = (await post('{"blocks":[]}')).json as Record<string, unknown>;
    assert.deepEqual(first, {
      ok: true,
      channel: 'C9',
      ts: '1700000000.000100',
      message: { type: 'message', text: 'a', thread_ts: '1.2', ts: '1700000000.000100' },
    });
    assert.equal(second.channel, 'C0000000001');
    assert.equal(second.ts, '1700000000.000200');
    assert.deepEqual((await post('{"channel": ')).json, { ok: false, error: 'invalid_json' });
    const update = await c.post({
      url: fresh.apiUrl('chat.update'),
      headers: JSON_HEADERS,
      body: '{"channel":"C9","ts":"1.2","text":"b"}',
    });
    assert.deepEqual(update.json, { ok: true, channel: 'C9', ts: '1.2', text: 'b' });
    await fresh.stop();
  });
});
