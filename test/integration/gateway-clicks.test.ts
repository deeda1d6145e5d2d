import assert from 'node:assert/strict';
import request from 'supertest';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { verifyForwardSignature } from '../../src/core/forward-signature';
import { FORWARDED_EVENT_SCHEMA } from '../../src/core/forwarded-event';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack, type RecordedRequest } from '../helpers/fake-slack';
import { flushTestKeys, redisEndpoint, uniqueKeyPrefix } from '../helpers/redis';
import { describeOnEachRedis } from '../helpers/redis-backends';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  slashCommandBody,
  waitFor,
} from '../helpers/slack-requests';
import { FaultProxy } from '../helpers/fault-proxy';
import {
  buildTestGateway,
  FORWARD_SECRET,
  SIGNING_SECRET as SECRET,
  testGatewayConfig,
  type TestGateway,
} from '../helpers/test-gateway';
import { Workspace } from '../helpers/workspace';
import { redisStoreConfig } from '../helpers/store-configs';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeOnEachRedis(
  'slackline gateway: clicks and commands, Slack and an EventListener on loopback',
  function (backend) {
    this.timeout(60_000);
    const slack = new FakeSlack();
    const listener = new FakeEventListener();
    let url: string;
    let prefix: string;
    let ws: Workspace;
    let store: RedisStore;
    let clockOffsetMs = 0;
    let app: TestGateway['app'];
    const closers: Array<() => Promise<unknown>> = [];

    function gatewayConfig(redisUrl: string): GatewayConfig {
      return testGatewayConfig(
        {
          slack: { signingSecrets: ['an-old-secret-being-rotated-out', SECRET] },
          store: redisStoreConfig(redisUrl, prefix),
          forwarding: { routes: { deploy: `${listener.url}/deploy`, validate: `${listener.url}/validate` } },
          commands: {
            '/deploy': { args: ['env', 'app', 'tag'], route: 'deploy', status: true },
            '/rollback': { args: ['env'], route: 'deploy', allowedUsers: ['U0BOB'], status: true },
            '/release': { args: ['what', 'tag'], route: 'deploy' },
            '/promote': { args: ['cicdContextDataId', 'env'], route: 'deploy' },
          },
          // On, as during a migration from cicdstatemgr 1.2.4; the tests of it being off build their own gateway.
          legacyButtons: { enabled: true, allowedUsers: [], allowedGroups: [] },
        },
        { slack, listener },
      );
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
      url = await backend.url();
      prefix = uniqueKeyPrefix('gateway');
      ws = new Workspace(
        { type: 'redis', ...redisEndpoint(url), keyPrefix: prefix },
        { slackUrl: slack.url, triggerUrl: listener.url },
      );
      store = new RedisStore(redisStoreConfig(url, prefix));
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
    function click(
      target: { channel: string; ts: string },
      value: string,
      userId: string,
      gatewayApp = app,
      messageValue?: string,
    ) {
      const tag = `click-${++clickCounter}`;
      const body = interactionBody(
        blockActionsPayload({
          channelId: target.channel,
          messageTs: target.ts,
          value,
          userId,
          responseUrl: `${slack.url}/respond/${tag}`,
          ...(messageValue ? { messageValue } : {}),
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

    it('forwards one signed click sent 6 times (Slack retries, a replay) once, and tells its user nothing more', async function () {
      const target = await offer('single');
      const before = forwardsTo('/deploy').length;
      const body = interactionBody(
        blockActionsPayload({
          channelId: target.channel,
          messageTs: target.ts,
          value: 'deploy-prod',
          userId: 'U0ANA',
          responseUrl: `${slack.url}/respond/click-replay`,
        }),
      );
      const headers = slackSignature(SECRET, body);
      for (let retry = 0; retry < 6; retry++) {
        const ack = await request(app)
          .post('/slack/events')
          .set('content-type', FORM)
          .set(headers)
          .set(
            retry > 0 ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {},
          )
          .send(body);
        assert.equal(ack.status, 200);
      }
      await waitFor('the decided update', () => updatesOf(target.ts)[0]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(forwardsTo('/deploy').length - before, 1);
      assert.equal(updatesOf(target.ts).length, 1);
      assert.deepEqual(ephemerals('click-replay'), [], 'no "already decided" for the retries');
    });

    it('needs the quorum of two distinct allowed approvers, refuses others, and forwards once', async function () {
      const target = await offer('offer', 'state.initiator=U0CAROL');
      const before = forwardsTo('/default').length;
      const outsider = click(target, 'item-one item1 desc', 'U0EVE');
      await waitFor('the outsider refusal', () => ephemerals(outsider.tag)[0]);
      assert.match(
        ephemerals(outsider.tag)[0] as string,
        /^Only <@U0ANA> or <@U0BOB> can make this choice\.$/,
      );
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

    describe('cicdstatemgr-format buttons on messages slackline never indexed', function () {
      const legacyValue = (fields: Record<string, string>) =>
        `deploy-v1-myapp|${Buffer.from(JSON.stringify(fields)).toString('base64')}`;
      const forged = (id: string) =>
        legacyValue({ cicdContextDataId: id, trigger: 'deploy', targetAppTag: '6.6.6-chosen-by-the-sender' });
      let messageSerial = 0;
      const unindexed = () => ({
        channel: 'C0LEGACY',
        ts: `1600000001.${String((messageSerial += 1)).padStart(6, '0')}`,
      });

      it('are refused while legacyButtons is off (the default), and nothing is forwarded', async function () {
        // Its own key prefix: replicas on one prefix share their intake log, and this one's config differs.
        const offPrefix = uniqueKeyPrefix('legacy-off');
        const offConfig = gatewayConfig(url);
        const off = buildTestGateway({
          ...offConfig,
          store: redisStoreConfig(url, offPrefix),
          legacyButtons: { enabled: false, allowedUsers: [], allowedGroups: [] },
        });
        closers.push(
          () => off.close(),
          () => flushTestKeys(url, offPrefix),
        );
        const id = Workspace.uniqueId('legacy-off');
        await ws.initFrom('app-events.yaml', id);
        const doc = (await store.load(id)) as Doc;
        await off.store.update(id, () => doc);
        const before = listener.requests.length;
        const tried = click(unindexed(), forged(id), 'U0EVE', off.app);
        assert.match(
          await waitFor('the refusal', () => ephemerals(tried.tag)[0]),
          /does not belong to anything slackline knows/,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(listener.requests.length, before);
        assert.equal(((await off.store.load(id)) as Doc).state.legacyDecisions, undefined);
      });

      it('are refused when the value is not one of the buttons of the signed message', async function () {
        const id = Workspace.uniqueId('legacy-forged');
        await ws.initFrom('app-events.yaml', id);
        const before = listener.requests.length;
        const where = unindexed();
        const honest = legacyValue({ cicdContextDataId: id, trigger: 'deploy', targetAppTag: '1.0.0' });
        const tried = click(where, forged(id), 'U0EVE', app, honest);
        assert.equal(
          await waitFor('the refusal', () => ephemerals(tried.tag)[0]),
          'This button is not on the message it was clicked on, so the click did nothing.',
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(listener.requests.length, before);
      });

      it("are decided under the context's own choices: a value they do not offer is refused", async function () {
        const target = await offer('offer', 'state.initiator=U0CAROL');
        const before = listener.requests.length;
        const tried = click(unindexed(), forged(target.id), 'U0EVE');
        assert.equal(
          await waitFor('the refusal', () => ephemerals(tried.tag)[0]),
          'This button is not one of the choices offered in its context, so the click did nothing.',
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(listener.requests.length, before);
      });

      it("apply the allow-list of the context's choice that offers the value", async function () {
        const target = await offer('offer', 'state.initiator=U0CAROL');
        const before = listener.requests.length;
        const tried = click(unindexed(), 'item-one item1 desc', 'U0EVE');
        // Not in cicdstatemgr's format: resolved through no index and no value, so nothing is known.
        assert.match(await waitFor('the refusal', () => ephemerals(tried.tag)[0]), /does not belong/);
        const value = legacyValue({ cicdContextDataId: target.id, trigger: 'deploy', targetAppTag: '1.0.0' });
        // The context offers exactly this value on its own choice, whose allow-list then decides.
        await store.update(target.id, (doc) => {
          const choice = Object.values((doc as Doc).state.offeredChoices)[0] as Doc;
          choice.options[0].value = value;
          return doc;
        });
        const outsider = click(unindexed(), value, 'U0EVE');
        assert.match(
          await waitFor('the outsider refusal', () => ephemerals(outsider.tag)[0]),
          /^Only <@U0ANA> or <@U0BOB> can make this choice\.$/,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(listener.requests.length, before);
      });
    });

    it('EventListener down for three attempts: says so, keeps trying, and delivers one event id once it is back', async function () {
      const target = await offer('single');
      const before = forwardsTo('/deploy').length;
      listener.answerNext({ status: 503 }, { status: 503 }, { status: 503 });
      click(target, 'deploy-prod', 'U0ANA');
      const pending = await waitFor('the not-yet-delivered update', () =>
        updatesOf(target.ts).find((u) => /not delivered yet/.test((u.json as Doc).text)),
      );
      assert.match((pending.json as Doc).text, /EventListener answered 503.*keeps trying until/);
      const choice = await waitFor('the delivery', async () => {
        const c = await choiceIn(target.id);
        return c.decision?.delivery?.status === 'delivered' && c;
      });
      const forwards = forwardsTo('/deploy').slice(before);
      assert.equal(forwards.length, 4, 'three refused attempts and the one that got through');
      assert.equal(
        new Set(forwards.map((f) => (f.json as Doc).id)).size,
        1,
        'one event id for every attempt',
      );
      assert.equal(
        new Set(forwards.map((f) => f.headers['idempotency-key'])).size,
        1,
        'one Idempotency-Key for every attempt',
      );
      assert.equal(choice.decision.delivery.attempts, 4);
      const shown = await waitFor('the delivered update', () =>
        updatesOf(target.ts).find((u) => /chose \*Deploy\* · event/.test((u.json as Doc).text)),
      );
      assert.ok(shown);
    });

    // A proxy cannot stand between a client and a cluster, which tells it every node's own address: a cluster's
    // nodes going down is tested in redis-cluster.test.ts.
    if (!backend.cluster)
      it('Redis down: the user is told and nothing is forwarded; clicks work again once Redis is back', async function () {
        const { hostname, port } = new URL(url);
        const proxy = new FaultProxy(hostname, Number(port || 6379));
        await proxy.start();
        const proxied = build(`redis://127.0.0.1:${proxy.port}`);
        const target = await offer('single');
        const before = forwardsTo('/deploy').length;
        await proxy.cut();
        const down = click(target, 'deploy-prod', 'U0ANA', proxied.app);
        assert.equal((await down.response).status, 200);
        await waitFor('the store-unavailable message', () => ephemerals(down.tag)[0], 20_000);
        assert.match(
          ephemerals(down.tag)[0] as string,
          /could not record this .*so nothing happened\. Please click again/,
        );
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

      it('forwards one signed command sent 6 times (Slack retries, a replay) once, with one confirmation', async function () {
        const before = forwardsTo('/deploy').length;
        const body = slashCommandBody(
          '/deploy',
          'qa myapp 2.0.0',
          'U0ANA',
          `${slack.url}/respond/cmd-replay`,
        );
        const headers = slackSignature(SECRET, body);
        const acks = await Promise.all(
          Array.from({ length: 6 }, (_, retry) =>
            request(app)
              .post('/slack/events')
              .set('content-type', FORM)
              .set(headers)
              .set(
                retry > 0
                  ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' }
                  : {},
              )
              .send(body),
          ),
        );
        assert.deepEqual(
          acks.map((a) => a.status),
          [200, 200, 200, 200, 200, 200],
        );
        await waitFor('the confirmation', () => ephemerals('cmd-replay')[0]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(forwardsTo('/deploy').length - before, 1);
        assert.equal(ephemerals('cmd-replay').length, 1, 'one answer to the user');
        // Its event id derives from Slack's trigger_id: another command (another trigger_id) has another one.
        const first = forwardsTo('/deploy')[before]!.json as Doc;
        await command('qa myapp 2.0.0', 'cmd-replay-2');
        const second = await waitFor('the other command', () => forwardsTo('/deploy')[before + 1]);
        assert.notEqual((second.json as Doc).id, first.id);
      });

      it('names the context a cicdContextDataId argument gives, with its name from the document', async function () {
        const id = Workspace.uniqueId('cmd-ctx');
        await ws.initFrom('app-events.yaml', id);
        const before = forwardsTo('/deploy').length;
        await command(`${id} prod`, 'cmd-ctx', '/promote');
        const forwarded = await waitFor('the forward', () => forwardsTo('/deploy')[before]);
        assert.deepEqual((forwarded.json as Doc).context, { id, name: 'qa' });
      });

      it('answers with usage when arguments are missing, and names an unknown command', async function () {
        await command('qa', 'cmd-2');
        assert.match(
          await waitFor('usage', () => ephemerals('cmd-2')[0]),
          /Usage: \/deploy <env> <app> <tag>/,
        );
        await command('x', 'cmd-3', '/unknown');
        assert.match(
          await waitFor('unknown', () => ephemerals('cmd-3')[0]),
          /no command \/unknown configured/,
        );
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
        assert.match(answer, /Pick a target for .*: open \(item-one: 1 of 2\)/);
      });

      it('answers status only for context documents, and only on commands configured for it', async function () {
        await command('status no-such-context', 'cmd-6');
        assert.equal(
          await waitFor('unknown id', () => ephemerals('cmd-6')[0]),
          'No context "no-such-context" is known to slackline.',
        );
        // A key of the gateway's own (a message index entry) is no context, whatever it holds.
        await store.indexMessage('C0STATUS', '1.000011', 'anything');
        await command('status slackline:message:C0STATUS:1.000011', 'cmd-7');
        assert.match(
          await waitFor('own key', () => ephemerals('cmd-7')[0]),
          /^No context ".*" is known to slackline\.$/,
        );
        // Not configured for status: "status" is the first argument like any other, forwarded as one.
        const before = forwardsTo('/deploy').length;
        await command('status 1.2.3', 'cmd-8', '/release');
        const forwarded = await waitFor(
          'the forward of /release status',
          () => forwardsTo('/deploy')[before],
        );
        assert.deepEqual((forwarded.json as Doc).command.args, { what: 'status', tag: '1.2.3' });
      });

      it("answers status only to the command's allowed users", async function () {
        const target = await offer('offer');
        await command(`status ${target.id}`, 'cmd-9', '/rollback');
        assert.equal(
          await waitFor('the refusal', () => ephemerals('cmd-9')[0]),
          'Only <@U0BOB> can run /rollback.',
        );
      });
    });
  },
);
