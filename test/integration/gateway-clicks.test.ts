import assert from 'node:assert/strict';
import request from 'supertest';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { verifyForwardSignature } from '../../src/core/forward-signature';
import { FORWARDED_EVENT_SCHEMA } from '../../src/core/forwarded-event';
import { RedisStore } from '../../src/store/redis-store';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack, type RecordedRequest } from '../helpers/fake-slack';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  slashCommandBody,
  waitFor,
} from '../helpers/slack-requests';
import { TcpProxy } from '../helpers/tcp-proxy';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';
import { Workspace } from '../helpers/workspace';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const SECRET = 'gateway-test-signing-secret';
const FORWARD_SECRET = 'gateway-forward-secret';

describe('slackline gateway: clicks and commands, Slack and an EventListener on loopback', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let url: string;
  let prefix: string;
  let ws: Workspace;
  let store: RedisStore;
  let clockOffsetMs = 0;
  let config: GatewayConfig;
  let app: TestGateway['app'];
  const closers: Array<() => Promise<unknown>> = [];

  function gatewayConfig(redisUrl: string): GatewayConfig {
    return testGatewayConfig({
      slack: { signingSecrets: ['an-old-secret-being-rotated-out', SECRET], apiUrl: `${slack.url}/api/` },
      store: { type: 'redis', isPrimary: true, url: redisUrl, keyPrefix: prefix },
      forwarding: {
        defaultUrl: `${listener.url}/default`,
        routes: { deploy: `${listener.url}/deploy`, validate: `${listener.url}/validate` },
        signingSecret: FORWARD_SECRET,
        timeoutMs: 2000,
        maxAttempts: 3,
      },
      commands: {
        '/deploy': { args: ['env', 'app', 'tag'], route: 'deploy' },
        '/rollback': { args: ['env'], route: 'deploy', allowedUsers: ['U0BOB'] },
      },
    });
  }

  function build(redisUrl: string) {
    const gateway = buildTestGateway(gatewayConfig(redisUrl), {
      retryBaseDelayMs: 50,
      now: () => Date.now() + clockOffsetMs,
    });
    closers.push(() => gateway.close());
    return gateway;
  }

  before(async function () {
    await slack.start();
    await listener.start();
    url = await testRedisUrl();
    prefix = uniqueKeyPrefix('gateway');
    const { hostname, port } = new URL(url);
    ws = new Workspace(
      { type: 'redis', host: hostname, port: Number(port || 6379), keyPrefix: prefix },
      { slackUrl: slack.url, triggerUrl: listener.url },
    );
    config = gatewayConfig(url);
    store = new RedisStore(config.store as never);
    ({ app } = build(url));
  });

  after(async function () {
    for (const close of closers) await close();
    await store.close();
    await flushTestKeys(url, prefix);
    ws.remove();
    await slack.stop();
    await listener.stop();
  });

  beforeEach(() => {
    clockOffsetMs = 0;
  });

  /** A context whose pipeline offered a choice through the CLI's manual-choice, as in a real run. */
  async function offer(event: string, ...sets: string[]) {
    const id = Workspace.uniqueId('gw');
    await ws.initFrom('app-events.yaml', id, ...sets.flatMap((s) => ['--set', s]));
    await ws.runOk(['--id', id, '--set', 'state.choiceGeneratorItems=file://manual-choice-gen-data.json']);
    await ws.runOk(['--id', id, '--handle-event', `choose=${event}`]);
    const doc = (await store.load(id)) as Doc;
    const choice = Object.values(doc.state.offeredChoices)[0] as Doc;
    return {
      id,
      channel: choice.channel as string,
      ts: choice.messageTs as string,
      choiceId: choice.id as string,
    };
  }

  let clickCounter = 0;
  function click(target: { channel: string; ts: string }, value: string, userId: string, gatewayApp = app) {
    const tag = `click-${++clickCounter}`;
    const body = interactionBody(
      blockActionsPayload({
        channelId: target.channel,
        messageTs: target.ts,
        value,
        userId,
        responseUrl: `${slack.url}/respond/${tag}`,
      }),
    );
    // supertest sends only once awaited; .then() starts it now, as Slack would.
    const response = request(gatewayApp)
      .post('/slack/events')
      .set('content-type', FORM)
      .set(slackSignature(SECRET, body))
      .send(body)
      .then((r) => r);
    return { tag, response };
  }
  const ephemerals = (tag: string) =>
    slack.requests.filter((r) => r.path === `/respond/${tag}`).map((r) => (r.json as Doc).text as string);
  const updatesOf = (ts: string) =>
    slack.requests.filter((r) => r.path === '/api/chat.update' && (r.json as Doc).ts === ts);
  const forwardsTo = (path: string) => listener.requests.filter((r) => r.path === path);
  const choiceIn = async (id: string) =>
    Object.values(((await store.load(id)) as Doc).state.offeredChoices)[0] as Doc;

  it('forwards a click on a manual-choice button once: schema, signature, route, chat.update, audit entry', async function () {
    const target = await offer('single');
    const before = forwardsTo('/deploy').length;
    const { tag, response } = click(target, 'deploy-prod', 'U0ANA');
    const ack = await response;
    assert.equal(ack.status, 200);
    const forwarded = await waitFor('the forward', () => forwardsTo('/deploy')[before]);
    const event = forwarded.json as Doc;
    assert.equal(event.schema, FORWARDED_EVENT_SCHEMA);
    assert.equal(event.kind, 'choice');
    assert.deepEqual(event.context, { id: target.id, name: 'qa' });
    assert.equal(event.choice.id, target.choiceId);
    assert.equal(event.choice.pipeline, 'choose');
    assert.deepEqual(event.option, { group: 'go', text: 'Deploy', value: 'deploy-prod', style: 'primary' });
    assert.equal(event.user.id, 'U0ANA');
    assert.equal(event.slack.channelId, target.channel);
    assert.equal(event.slack.messageTs, target.ts);
    assert.equal(event.slack.responseUrl, `${slack.url}/respond/${tag}`);
    assert.equal(event.cicdstatemgr.cicdContextDataId, target.id);
    assert.equal(event.cicdstatemgr.slackUserId, 'U0ANA');
    assert.deepEqual(verifyForwardSignature([FORWARD_SECRET], forwarded.headers, forwarded.text), {
      ok: true,
    });

    const update = await waitFor('the chat.update', () => updatesOf(target.ts)[0]);
    const eventId = listener.requests.length > 0 ? await eventIdOf(forwarded) : null;
    assert.match((update.json as Doc).text, /<@U0ANA> chose \*Deploy\*/);
    assert.ok(eventId && (update.json as Doc).text.includes(eventId), 'the update names the event id');
    assert.equal(update.headers['authorization'], 'Bearer xoxb-test');

    const choice = await waitFor('the delivery record', async () => {
      const c = await choiceIn(target.id);
      return c.decision?.delivery?.status === 'delivered' && c;
    });
    assert.equal(choice.status, 'decided');
    assert.equal(choice.decision.decidedBy, 'U0ANA');
    assert.equal(choice.decision.delivery.eventId, eventId);
    assert.equal(choice.decision.delivery.route, 'deploy');
    assert.ok(choice.audit.some((a: Doc) => a.action === 'delivered' && a.eventId === eventId));
    assert.deepEqual(ephemerals(tag), []);
  });

  /** The id the EventListener stand-in answered with for a request (it answers each with a fresh one). */
  async function eventIdOf(forwarded: RecordedRequest): Promise<string> {
    const choice = await waitFor('the recorded event id', async () => {
      const id = (forwarded.json as Doc).context.id as string;
      const c = await choiceIn(id);
      return c.decision?.delivery?.eventId as string | undefined;
    });
    return choice;
  }

  it("routes by the option's own route over the choice's", async function () {
    const target = await offer('single');
    const before = forwardsTo('/validate').length;
    click(target, 'validate-prod', 'U0BOB');
    const forwarded = await waitFor('the forward to validate', () => forwardsTo('/validate')[before]);
    assert.equal((forwarded.json as Doc).option.value, 'validate-prod');
  });

  it('forwards 20 identical clicks sent at once exactly once', async function () {
    const target = await offer('single');
    const before = forwardsTo('/deploy').length;
    const clicks = Array.from({ length: 20 }, () => click(target, 'deploy-prod', 'U0ANA'));
    const acks = await Promise.all(clicks.map((c) => c.response));
    assert.deepEqual(new Set(acks.map((a) => a.status)), new Set([200]));
    await waitFor('19 refusals and one update', () => {
      const refused = clicks.filter((c) => ephemerals(c.tag).length === 1).length;
      return refused === 19 && updatesOf(target.ts).length === 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(forwardsTo('/deploy').length - before, 1);
    const refusals = clicks.flatMap((c) => ephemerals(c.tag));
    assert.ok(
      refusals.every((t) => /already|being sent/i.test(t)),
      refusals.join('\n'),
    );
  });

  it('needs the quorum of two distinct allowed approvers, refuses others, and forwards once', async function () {
    const target = await offer('offer', 'state.initiator=U0CAROL');
    const before = forwardsTo('/default').length;
    const outsider = click(target, 'item-one item1 desc', 'U0EVE');
    await waitFor('the outsider refusal', () => ephemerals(outsider.tag)[0]);
    assert.match(ephemerals(outsider.tag)[0] as string, /^Only <@U0ANA> or <@U0BOB> can make this choice\.$/);
    const first = click(target, 'item-one item1 desc', 'U0ANA');
    await waitFor('the first vote', () => ephemerals(first.tag)[0]);
    assert.match(ephemerals(first.tag)[0] as string, /1 of 2/);
    const again = click(target, 'item-one item1 desc', 'U0ANA');
    await waitFor('the repeated vote', () => ephemerals(again.tag)[0]);
    assert.equal(forwardsTo('/default').length, before, 'nothing forwarded before the quorum');
    click(target, 'item-one item1 desc', 'U0BOB');
    const forwarded = await waitFor(
      'the forward after the second approver',
      () => forwardsTo('/default')[before],
    );
    assert.deepEqual((forwarded.json as Doc).approvers, ['U0ANA', 'U0BOB']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(forwardsTo('/default').length - before, 1);
  });

  it('refuses the initiator when the choice excludes them', async function () {
    const target = await offer('offer', 'state.initiator=U0ANA');
    const mine = click(target, 'item-one item1 desc', 'U0ANA');
    await waitFor('the refusal', () => ephemerals(mine.tag)[0]);
    assert.match(
      ephemerals(mine.tag)[0] as string,
      /^You started this, so someone else has to make this choice\.$/,
    );
  });

  it('refuses a click after expiry and says so on the message', async function () {
    const target = await offer('expiring');
    const before = listener.requests.length;
    clockOffsetMs = 61_000;
    const late = click(target, 'now', 'U0ANA');
    await waitFor('the refusal', () => ephemerals(late.tag)[0]);
    assert.match(ephemerals(late.tag)[0] as string, /expired/i);
    const update = await waitFor('the expired update', () => updatesOf(target.ts)[0]);
    assert.match((update.json as Doc).text, /expired/);
    assert.equal((await choiceIn(target.id)).status, 'expired');
    assert.equal(listener.requests.length, before);
  });

  it('forwards the decoded fields of a button in cicdstatemgr 1.2.4 format', async function () {
    const id = Workspace.uniqueId('legacy');
    await ws.initFrom('app-events.yaml', id);
    const fields = {
      cicdContextDataId: id,
      cicdContextName: 'qa',
      gitCloneUrl: 'https://git.example.test/app.git',
      relatedPipelineName: 'build',
      targetAppName: 'myapp',
      targetAppTag: '1.2.3',
      trigger: 'deploy',
    };
    const value = `deploy-v1-myapp|${Buffer.from(JSON.stringify(fields)).toString('base64')}`;
    const before = forwardsTo('/deploy').length;
    click({ channel: 'C0LEGACY', ts: '1600000000.000100' }, value, 'U0ANA');
    const forwarded = await waitFor('the legacy forward', () => forwardsTo('/deploy')[before]);
    const event = forwarded.json as Doc;
    assert.deepEqual(event.value, fields);
    assert.equal(event.cicdstatemgr.targetAppTag, '1.2.3');
    assert.equal(event.cicdstatemgr.cicdContextDataId, id);
    const repeat = click({ channel: 'C0LEGACY', ts: '1600000000.000100' }, value, 'U0BOB');
    await waitFor('the repeat refusal', () => ephemerals(repeat.tag)[0]);
    assert.equal(forwardsTo('/deploy').length - before, 1);
  });

  it('EventListener down: retries, says delivery failed, records no delivery, and a later click retries', async function () {
    const target = await offer('single');
    const before = forwardsTo('/deploy').length;
    listener.answerNext({ status: 503 }, { status: 503 }, { status: 503 });
    click(target, 'deploy-prod', 'U0ANA');
    const failed = await waitFor('the failure update', () => updatesOf(target.ts)[0]);
    assert.match((failed.json as Doc).text, /delivery failed/);
    assert.equal(forwardsTo('/deploy').length - before, 3, 'three attempts');
    const choice = await waitFor('the failed delivery', async () => {
      const c = await choiceIn(target.id);
      return c.decision?.delivery?.status === 'failed' && c;
    });
    assert.equal(choice.decision.delivery.eventId, undefined);
    click(target, 'deploy-prod', 'U0ANA');
    await waitFor(
      'the redelivery',
      async () => (await choiceIn(target.id)).decision.delivery.status === 'delivered',
    );
    assert.equal(forwardsTo('/deploy').length - before, 4);
  });

  it('Redis down: the user is told and nothing is forwarded; clicks work again once Redis is back', async function () {
    const { hostname, port } = new URL(url);
    const proxy = new TcpProxy(hostname, Number(port || 6379));
    await proxy.start();
    const proxied = build(`redis://127.0.0.1:${proxy.port}`);
    const target = await offer('single');
    const before = forwardsTo('/deploy').length;
    await proxy.cut();
    const down = click(target, 'deploy-prod', 'U0ANA', proxied.app);
    assert.equal((await down.response).status, 200);
    await waitFor('the store-unavailable message', () => ephemerals(down.tag)[0], 20_000);
    assert.match(ephemerals(down.tag)[0] as string, /cannot reach its state store/);
    assert.equal(forwardsTo('/deploy').length, before);
    await proxy.start();
    await waitFor(
      'Redis through the proxy',
      async () =>
        (await proxied.store.load('nothing').then(
          () => true,
          () => false,
        )) || undefined,
      20_000,
    );
    click(target, 'deploy-prod', 'U0ANA', proxied.app);
    await waitFor('the forward after Redis came back', () => forwardsTo('/deploy')[before], 20_000);
    await proxy.cut();
  });

  describe('bad input', function () {
    const post = (body: string, headers: Record<string, string>, contentType = FORM) =>
      request(app).post('/slack/events').set('content-type', contentType).set(headers).send(body);
    const valid = () =>
      interactionBody(
        blockActionsPayload({
          channelId: 'C1',
          messageTs: '1.000001',
          value: 'x',
          userId: 'U1',
          responseUrl: `${slack.url}/respond/bad`,
        }),
      );

    it('refuses unsigned, stale and tampered requests with 401', async function () {
      const body = valid();
      assert.equal((await post(body, {})).status, 401);
      assert.equal(
        (await post(body, slackSignature(SECRET, body, Math.floor(Date.now() / 1000) - 301))).status,
        401,
      );
      assert.equal(
        (await post(body, slackSignature(SECRET, body, Math.floor(Date.now() / 1000) + 301))).status,
        401,
      );
      assert.equal((await post(`${body}x`, slackSignature(SECRET, body))).status, 401);
      assert.equal((await post(body, slackSignature('not-our-secret', body))).status, 401);
    });

    it('answers 400 to a payload that is not JSON and to a form that is not Slack', async function () {
      const notJson = 'payload=%7Bnot%20json';
      const res = await post(notJson, slackSignature(SECRET, notJson));
      assert.equal(res.status, 400);
      assert.match(res.body.error, /payload is not a JSON object/);
      const other = 'hello=world';
      assert.equal((await post(other, slackSignature(SECRET, other))).status, 400);
    });

    it('answers 413 to an oversized body', async function () {
      const huge = `payload=${'x'.repeat(70 * 1024)}`;
      assert.equal((await post(huge, slackSignature(SECRET, huge))).status, 413);
    });

    it('tells the user when the message belongs to no known context, or no choice was offered on it', async function () {
      const unknown = click({ channel: 'C0NOWHERE', ts: '1.000009' }, 'plain-value', 'U0ANA');
      await waitFor('the unknown-context message', () => ephemerals(unknown.tag)[0]);
      assert.match(ephemerals(unknown.tag)[0] as string, /does not belong to anything slackline knows/);
      const id = Workspace.uniqueId('nochoice');
      await ws.initFrom('app-events.yaml', id);
      await store.indexMessage('C0NOCHOICE', '1.000010', id);
      const never = click({ channel: 'C0NOCHOICE', ts: '1.000010' }, 'plain-value', 'U0ANA');
      await waitFor('the never-offered message', () => ephemerals(never.tag)[0]);
      assert.match(ephemerals(never.tag)[0] as string, /never offered a choice on this message/);
    });

    it('keeps serving after all of that', async function () {
      assert.equal((await request(app).get('/healthz')).status, 200);
    });
  });

  describe('slash commands', function () {
    const command = (text: string, tag: string, name = '/deploy') => {
      const body = slashCommandBody(name, text, 'U0ANA', `${slack.url}/respond/${tag}`);
      return request(app)
        .post('/slack/events')
        .set('content-type', FORM)
        .set(slackSignature(SECRET, body))
        .send(body);
    };

    it('forwards the parsed arguments to the command route', async function () {
      const before = forwardsTo('/deploy').length;
      assert.equal((await command('qa myapp 1.2.3 with notes', 'cmd-1')).status, 200);
      const forwarded = await waitFor('the command forward', () => forwardsTo('/deploy')[before]);
      const event = forwarded.json as Doc;
      assert.equal(event.kind, 'command');
      assert.deepEqual(event.command, {
        name: '/deploy',
        text: 'qa myapp 1.2.3 with notes',
        args: { env: 'qa', app: 'myapp', tag: '1.2.3 with notes' },
      });
      assert.equal(event.user.id, 'U0ANA');
      const answer = await waitFor('the confirmation', () => ephemerals('cmd-1')[0]);
      assert.match(answer, /was sent to deploy · event /);
    });

    it('answers with usage when arguments are missing, and names an unknown command', async function () {
      await command('qa', 'cmd-2');
      assert.match(await waitFor('usage', () => ephemerals('cmd-2')[0]), /Usage: \/deploy <env> <app> <tag>/);
      await command('x', 'cmd-3', '/unknown');
      assert.match(await waitFor('unknown', () => ephemerals('cmd-3')[0]), /no command \/unknown configured/);
    });

    it("refuses a user outside the command's allow-list and forwards nothing", async function () {
      const before = forwardsTo('/deploy').length;
      await command('prod', 'cmd-5', '/rollback');
      assert.equal(
        await waitFor('the refusal', () => ephemerals('cmd-5')[0]),
        'Only <@U0BOB> can run /rollback.',
      );
      assert.equal(forwardsTo('/deploy').length, before);
    });

    it('answers status <id> from the document', async function () {
      const target = await offer('offer', 'state.initiator=U0CAROL');
      click(target, 'item-one item1 desc', 'U0ANA');
      await waitFor('the vote', async () => (await choiceIn(target.id)).votes.length === 1);
      await command(`status ${target.id}`, 'cmd-4');
      const answer = await waitFor('status', () => ephemerals('cmd-4')[0]);
      assert.match(answer, new RegExp(`\\*${target.id}\\* \\(qa\\)`));
      assert.match(answer, /Pick a target for .*: open \(1 of 2 approvals\)/);
    });
  });
});
