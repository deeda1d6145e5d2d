import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { verifyForwardSignature } from '../../src/core/forward-signature';
import { parseYaml } from '../../src/compat/yaml/yaml';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import { aclRedisPrimary, rawClient, testRedisUrl } from '../helpers/redis';
import { Workspace } from '../helpers/workspace';
import { freePort as closedPort } from '../helpers/loopback-port';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('cicdstatemgr --handle-event against Slack and an EventListener on loopback', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let ws: Workspace;
  let redis: Redis;
  const ids: string[] = [];

  before(async function () {
    await slack.start();
    await listener.start();
    const url = await testRedisUrl();
    ws = new Workspace(await aclRedisPrimary(url), { slackUrl: slack.url, triggerUrl: listener.url });
    redis = rawClient(url);
  });

  after(async function () {
    // The contexts, and the message index entries their offered choices made.
    for (const id of ids) {
      const text = await redis.get(id);
      const choices = text
        ? Object.values(((parseYaml(text) as Doc).state?.offeredChoices ?? {}) as Doc)
        : [];
      await redis.del(id, ...choices.map((c: Doc) => `slackline:message:${c.channel}:${c.messageTs}`));
    }
    redis.disconnect();
    ws.remove();
    await slack.stop();
    await listener.stop();
  });

  beforeEach(() => {
    slack.requests.length = 0;
    listener.requests.length = 0;
  });

  async function newContext(...sets: string[]): Promise<string> {
    const id = Workspace.uniqueId('events');
    ids.push(id);
    await ws.initFrom('app-events.yaml', id, ...sets.flatMap((s) => ['--set', s]));
    return id;
  }
  const handle = (id: string, event: string, ...extra: string[]) =>
    ws.run(['--id', id, '--handle-event', event, ...extra]);
  const handleOk = (id: string, event: string, ...extra: string[]) =>
    ws.runOk(['--id', id, '--handle-event', event, ...extra]);
  const stored = async (id: string) => parseYaml((await redis.get(id)) as string) as Doc;
  const posts = () => slack.requests.filter((r) => r.path === '/api/chat.postMessage');

  describe('the reference scenarios', function () {
    it('notify posts the rendered macro message and captures it from the answer', async function () {
      const id = await newContext();
      await handleOk(id, 'build=testNotifyEvent');
      assert.equal(posts().length, 1);
      assert.equal((posts()[0]?.json as Doc).text, 'Heads up! build is successful');
      assert.equal(posts()[0]?.headers['authorization'], 'Bearer FAKE_TOKEN');
      const lastId = (await ws.get(id, 'state.lastPostedId')).trim();
      assert.equal(await ws.get(id, `state.postedData.${lastId}.text`), 'Heads up! build is successful\n');
    });

    it('notify keeps backslashes and quotes of an embedded-JSON message', async function () {
      const id = await newContext();
      await handleOk(id, 'build=testEmbeddedJsonEvent');
      const expected = 'Here is some JSON from c:\\windowspath\\test and "quotes" { "dog":"beagle" }';
      assert.equal((posts()[0]?.json as Doc).text, expected);
      const doc = await stored(id);
      assert.equal(doc.state.postedData[doc.state.lastPostedId].text, expected);
    });

    it('trigger-pipeline sends auto-args then args as text, rendered headers, and a signature', async function () {
      const id = await newContext();
      await handleOk(
        id,
        'build=testTriggerPipelineEvent',
        '--set',
        'state.triggerAutoArg1=dummyVal',
        '--tmpl-ctx-var',
        'ctx.var1=v1val',
      );
      assert.equal(listener.requests.length, 1);
      const request = listener.requests[0]!;
      assert.equal(
        request.text,
        `{"cicdContextDataId": "${id}", "triggerPipelineName": "deploy", "autoArg1": "dummyVal-override", "number": "5", "fromCtxVar": "v1val"}`,
      );
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['accept'], '*/*');
      assert.equal(request.headers['cache-control'], 'no-cache');
      assert.equal(request.headers['x-cicdstatemgr-autotrigger-key'], '3ecret1!');
      assert.equal(request.headers['x-cicdstatemgr-pipeline-name'], 'deploy');
      assert.equal(request.headers['x-secret-header'], 'mySecretValue');
      assert.deepEqual(verifyForwardSignature(['forward-signing-secret'], request.headers, request.text), {
        ok: true,
      });
      assert.equal(await ws.get(id, 'state.triggerAutoArg1'), 'dummyVal\n', 'the --set was saved too');
    });

    it('manual-choice posts the static group first, then the generated ones', async function () {
      const id = await newContext();
      await ws.runOk(['--id', id, '--set', 'state.choiceGeneratorItems=file://manual-choice-gen-data.json']);
      await handleOk(id, 'choose=offer');
      const posted = posts()[0]?.json as Doc;
      assert.equal(posted.text, `Pick a target for ${id}`);
      const headers = posted.attachments.map((a: Doc) => a.blocks[0].text.text);
      assert.deepEqual(headers, [
        '"Static group"',
        'Generated item-one',
        'Generated item-two',
        'Generated item-three',
      ]);
      assert.equal(posted.attachments[3].blocks[1].elements[0].value, 'item-three item3 desc');
      assert.equal(posted.attachments[0].blocks[1].elements[0].value, `deploy|${id}`);
      assert.equal(posted.attachments[0].blocks[1].elements[0].style, 'primary');
    });

    it('set-values reads what the notify capture stored', async function () {
      const id = await newContext();
      await handleOk(id, 'build=testNotifyEvent');
      await handleOk(id, 'build=testSetValuesEvent');
      assert.equal(await ws.get(id, 'state.lastPostedNotifyMessage'), 'Heads up! build is successful\n');
    });

    it('respond posts to the url captured from an earlier answer', async function () {
      const id = await newContext();
      await handleOk(id, 'build=testNotifyEvent');
      const respondUrl = (await ws.get(id, 'state.respondUrl')).trim();
      await handleOk(id, 'build=testRespondEvent');
      const request = slack.requests.find((r) => r.path.startsWith('/respond/'));
      assert.ok(request, 'nothing was posted to the response url');
      assert.equal(`${slack.url}${request.path}`, respondUrl);
      assert.deepEqual(request.json, { replace_original: 'true', text: `dummy responder message for ${id}` });
    });

    it('a disabled handler is skipped and says so at the default log level', async function () {
      const id = await newContext();
      const result = await handleOk(id, 'package=done');
      assert.match(result.stderr, /notify enabled:False skipping/);
      assert.equal(posts().length, 0);
    });

    it('threads the second notify of a context under the first', async function () {
      const id = await newContext();
      await handleOk(id, 'build=testNotifyEvent');
      await handleOk(id, 'build=testNotifyEvent');
      const [first, second] = posts();
      assert.equal((first?.json as Doc).thread_ts, undefined);
      assert.equal((second?.json as Doc).thread_ts, (await stored(id)).state.slack.thread_ts);
      assert.match((second?.json as Doc).thread_ts, /^\d+\.\d{6}$/);
    });

    it('runs named configs in order, with their if, and later handlers see earlier captures', async function () {
      const id = await newContext();
      await handleOk(id, 'build=namedEvent');
      assert.deepEqual(
        posts().map((p) => (p.json as Doc).text),
        ['first named'],
      );
      const doc = await stored(id);
      assert.equal(doc.state.lastIdSeenBySetValues, doc.state.lastPostedId);
    });

    it('runs with --load and --set, saving the sets and the handlers changes once', async function () {
      const id = await newContext('state.key1=value1');
      await ws.runOk([
        '--id',
        id,
        '--load',
        '--set',
        'state.key1=valuechanged',
        '--set',
        'state.triggerAutoArg1=99999',
        '--handle-event',
        'build=testEvent',
      ]);
      assert.equal(await ws.get(id, 'state.triggerAutoArg1'), '99999\n');
      assert.equal(await ws.get(id, 'state.seenByTestEvent'), 'valuechanged\n');
    });

    it('runs with --init-new on the new document', async function () {
      const id = Workspace.uniqueId('events');
      ids.push(id);
      const result = await ws.initFrom(
        'app-events.yaml',
        id,
        '--set',
        'state.key1=atInit',
        '--handle-event',
        'build=testEvent',
      );
      assert.equal(result.stdout, `${id}\n`);
      assert.equal((await stored(id)).state.seenByTestEvent, 'atInit');
    });

    it('does nothing for an event the pipeline does not define', async function () {
      const id = await newContext();
      const result = await handleOk(id, 'build=noSuchEvent');
      assert.match(result.stderr, /pipeline build has no handlers for event "noSuchEvent"/);
      assert.equal(slack.requests.length + listener.requests.length, 0);
    });
  });

  describe('UTF-8 and HTTP behaviour', function () {
    it('sends €, emoji and non-Latin text byte-exact as UTF-8', async function () {
      const id = await newContext();
      await handleOk(id, 'build=utf8Event');
      const request = slack.requests.find((r) => r.path === '/respond/utf8');
      const expected = Buffer.from(
        '{"replace_original": "true", "text": "Déploiement prêt € 🚀 Привет 日本語"}',
        'utf8',
      );
      assert.ok(request);
      assert.deepEqual(request.raw, expected);
      assert.equal(request.headers['content-length'], String(expected.length));
      assert.equal(request.headers['content-type'], 'application/json; charset=UTF-8');
    });

    it('posts once after a 429 with Retry-After', async function () {
      const id = await newContext();
      slack.answerNext({
        status: 429,
        headers: { 'retry-after': '1' },
        body: { ok: false, error: 'ratelimited' },
      });
      const result = await handleOk(id, 'build=testNotifyEvent');
      assert.equal(posts().length, 2, 'one refused, one accepted');
      assert.match(result.stderr, /answered 429, retrying/);
      const doc = await stored(id);
      assert.equal(Object.keys(doc.state.postedData).length, 1, 'captured once');
    });

    it('gives up at its timeout when Slack never answers, saying so in one line', async function () {
      const id = await newContext();
      slack.answerNext('hang');
      const result = await handle(id, 'build=notifyThenSet');
      assert.equal(result.code, 1);
      const last = result.stderr.trimEnd().split('\n').at(-1) as string;
      assert.match(
        last,
        /^cicdstatemgr: error: --handle-event build=notifyThenSet: 1 handler failed \(the document was saved\): notify default: POST .*chat\.postMessage .*no answer within 2 s/,
      );
      assert.equal((await stored(id)).state.afterNotify, 'saved anyway');
    });
  });

  describe('after a manual-choice', function () {
    it('records the offered choice and indexes its message in Redis', async function () {
      const id = await newContext('state.initiator=U0ANA');
      await ws.runOk(['--id', id, '--set', 'state.choiceGeneratorItems=file://manual-choice-gen-data.json']);
      await handleOk(id, 'choose=offer');
      assert.equal(posts().length, 1);
      const doc = await stored(id);
      const offered = Object.values(doc.state.offeredChoices) as Doc[];
      assert.equal(offered.length, 1);
      const choice = offered[0]!;
      assert.equal(choice.pipeline, 'choose');
      assert.equal(choice.event, 'offer');
      assert.equal(choice.title, `Pick a target for ${id}`);
      assert.equal(choice.channel, 'qa-releases');
      assert.equal(choice.messageTs, doc.state.slack.lastChoiceTs);
      assert.deepEqual(choice.allowedUsers, ['U0ANA', 'U0BOB']);
      assert.equal(choice.approvalsNeeded, 2);
      assert.equal(choice.excludeInitiator, true);
      assert.equal(choice.initiator, 'U0ANA');
      assert.equal(choice.status, 'open');
      const hours = (Date.parse(choice.expiresAt) - Date.parse(choice.postedAt)) / 3_600_000;
      assert.equal(hours, 2);
      assert.deepEqual(
        choice.options.map((o: Doc) => [o.group, o.text, o.value, o.style]),
        [
          ['static', `Deploy ${id}`, `deploy|${id}`, 'primary'],
          ['item-one', 'item-one', 'item-one item1 desc', null],
          ['item-two', 'item-two', 'item-two item2 desc', null],
          ['item-three', 'item-three', 'item-three item3 desc', null],
        ],
      );
      assert.equal(await redis.get(`slackline:message:qa-releases:${choice.messageTs}`), id);
    });
  });

  describe('bad input is reported clearly and leaves the document consistent', function () {
    it('an unknown handler type is named, and the other handlers still run', async function () {
      const id = await newContext();
      const result = await handleOk(id, 'build=unknownTypeEvent');
      assert.match(
        result.stderr,
        /unknown handler type "notfy" in pipelines\.build\.event-handlers\.unknownTypeEvent ignored/,
      );
      assert.equal((await stored(id)).state.afterUnknown, 'ran');
    });

    it('a template error in a message is logged and posted as the reference does', async function () {
      const id = await newContext();
      const result = await handleOk(id, 'build=templateErrorEvent');
      assert.match(
        result.stderr,
        /ERROR - parse_template\(\) template = \{\{ undefinedThing\.field \}\} error: /,
      );
      assert.equal((posts()[0]?.json as Doc).text, '<jinja2 parse error> {{ undefinedThing.field }}');
    });

    it('an unreachable URL fails the command after the other handlers are saved', async function () {
      const id = await newContext();
      const port = await closedPort();
      ws.write(
        'config-unreachable.yaml',
        ws.read('config.yaml').replace(`${slack.url}/api/`, `http://127.0.0.1:${port}/api/`),
      );
      const result = await ws.run([
        '--config',
        'config-unreachable.yaml',
        '--id',
        id,
        '--handle-event',
        'build=notifyThenSet',
      ]);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(
          `notify default: POST http://127\\.0\\.0\\.1:${port}/api/chat\\.postMessage failed: connection refused \\(3 attempts\\)`,
        ),
      );
      assert.equal((await stored(id)).state.afterNotify, 'saved anyway');
    });

    it('a 2xx answer that is not JSON is accepted without capture', async function () {
      const id = await newContext();
      slack.answerNext({ status: 200, body: 'ok' });
      await handleOk(id, 'build=testNotifyEvent');
      assert.equal((await stored(id)).state.lastPostedId, undefined);
    });

    it("Slack's ok:false is logged with its error code and not captured", async function () {
      const id = await newContext();
      slack.answerNext({ status: 200, body: { ok: false, error: 'channel_not_found' } });
      const result = await handleOk(id, 'build=testNotifyEvent');
      assert.match(result.stderr, /ERROR - notify default: Slack answered ok:false: channel_not_found/);
      assert.equal((await stored(id)).state.lastPostedId, undefined);
    });

    it('a non-2xx answer is logged with its status and body, and later handlers run', async function () {
      const id = await newContext();
      slack.answerNext({ status: 500, body: 'upstream broke' });
      const result = await handleOk(id, 'build=notifyThenSet');
      assert.match(result.stderr, /notify default: POST .* answered 500: upstream broke/);
      assert.equal((await stored(id)).state.afterNotify, 'saved anyway');
    });

    it('a pipeline the context does not define is an error naming the defined ones', async function () {
      const id = await newContext();
      const result = await handle(id, 'nope=success');
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /pipeline "nope" is not defined in context .* \(defined: verify, package, build, choose\)/,
      );
    });

    it('--handle-event without PIPELINE=EVENT exits 1, as cicdstatemgr does', async function () {
      const id = await newContext();
      const result = await handle(id, 'justapipeline');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /--handle-event needs PIPELINE=EVENT/);
    });
  });
});
