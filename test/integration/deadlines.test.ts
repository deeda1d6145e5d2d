import assert from 'node:assert/strict';
import { join } from 'node:path';
import request from 'supertest';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { applyDueSteps } from '../../src/core/choice/deadline-steps';
import { when } from '../../src/core/choice/slack-text';
import { verifyForwardSignature } from '../../src/core/forward-signature';
import { FileStore } from '../../src/store/file/file-store';
import { RedisStore } from '../../src/store/redis/redis-store';
import type { DeadlineSchedule } from '../../src/store/deadline-schedule';
import type { GatewayStore } from '../../src/store/store';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import { flushTestKeys, redisEndpoint, uniqueKeyPrefix } from '../helpers/redis';
import { REDIS_BACKENDS } from '../helpers/redis-backends';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  waitFor,
} from '../helpers/slack-requests';
import {
  buildTestGateway,
  FORWARD_SECRET,
  SIGNING_SECRET as SECRET,
  testGatewayConfig,
  type TestGateway,
} from '../helpers/test-gateway';
import { Workspace } from '../helpers/workspace';
import { fileStoreConfig, redisStoreConfig } from '../helpers/store-configs';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const MINUTE = 60_000;

/** A pipeline that offers a choice with the whole ladder: remind, escalate, remind again, then a default. */
const LADDER_APP = `bases:
- core.yaml
cicd-contexts:
  qa:
    pipelines:
      build:
        event-handlers:
          approve:
            manual-choice:
              title: "Release {{ state.cicdContextDataId }}?"
              allowed-users: [U0ANA]
              choices:
                go:
                  header: "Release or not"
                  options:
                  - text: Release
                    value: release
                    style: primary
                  - text: Reject
                    value: reject
                    style: danger
              deadlines:
              - after: 30m
                remind: true
              - after: 1h
                escalate:
                  allowed-users: [U0LEAD]
              - after: 90m
                remind: Last call before the default.
              - after: 2h
                default: reject
          expiring:
            manual-choice:
              title: Now or never
              choices:
                go:
                  header: Go?
                  options:
                  - text: Go
                    value: go
              deadlines:
              - after: 1h
                expire: true
`;

for (const backend of [...REDIS_BACKENDS, 'file'] as const) {
  const kind = backend === 'file' ? 'file' : 'redis';
  const storeName = backend === 'file' ? 'file store' : `redis store, on ${backend.name}`;
  describe(`choice deadlines: reminders, escalation and a default, worked by the gateway on a moved clock (${storeName})`, function () {
    this.timeout(60_000);
    const slack = new FakeSlack();
    const listener = new FakeEventListener();
    let url: string;
    let prefix: string;
    let ws: Workspace;
    let store: GatewayStore;
    let schedule: DeadlineSchedule;
    /** The gateways' clock: real time moved ahead by this much. */
    let offsetMs = 0;
    const clock = () => Date.now() + offsetMs;
    const open: TestGateway[] = [];

    function gatewayConfig(): GatewayConfig {
      return testGatewayConfig(
        { store: kind === 'redis' ? redisStoreConfig(url, prefix) : fileStoreConfig(join(ws.dir, 'store')) },
        { slack, listener },
      );
    }

    /**
     * A gateway replica on the shared store. `loop: false` stops its own deadline loop, so that the test alone
     * decides when steps are worked (runDue), and every assertion sees all the work that was done.
     */
    async function replica(loop = false): Promise<TestGateway> {
      const gateway = buildTestGateway(gatewayConfig(), { now: clock, retryBaseDelayMs: 20 });
      open.push(gateway);
      if (!loop) await gateway.deadlines.stop();
      return gateway;
    }

    async function close(gateway: TestGateway): Promise<void> {
      open.splice(open.indexOf(gateway), 1);
      await gateway.close();
    }

    before(async function () {
      await slack.start();
      await listener.start();
      url = backend === 'file' ? '' : await backend.url();
      prefix = uniqueKeyPrefix('deadlines');
      ws = new Workspace(
        kind === 'redis'
          ? { type: 'redis', ...redisEndpoint(url), keyPrefix: prefix }
          : { type: 'filestore' },
        { slackUrl: slack.url, triggerUrl: listener.url },
      );
      ws.write('app-ladder.yaml', LADDER_APP);
      const opened =
        kind === 'redis'
          ? new RedisStore(redisStoreConfig(url, prefix))
          : new FileStore(join(ws.dir, 'store'));
      store = opened;
      schedule = opened.deadlines;
    });

    afterEach(async function () {
      for (const gateway of open.splice(0)) await gateway.close();
      offsetMs = 0;
    });

    after(async function () {
      await store.close();
      if (url) await flushTestKeys(url, prefix);
      ws.remove();
      await slack.stop();
      await listener.stop();
    });

    /** A choice offered by the CLI's manual-choice, as in a pipeline run: it schedules the ladder itself. */
    async function offer(event = 'approve') {
      const id = Workspace.uniqueId('dl');
      await ws.initFrom('app-ladder.yaml', id);
      await ws.runOk(['--id', id, '--handle-event', `build=${event}`]);
      const choice = await choiceIn(id);
      return {
        id,
        channel: choice.channel as string,
        ts: choice.messageTs as string,
        choiceId: choice.id as string,
      };
    }
    const choiceIn = async (id: string) =>
      Object.values(((await store.load(id)) as Doc).state.offeredChoices)[0] as Doc;

    let clicks = 0;
    /** A really signed click, signed at the gateways' clock (else the moved clock would take it for a replay). */
    async function click(
      gateway: TestGateway,
      target: { channel: string; ts: string },
      value: string,
      userId: string,
    ) {
      const tag = `dl-click-${++clicks}`;
      const body = interactionBody(
        blockActionsPayload({
          channelId: target.channel,
          messageTs: target.ts,
          value,
          userId,
          responseUrl: `${slack.url}/respond/${tag}`,
        }),
      );
      const response = await request(gateway.app)
        .post('/slack/events')
        .set('content-type', FORM)
        .set(slackSignature(SECRET, body, Math.floor(clock() / 1000)))
        .send(body);
      assert.equal(response.status, 200);
      return tag;
    }
    const ephemerals = (tag: string) =>
      slack.requests.filter((r) => r.path === `/respond/${tag}`).map((r) => (r.json as Doc).text as string);
    const reminders = (ts: string) =>
      slack.requests
        .filter((r) => r.path === '/api/chat.postMessage' && (r.json as Doc).thread_ts === ts)
        .map((r) => (r.json as Doc).text as string);
    const forwardsOf = (id: string) =>
      listener.requests.filter((r) => r.path === '/default' && (r.json as Doc).context?.id === id);
    const updatesOf = (ts: string) =>
      slack.requests.filter((r) => r.path === '/api/chat.update' && (r.json as Doc).ts === ts);

    /** Every replica works whatever is due, and all of it is finished. */
    async function work(...gateways: TestGateway[]) {
      await Promise.all(gateways.map((g) => g.deadlines.runDue()));
      for (const g of gateways) await g.work.empty();
    }

    it('posts the reminder once at its time, and the escalation lets a newly allowed user decide; no default after', async function () {
      const gateway = await replica();
      const choice = await offer();
      assert.equal(await schedule.size(), 1, 'the CLI scheduled the ladder when it offered the choice');

      offsetMs = 25 * MINUTE;
      await work(gateway);
      assert.deepEqual(reminders(choice.ts), [], 'nothing before its time');

      offsetMs = 31 * MINUTE;
      await work(gateway);
      await work(gateway);
      assert.deepEqual(reminders(choice.ts), [
        `⏰ "Release ${choice.id}?" is waiting for a decision from <@U0ANA>. Undecided at ${when((await choiceIn(choice.id)).deadlines[3].at)}, it is decided as "Reject".`,
      ]);

      const early = await click(gateway, choice, 'release', 'U0LEAD');
      assert.match(
        await waitFor('the refusal', () => ephemerals(early)[0]),
        /^Only <@U0ANA> can make this choice/,
      );

      offsetMs = 61 * MINUTE;
      await work(gateway);
      assert.deepEqual((await choiceIn(choice.id)).allowedUsers, ['U0ANA', 'U0LEAD']);
      const lead = await click(gateway, choice, 'release', 'U0LEAD');
      const forwarded = await waitFor('the decision', () => forwardsOf(choice.id)[0]);
      const event = forwarded.json as Doc;
      assert.equal(event.option.value, 'release');
      assert.equal(event.user.id, 'U0LEAD');
      assert.equal(event.decidedBy, undefined, 'a user decided');
      assert.deepEqual(ephemerals(lead), []);

      offsetMs = 121 * MINUTE;
      await work(gateway);
      await gateway.sweeper.stop();
      assert.equal(forwardsOf(choice.id).length, 1, 'the default is not forwarded after a decision');
      assert.equal(reminders(choice.ts).length, 1, 'nor the last call posted');
      assert.equal(await schedule.size(), 0, 'and nothing of it stays scheduled');
      const audit = ((await choiceIn(choice.id)).audit as Doc[]).map((a) => [a.action, a.user]);
      assert.deepEqual(audit, [
        ['reminded', null],
        ['refused', 'U0LEAD'],
        ['escalated', null],
        ['decided', 'U0LEAD'],
        ['delivered', null],
      ]);
    });

    it('forwards the default once at the deadline and updates the message, a gateway restarted between steps doing the rest', async function () {
      const first = await replica();
      const choice = await offer();
      offsetMs = 31 * MINUTE;
      await work(first);
      assert.equal(reminders(choice.ts).length, 1);
      await close(first);

      // Restarted: a new process on the same store, with nothing in memory.
      const restarted = await replica();
      await work(restarted);
      assert.equal(reminders(choice.ts).length, 1, 'the reminder is not posted again');
      offsetMs = 125 * MINUTE;
      await work(restarted);
      const [forwarded, ...more] = forwardsOf(choice.id);
      assert.ok(forwarded, 'the default was forwarded');
      assert.deepEqual(more, []);
      assert.deepEqual(verifyForwardSignature([FORWARD_SECRET], forwarded.headers, forwarded.text), {
        ok: true,
      });
      const event = forwarded.json as Doc;
      assert.equal(event.decidedBy, 'deadline');
      assert.equal(event.option.value, 'reject');
      assert.equal(event.user.id, '');
      assert.deepEqual(event.approvers, []);
      assert.equal(
        reminders(choice.ts).length,
        1,
        'the last call was due with the deadline, so it was skipped',
      );
      const update = await waitFor('the message update', () => updatesOf(choice.ts).at(-1));
      assert.match((update.json as Doc).text as string, /: ✅ The deadline chose \*Reject\* · event /);
      const recorded = await choiceIn(choice.id);
      assert.equal(recorded.status, 'decided');
      assert.equal(recorded.decision.delivery.status, 'delivered');

      await work(restarted);
      const late = await click(restarted, choice, 'release', 'U0ANA');
      assert.match(
        await waitFor('the refusal', () => ephemerals(late)[0]),
        /already decided: its deadline chose "Reject"/,
      );
      assert.equal(forwardsOf(choice.id).length, 1, 'forwarded once');
    });

    it('two replicas on one store never both fire a step, even when both work the same choice at once', async function () {
      const a = await replica();
      const b = await replica();
      const choices = [await offer(), await offer(), await offer()];
      offsetMs = 31 * MINUTE;
      await work(a, b);
      // As when a lease ran out while its holder was still working: both take the same choice.
      await Promise.all(
        choices.flatMap((c) =>
          [a, b].map((g) => g.deadlines.runChoice({ contextId: c.id, choiceId: c.choiceId })),
        ),
      );
      for (const c of choices) assert.equal(reminders(c.ts).length, 1, `one reminder for ${c.id}`);

      offsetMs = 125 * MINUTE;
      await Promise.all([
        work(a, b),
        ...choices.flatMap((c) =>
          [a, b].map((g) => g.deadlines.runChoice({ contextId: c.id, choiceId: c.choiceId })),
        ),
      ]);
      await work(a, b);
      for (const g of [a, b]) await g.work.empty();
      for (const c of choices) {
        await waitFor(
          `the delivery of ${c.id}`,
          async () => (await choiceIn(c.id)).decision?.delivery.status === 'delivered',
        );
        assert.equal(forwardsOf(c.id).length, 1, `one default forwarded for ${c.id}`);
        assert.equal(reminders(c.ts).length, 1);
      }
    });

    it('delivers a default whose worker died after recording it, before its outbox entry was written', async function () {
      const choice = await offer();
      offsetMs = 125 * MINUTE;
      // What the dead worker got done: the steps applied in the store, and nothing else.
      await store.update(choice.id, (doc) => {
        applyDueSteps(doc!, choice.choiceId, new Date(clock()), { contextId: choice.id });
        return doc;
      });
      assert.equal((await choiceIn(choice.id)).decision.delivery.status, 'pending');
      assert.deepEqual(forwardsOf(choice.id), []);
      const gateway = await replica();
      await work(gateway);
      // Due when the dead run's lease would have ended (2 x the 2 s forward timeout + 5 s), by Redis's clock.
      await waitFor(
        'the delivery',
        async () => (await choiceIn(choice.id)).decision.delivery.status === 'delivered',
        20_000,
      );
      assert.equal(forwardsOf(choice.id).length, 1);
      assert.equal((forwardsOf(choice.id)[0]?.json as Doc).decidedBy, 'deadline');
      assert.equal(await schedule.size(), 0);
    });

    it('expires the choice at an expire step, and shows it in the message', async function () {
      const gateway = await replica();
      const choice = await offer('expiring');
      offsetMs = 59 * MINUTE;
      await work(gateway);
      assert.deepEqual(updatesOf(choice.ts), []);
      offsetMs = 61 * MINUTE;
      await work(gateway);
      assert.equal((await choiceIn(choice.id)).status, 'expired');
      const [update, ...more] = updatesOf(choice.ts);
      assert.equal((update?.json as Doc | undefined)?.text, 'Now or never: expired');
      assert.deepEqual(more, []);
      const late = await click(gateway, choice, 'go', 'U0ANA');
      assert.match(
        await waitFor('the refusal', () => ephemerals(late)[0]),
        /expired at .*, so the click did nothing/,
      );
      assert.deepEqual(forwardsOf(choice.id), []);
      assert.equal(await schedule.size(), 0);
    });

    it("runs in every replica's own loop, without the test working it", async function () {
      const choice = await offer();
      await replica(true);
      await replica(true);
      offsetMs = 31 * MINUTE;
      await waitFor('the reminder', () => reminders(choice.ts)[0]);
      offsetMs = 125 * MINUTE;
      await waitFor('the default', () => forwardsOf(choice.id)[0]);
      for (const gateway of open.splice(0)) await gateway.close();
      assert.equal(reminders(choice.ts).length, 1);
      assert.equal(forwardsOf(choice.id).length, 1);
    });
  });
}
