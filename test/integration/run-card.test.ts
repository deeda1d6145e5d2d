import assert from 'node:assert/strict';
import request from 'supertest';
import type { GatewayConfig, RunCardConfig } from '../../src/config/gateway-config';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeSlack, type RecordedRequest } from '../helpers/fake-slack';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { waitFor } from '../helpers/slack-requests';
import {
  binaryRequest,
  pipelineRunEvent,
  sampleRun,
  structuredRequest,
  taskRunEvent,
  type SampleEvent,
  type SampleRun,
} from '../helpers/tekton-cloud-events';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';
import { redisStoreConfig } from '../helpers/store-configs';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const TOKEN = 'run-card-test-token';
const THREAD = '1690000000.000100';
const CHOICE_CHANNEL = 'C0DEPLOYS';
const FALLBACK = 'C0FALLBACK';
const BASE = Date.parse('2026-12-03T10:00:00Z');
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

/** The events of a PipelineRun whose three Tasks succeed one after the other, in the order Tekton sends them. */
function threeTaskRun(run: SampleRun): SampleEvent[] {
  const events = [
    pipelineRunEvent(run, 'started', { at: at(0), startTime: at(0) }),
    pipelineRunEvent(run, 'running', { at: at(1), startTime: at(0) }),
  ];
  ['init', 'build', 'notify'].forEach((task, i) => {
    const start = 2 + 20 * i;
    events.push(
      taskRunEvent(run, task, 'started', { at: at(start), startTime: at(start) }),
      taskRunEvent(run, task, 'running', { at: at(start + 1), startTime: at(start) }),
      taskRunEvent(run, task, 'successful', {
        at: at(start + 12),
        startTime: at(start),
        completionTime: at(start + 12),
      }),
    );
  });
  events.push(pipelineRunEvent(run, 'successful', { at: at(70), startTime: at(0), completionTime: at(70) }));
  return events;
}

/** Every text of a posted or updated message: its fallback text and its blocks' (sent as form fields). */
function messageText(req: RecordedRequest): string {
  const json = req.json as Record<string, unknown>;
  const blocks = typeof json['blocks'] === 'string' ? JSON.parse(json['blocks']) : (json['blocks'] ?? []);
  return [String(json['text']), JSON.stringify(blocks)].join('\n');
}

describe('run card: Tekton CloudEvents on loopback keep one Slack message per PipelineRun', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  let redisUrl: string;
  let prefix: string;
  let store: RedisStore;
  const gateways: TestGateway[] = [];

  function build(runCard: Partial<RunCardConfig> = {}, logLines?: string[]): TestGateway {
    const config: GatewayConfig = testGatewayConfig(
      {
        store: redisStoreConfig(redisUrl, prefix),
        runCard: {
          token: TOKEN,
          allowUnauthenticated: false,
          channel: FALLBACK,
          intervalMs: 1000,
          ...runCard,
        },
      },
      { slack },
    );
    // Each gateway its own store client, as each replica has: they share only Redis.
    const gateway = buildTestGateway(
      logLines ? { ...config, logLevel: 'debug' } : config,
      logLines ? { logLines } : {},
    );
    gateways.push(gateway);
    return gateway;
  }

  function send(gateway: TestGateway, e: SampleEvent, mode: 'binary' | 'structured' = 'binary') {
    const { headers, body } = mode === 'binary' ? binaryRequest(e) : structuredRequest(e);
    return request(gateway.app)
      .post('/tekton/events')
      .set(headers)
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(body);
  }

  async function seedContext(id: string, extra: Doc = {}): Promise<void> {
    await store.update(id, () => ({
      channel: 'deploys',
      state: {
        cicdContextDataId: id,
        slack: { thread_ts: THREAD },
        offeredChoices: {
          'choice-1': {
            id: 'choice-1',
            title: 'Deploy hello 1.0.0 to dev?',
            channel: CHOICE_CHANNEL,
            messageTs: '1690000000.000200',
            threadTs: THREAD,
            postedAt: at(-60),
            status: 'decided',
            decision: {
              choiceId: 'choice-1',
              option: { group: 'deploy', header: '', text: 'Deploy', value: 'deploy', style: 'primary' },
              decidedBy: 'U0ANA',
              approvers: ['U0ANA'],
              decidedAt: at(-30),
            },
          },
        },
        ...extra,
      },
    }));
  }

  const posts = (channel?: string) =>
    slack.requests.filter(
      (r) =>
        r.path.startsWith('/api/chat.postMessage') && (!channel || (r.json as Doc)['channel'] === channel),
    );
  const updates = (ts: string) =>
    slack.requests.filter((r) => r.path.startsWith('/api/chat.update') && (r.json as Doc)['ts'] === ts);
  /** The message as Slack last saw it: its last update, or the post when there was none. */
  const latest = (post: RecordedRequest, ts: string) => messageText(updates(ts).at(-1) ?? post);
  const tsOf = async (id: string, run: SampleRun) =>
    waitFor(
      `the card's ts of ${run.name}`,
      async () => ((await store.load(id)) as Doc)?.state?.runCards?.[run.uid]?.ts as string,
    );
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 1300));
  /** Until the message Slack last saw says `pattern` (a trailing update may come a second after the events). */
  const settled = (post: () => RecordedRequest | undefined, ts: string, pattern: RegExp) =>
    waitFor(`the card to match ${pattern}`, () => {
      const first = post();
      return first !== undefined && pattern.test(latest(first, ts));
    });

  before(async function () {
    await slack.start();
    redisUrl = await testRedisUrl();
    prefix = uniqueKeyPrefix('run-card');
    store = new RedisStore(redisStoreConfig(redisUrl, prefix));
  });
  afterEach(async function () {
    for (const gateway of gateways.splice(0)) await gateway.close();
    slack.requests.splice(0);
  });
  after(async function () {
    await store.close();
    await flushTestKeys(redisUrl, prefix);
    await slack.stop();
  });

  it('posts one message in the context thread for a run of three Tasks and updates it in place to the final state', async function () {
    const gateway = build();
    const run = sampleRun('ctx-three-tasks');
    await seedContext('ctx-three-tasks');
    const events = threeTaskRun(run);
    for (const [i, e] of events.entries()) {
      const res = await send(gateway, e, i % 2 === 0 ? 'binary' : 'structured').expect(202);
      assert.notEqual(res.body.outcome, 'not-linked');
    }
    const ts = await tsOf('ctx-three-tasks', run);
    await settled(() => posts()[0], ts, /example-build .*: succeeded/);
    await quiet();
    assert.equal(posts().length, 1, 'one message');
    const [post] = posts() as [RecordedRequest];
    assert.equal((post.json as Doc)['channel'], CHOICE_CHANNEL);
    assert.equal((post.json as Doc)['thread_ts'], THREAD);
    assert.ok(updates(ts).length >= 1, 'updated in place');
    const final = latest(post, ts);
    assert.match(final, /example-build .*: succeeded/);
    assert.match(final, /in 1m 10s/);
    for (const task of ['init', 'build', 'notify'])
      assert.match(final, new RegExp(`:white_check_mark: ${task} succeeded in 12s`));
    assert.match(final, /<@U0ANA> chose \*Deploy\*/);
    const card = ((await store.load('ctx-three-tasks')) as Doc).state.runCards[run.uid];
    assert.equal(card.run.state, 'successful');
    assert.equal(card.claim, null);
    assert.deepEqual(Object.keys(card.tasks), ['init', 'build', 'notify']);
  });

  it('posts a failed run whose Tasks never ran, in its thread, and in the fallback channel when its context has no document', async function () {
    const gateway = build();
    await seedContext('ctx-never-ran');
    const run = sampleRun('ctx-never-ran');
    const failed = pipelineRunEvent(run, 'failed', {
      at: at(1),
      startTime: at(0),
      completionTime: at(1),
      reason: 'PipelineRunCouldntGetPipeline',
      message: 'Error retrieving pipeline for pipelinerun: pipelines.tekton.dev "example-build" not found',
    });
    await send(gateway, failed).expect(202, { outcome: 'posted' });
    const [post] = posts(CHOICE_CHANNEL) as [RecordedRequest];
    assert.match(messageText(post), /failed \(PipelineRunCouldntGetPipeline\)/);
    assert.match(messageText(post), /not found/);

    // The init Task failed before it could create the document (Redis was down): nothing else would tell anyone.
    const orphan = sampleRun('ctx-that-was-never-created');
    const orphanFailed = pipelineRunEvent(orphan, 'failed', {
      at: at(5),
      startTime: at(0),
      completionTime: at(5),
    });
    await send(gateway, taskRunEvent(orphan, 'init', 'failed', { at: at(4) })).expect(202, {
      outcome: 'no-context',
    });
    await send(gateway, orphanFailed).expect(202, { outcome: 'posted' });
    await send(gateway, orphanFailed).expect(202, { outcome: 'being-posted' });
    assert.equal(posts(FALLBACK).length, 1);
    assert.match(
      messageText(posts(FALLBACK)[0] as RecordedRequest),
      new RegExp(`${orphan.name}.*failed \\(Failed\\)`),
    );
  });

  it('leaves the right final state when events come out of order and repeated, and a late "running" never undoes the end', async function () {
    const gateway = build({ intervalMs: 200 });
    await seedContext('ctx-shuffled');
    const run = sampleRun('ctx-shuffled');
    const inOrder = threeTaskRun(run);
    // A fixed shuffle (reversed halves, interleaved) with every event sent twice: deterministic, so it can fail.
    const half = Math.ceil(inOrder.length / 2);
    const shuffled = [...inOrder.slice(half).reverse(), ...inOrder.slice(0, half).reverse()];
    for (const e of [...shuffled, ...shuffled.slice(3)]) await send(gateway, e).expect(202);
    await send(gateway, pipelineRunEvent(run, 'running', { at: at(90), startTime: at(0) })).expect(202);
    await send(gateway, taskRunEvent(run, 'build', 'running', { at: at(95), startTime: at(22) })).expect(202);
    const ts = await tsOf('ctx-shuffled', run);
    await settled(() => posts()[0], ts, /example-build .*: succeeded/);
    await quiet();
    const final = latest(posts()[0] as RecordedRequest, ts);
    assert.equal(posts().length, 1);
    assert.match(final, /example-build .*: succeeded/);
    for (const task of ['init', 'build', 'notify'])
      assert.match(final, new RegExp(`${task} succeeded in 12s`));
    assert.doesNotMatch(final, /running/);
  });

  it('coalesces 100 events for one run in one second into updates at most a second apart', async function () {
    const gateway = build({ intervalMs: 1000 });
    await seedContext('ctx-burst');
    const run = sampleRun('ctx-burst');
    const started = Date.now();
    const tasks = Array.from({ length: 40 }, (_, i) => `task-${String(i).padStart(2, '0')}`);
    const events = [
      pipelineRunEvent(run, 'started', { at: at(0), startTime: at(0) }),
      pipelineRunEvent(run, 'running', { at: at(1), startTime: at(0) }),
    ];
    for (const [i, task] of tasks.entries()) {
      const times = { startTime: at(2 + i), completionTime: at(50 + i) };
      events.push(taskRunEvent(run, task, 'running', { at: at(2 + i), startTime: times.startTime }));
      events.push(taskRunEvent(run, task, 'successful', { at: at(50 + i), ...times }));
    }
    // Tekton resends an event whose delivery it could not confirm: 17 repeats, then the end of the run.
    const burst = [...events, ...events.slice(-17)];
    burst.push(
      pipelineRunEvent(run, 'successful', { at: at(200), startTime: at(0), completionTime: at(200) }),
    );
    assert.equal(burst.length, 100);
    // All sent within the second, as the controller's concurrent senders would; the gateway answers as it can.
    const answered = burst.map((e, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 9)).then(() => send(gateway, e).expect(202)),
    );
    await Promise.all(answered);
    const elapsedMs = Date.now() - started;
    const ts = await tsOf('ctx-burst', run);
    await settled(() => posts()[0], ts, /example-build .*: succeeded/);
    await quiet();
    await quiet();
    const sent = updates(ts);
    assert.equal(posts().length, 1);
    // One a second at most while the events are worked on, and the trailing one after.
    const allowed = Math.ceil(elapsedMs / 1000) + 1;
    assert.ok(
      sent.length >= 1 && sent.length <= allowed,
      `${sent.length} chat.update calls in ${elapsedMs} ms`,
    );
    const gaps = sent.slice(1).map((r, i) => r.receivedAtMs - (sent[i] as RecordedRequest).receivedAtMs);
    assert.ok(
      gaps.every((gap) => gap >= 950),
      `gaps ${gaps.join(', ')} ms`,
    );
    assert.match(latest(posts()[0] as RecordedRequest, ts), /example-build .*: succeeded/);
  });

  it('updates the same message after a restart, and two replicas post a new run once', async function () {
    const run = sampleRun('ctx-restart');
    await seedContext('ctx-restart');
    const [first, ...rest] = threeTaskRun(run);
    const a = build();
    const b = build();
    // Both replicas get the first events at once: one claims the post, the other sees the claim.
    await Promise.all([
      send(a, first as SampleEvent).expect(202),
      send(b, rest[0] as SampleEvent).expect(202),
    ]);
    const ts = await tsOf('ctx-restart', run);
    await a.close();
    await b.close();
    gateways.splice(0);
    const restarted = build();
    for (const e of rest.slice(1)) await send(restarted, e).expect(202);
    await settled(() => posts()[0], ts, /example-build .*: succeeded/);
    await quiet();
    assert.equal(posts().length, 1);
    assert.match(latest(posts()[0] as RecordedRequest, ts), /example-build .*: succeeded/);
  });

  it('waits for Retry-After when chat.update is rate limited, and never posts a second message', async function () {
    const gateway = build({ intervalMs: 200 });
    await seedContext('ctx-429');
    const run = sampleRun('ctx-429');
    const events = threeTaskRun(run);
    await send(gateway, events[0] as SampleEvent).expect(202, { outcome: 'posted' });
    const ts = await tsOf('ctx-429', run);
    slack.answerNext({
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    const limitedAt = performance.now();
    for (const e of events.slice(1)) await send(gateway, e).expect(202);
    await waitFor(
      'the update after the 429',
      () => updates(ts).length >= 2 && /succeeded/.test(latest(posts()[0] as RecordedRequest, ts)),
    );
    const [limited, retried] = updates(ts) as [RecordedRequest, RecordedRequest];
    assert.ok(limited.receivedAtMs >= limitedAt);
    assert.ok(retried.receivedAtMs - limited.receivedAtMs >= 950, 'waited for Retry-After');
    await quiet();
    assert.equal(posts().length, 1);
  });

  it('refuses a missing or wrong token with 401, accepts it in the query, and is off with neither token nor NetworkPolicy', async function () {
    const logLines: string[] = [];
    const gateway = build({}, logLines);
    const { headers, body } = binaryRequest(pipelineRunEvent(sampleRun(undefined), 'running', { at: at(1) }));
    const post = (app: TestGateway['app'], path = '/tekton/events') => request(app).post(path).set(headers);
    const res = await post(gateway.app).send(body).expect(401);
    assert.deepEqual(res.body, { error: 'a valid bearer token is required' });
    await post(gateway.app).set('Authorization', 'Bearer not-the-token').send(body).expect(401);
    await post(gateway.app, `/tekton/events?token=${TOKEN}`)
      .send(body)
      .expect(202, { outcome: 'not-linked' });

    const off = build({ token: undefined, allowUnauthenticated: false });
    const refused = await post(off.app).send(body).expect(403);
    assert.match(refused.body.error, /SLACKLINE_CLOUDEVENTS_TOKEN/);
    const open = build({ token: undefined, allowUnauthenticated: true });
    await post(open.app).send(body).expect(202, { outcome: 'not-linked' });
    // A linked run too, so that the debug line of what became of it is written.
    const linked = binaryRequest(pipelineRunEvent(sampleRun('ctx-logged'), 'failed', { at: at(2) }));
    await request(gateway.app)
      .post(`/tekton/events?token=${TOKEN}`)
      .set(linked.headers)
      .send(linked.body)
      .expect(202);
    assert.ok(
      logLines.some((line) => line.includes('run card')),
      logLines.join(''),
    );
    assert.ok(!logLines.join('').includes(TOKEN), 'the token is in the log');
  });

  it('answers malformed CloudEvents with a JSON 400 and an oversized body with 413', async function () {
    const gateway = build();
    const e = pipelineRunEvent(sampleRun('ctx-bad'), 'running', { at: at(1) });
    const post = () => request(gateway.app).post('/tekton/events').set('Authorization', `Bearer ${TOKEN}`);
    const plain = await post()
      .set('content-type', 'application/json')
      .send('{"pipelineRun": {}}')
      .expect(400);
    assert.match(plain.body.error, /not a valid CloudEvent/);
    const { headers } = binaryRequest(e);
    const badJson = await post().set(headers).send('{"pipelineRun": ').expect(400);
    assert.match(badJson.body.error, /not a valid CloudEvent|not JSON/);
    const noRun = await post().set(headers).send('{"taskRun": {}}').expect(400);
    assert.match(noRun.body.error, /must carry \{"pipelineRun"/);
    const noId = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'ce-id'));
    const missing = await post().set(noId).send(JSON.stringify(e.data)).expect(400);
    assert.match(missing.body.error, /not a valid CloudEvent/);
    await post()
      .set(headers)
      .send('x'.repeat(2 * 1024 * 1024))
      .expect(413);
    // A CustomRun is not shown, but it is not an error either: Tekton must not retry it.
    await post()
      .set({ ...headers, 'ce-type': 'dev.tekton.event.customrun.running.v1' })
      .send('{}')
      .expect(202, { outcome: 'ignored' });
  });
});
