import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeSlack } from '../helpers/fake-slack';
import { seedContext, storedChoice, type SeededChoice } from '../helpers/seed-context';
import { GatewayProcess } from '../helpers/gateway-process';
import { flushTestKeys, uniqueKeyPrefix } from '../helpers/redis';
import { describeOnEachRedis } from '../helpers/redis-backends';
import { FakeEventListener } from '../helpers/fake-event-listener';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  waitFor,
} from '../helpers/slack-requests';
import { FaultProxy } from '../helpers/fault-proxy';
import {
  buildTestGateway,
  SIGNING_SECRET,
  testGatewayConfig,
  type TestGateway,
} from '../helpers/test-gateway';
import { ThrowawayRedis } from '../helpers/throwaway-redis';
import { redisStoreConfig } from '../helpers/store-configs';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const USER_TOLD_TO_CLICK_AGAIN = /Please click again/;

/**
 * The built gateway as separate processes, SIGKILLed and restarted as Kubernetes would, on a real Redis; Slack
 * and a Tekton EventListener played on loopback. The EventListener answers 202 after 400 ms and then runs
 * slackline's ClusterInterceptor (an in-process gateway on keys of its own), as a trigger does: what the
 * interceptor lets through is what would become a PipelineRun.
 */
describeOnEachRedis(
  'crash recovery: gateway processes SIGKILLed under load, Redis killed and stalled',
  function (backend) {
    this.timeout(180_000);
    const slack = new FakeSlack();
    const listener = new FakeEventListener({
      interceptorUrl: 'http://127.0.0.1:0/',
      trigger: 'namespaces/ci/triggers/approvals',
    });
    let interceptor: TestGateway;
    let redisUrl: string;
    let configDir: string;
    const prefixes: string[] = [];
    const processes: GatewayProcess[] = [];

    before(async function () {
      await slack.start();
      await listener.start();
      listener.answerAfter(400);
      redisUrl = await backend.url();
      const interceptorPrefix = uniqueKeyPrefix('crash-interceptor');
      prefixes.push(interceptorPrefix);
      // Only its ClusterInterceptor is used: it forwards nothing, so it is given no EventListener.
      interceptor = buildTestGateway(
        testGatewayConfig({ store: redisStoreConfig(redisUrl, interceptorPrefix) }, { slack }),
      );
      await interceptor.listen();
      listener.interceptWith(`${interceptor.url}/interceptor/cluster`);
      configDir = mkdtempSync(join(tmpdir(), 'slackline-crash-'));
      // A forwarding timeout of 2 s keeps the outbox lease (twice that, and 5 s) short enough to wait out here.
      writeFileSync(join(configDir, 'slackline.yaml'), 'slackline:\n  forwarding:\n    timeoutMs: 2000\n');
    });

    afterEach(async function () {
      for (const gateway of processes.splice(0)) await gateway.kill();
    });

    after(async function () {
      await interceptor.close();
      for (const prefix of prefixes) await flushTestKeys(redisUrl, prefix);
      rmSync(configDir, { recursive: true, force: true });
      await slack.stop();
      await listener.stop();
    });

    function gatewayProcess(storeUrl: string, prefix: string, extra: Record<string, string> = {}) {
      const gateway = new GatewayProcess({
        store: redisStoreConfig(storeUrl, prefix),
        standIns: { slack, listener },
        env: {
          SLACKLINE_CONFIG: join(configDir, 'slackline.yaml'),
          // A dead process's intake entries are taken over after 2 s idle, instead of the production 15 s.
          SLACKLINE_INTAKE_CLAIM_AFTER_MS: '2000',
          ...extra,
        },
      });
      processes.push(gateway);
      return gateway;
    }

    async function seed(store: RedisStore, label: string, count: number): Promise<SeededChoice[]> {
      const choices: SeededChoice[] = [];
      for (let c = 0; c * 10 < count; c++) {
        const specs = Array.from({ length: Math.min(10, count - c * 10) }, (_, i) => ({
          channel: 'C0CRASH',
          ts: `17${String(Date.now()).slice(-6)}${c}.${String(i).padStart(6, '0')}`,
        }));
        choices.push(...(await seedContext(store, { contextId: `${label}-${c}`, choices: specs })));
      }
      return choices;
    }

    interface Sent {
      choice: SeededChoice;
      tag: string;
      acked: boolean;
    }

    /** One signed click per choice, `perSecond` of them, each to the gateway `to(i)` names at the time. */
    async function clickAll(
      choices: SeededChoice[],
      perSecond: number,
      to: (i: number) => GatewayProcess | undefined,
    ): Promise<Sent[]> {
      const sent: Promise<Sent>[] = [];
      for (const [i, choice] of choices.entries()) {
        const tag = `crash-${choice.choiceId}`;
        const body = interactionBody(
          blockActionsPayload({
            channelId: choice.channel,
            messageTs: choice.ts,
            value: choice.values[0] as string,
            userId: 'U0ANA',
            responseUrl: `${slack.url}/respond/${tag}`,
          }),
        );
        // While it is down or starting, a click goes nowhere: Slack's request fails and the user sees an error.
        const url = to(i)?.listeningUrl ?? 'http://127.0.0.1:9';
        sent.push(
          fetch(`${url}/slack/events`, {
            method: 'POST',
            headers: { 'content-type': FORM, ...slackSignature(SIGNING_SECRET, body) },
            body,
            signal: AbortSignal.timeout(3000),
          }).then(
            (response) => ({ choice, tag, acked: response.status === 200 }),
            () => ({ choice, tag, acked: false }),
          ),
        );
        await sleep(1000 / perSecond);
      }
      return Promise.all(sent);
    }

    const ephemeralOf = (tag: string) =>
      slack.requests.filter((r) => r.path === `/respond/${tag}`).map((r) => (r.json as Doc).text as string);

    /** Every acked click decided and delivered (or its user told to click again), each choice passed once. */
    async function assertEveryAckedClickDelivered(store: RedisStore, sent: Sent[], withinMs: number) {
      const acked = sent.filter((s) => s.acked);
      // How many land depends on how fast the restarts are; on a loaded 2-core machine a third may be refused.
      assert.ok(
        acked.length >= sent.length / 6,
        `enough clicks were acked (${acked.length} of ${sent.length})`,
      );
      const problems = async () => {
        const found: string[] = [];
        for (const click of acked) {
          if (ephemeralOf(click.tag).some((t) => USER_TOLD_TO_CLICK_AGAIN.test(t))) continue;
          const record = await storedChoice(store, click.choice);
          const status = record?.decision?.delivery?.status;
          if (status !== 'delivered')
            found.push(`${click.choice.choiceId}: ${record?.status}, delivery ${status}`);
        }
        return found;
      };
      await waitFor(
        'every acked click delivered',
        async () => (await problems()).length === 0,
        withinMs,
      ).catch(async (error: Error) =>
        assert.fail(`${error.message}:\n${(await problems()).slice(0, 20).join('\n')}`),
      );
      await listener.interceptorsDone();
      for (const click of acked) {
        const record = await storedChoice(store, click.choice);
        if (record?.decision?.delivery?.status !== 'delivered') continue;
        const forwards = listener.forwardsOf(click.choice.choiceId);
        assert.equal(
          new Set(forwards.map((f) => (f.json as Doc).id)).size,
          1,
          `${click.choice.choiceId}: one event id`,
        );
        assert.equal(
          forwards.filter((f) => f.passed).length,
          1,
          `${click.choice.choiceId}: passed the interceptor once`,
        );
      }
      return acked;
    }

    it('300 clicks at 50/s, the gateway SIGKILLed 5 times and restarted, 100 more after: every acked click delivered, each passed once', async function () {
      const prefix = uniqueKeyPrefix('crash-kill');
      prefixes.push(prefix);
      const store = new RedisStore(redisStoreConfig(redisUrl, prefix));
      try {
        const choices = await seed(store, 'kill', 400);
        const gateway = gatewayProcess(redisUrl, prefix);
        await gateway.start();
        const clicking = clickAll(choices.slice(0, 300), 50, () => gateway);
        for (let kill = 0; kill < 5; kill++) {
          await sleep(300 + Math.random() * 700);
          await gateway.kill();
          await gateway.start();
        }
        // On a loaded machine the restarts can outlast the 300 clicks: the last 100 go to the gateway that
        // started last, so that what the kills left behind is worked on beside new clicks.
        const sent = [...(await clicking), ...(await clickAll(choices.slice(300), 50, () => gateway))];
        const acked = await assertEveryAckedClickDelivered(store, sent, 60_000);
        // A click written to the log just before a kill took its ack with it is still worked on (Slack would
        // retry it, and the retry is a duplicate): whatever was decided is delivered, none is left pending.
        const pendingUnacked = async () => {
          const pending: string[] = [];
          for (const click of sent.filter((s) => !s.acked)) {
            const record = await storedChoice(store, click.choice);
            if (record && record.status !== 'open' && record.decision?.delivery?.status !== 'delivered') {
              pending.push(click.choice.choiceId);
            }
          }
          return pending;
        };
        await waitFor('every decision delivered', async () => (await pendingUnacked()).length === 0, 30_000);
        assert.ok(acked.length >= 50, `${acked.length} clicks acked across the kills`);
      } finally {
        await store.close();
      }
    });

    it('two replicas on one Redis, one SIGKILLed mid-load: the other finishes all of its work', async function () {
      const prefix = uniqueKeyPrefix('crash-replicas');
      prefixes.push(prefix);
      const store = new RedisStore(redisStoreConfig(redisUrl, prefix));
      try {
        const choices = await seed(store, 'replicas', 100);
        const [a, b] = [gatewayProcess(redisUrl, prefix), gatewayProcess(redisUrl, prefix)] as const;
        await Promise.all([a.start(), b.start()]);
        const clicking = clickAll(choices, 50, (i) => (i % 2 === 0 ? a : b));
        await sleep(900);
        await a.kill();
        const sent = await clicking;
        await assertEveryAckedClickDelivered(store, sent, 60_000);
        assert.ok(
          sent.filter((s, i) => s.acked && i % 2 === 0).length > 0,
          'the killed replica had acked work',
        );
      } finally {
        await store.close();
      }
    });

    // One Redis of the test's own behind a proxy: a cluster's nodes cannot be proxied (they tell the client their
    // own addresses), and a cluster's nodes going down is tested in redis-cluster.test.ts.
    if (!backend.cluster)
      it('gateway → proxy → Redis: Redis SIGKILLed and restarted from its AOF, then stalled for 30 s', async function () {
        const redis = new ThrowawayRedis({ durable: true });
        await redis.start();
        const proxy = new FaultProxy('127.0.0.1', redis.port);
        await proxy.start();
        const store = new RedisStore(redisStoreConfig(redis.url), { reconnect: true });
        try {
          const choices = await seed(store, 'aof', 120);
          const gateway = gatewayProcess(`redis://127.0.0.1:${proxy.port}`, '', {
            SLACKLINE_STALL_TIMEOUT_MS: '5000',
          });
          await gateway.start();
          const clicking = clickAll(choices.slice(0, 100), 20, () => gateway);
          await sleep(1500);
          await redis.kill();
          await sleep(2000);
          await redis.start();
          const back = Date.now();
          const sent = await clicking;

          // Within 10 s of Redis: ready again, and a new click is handled.
          await waitFor(
            '/readyz 200',
            async () => (await fetch(`${gateway.url}/readyz`)).status === 200,
            10_000,
          );
          const late = await clickAll(choices.slice(100, 101), 1, () => gateway);
          assert.equal(late[0]!.acked, true);
          await waitFor(
            'the new click forwarded',
            () => listener.forwardsOf(choices[100]!.choiceId)[0],
            10_000,
          );
          assert.ok(Date.now() - back < 15_000, 'handled within seconds of Redis being back');

          // Every click acked before was delivered, or its user was told to click again.
          await assertEveryAckedClickDelivered(store, sent, 60_000);

          // A Redis that stops answering (connections open, nothing read): liveness fails, so Kubernetes restarts it.
          redis.pause();
          try {
            await waitFor(
              '/healthz 503',
              async () => (await fetch(`${gateway.url}/healthz`)).status === 503,
              30_000,
            );
          } finally {
            redis.resume();
          }
          await waitFor(
            '/healthz 200 again',
            async () => (await fetch(`${gateway.url}/healthz`)).status === 200,
            20_000,
          );
        } finally {
          await store.close();
          await proxy.cut();
          await redis.remove();
        }
      });
  },
);
