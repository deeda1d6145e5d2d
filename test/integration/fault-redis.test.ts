import assert from 'node:assert/strict';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeSlack } from '../helpers/fake-slack';
import { seedContext, storedChoice, type SeededChoice } from '../helpers/seed-context';
import { FaultProxy } from '../helpers/fault-proxy';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { waitFor } from '../helpers/slack-requests';
import { redisStoreConfig } from '../helpers/store-configs';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';
import { ThrowawayRedis } from '../helpers/throwaway-redis';
import { Workspace } from '../helpers/workspace';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Either the click never reached the intake log, or it did and the store then failed for a minute.
const STORE_UNAVAILABLE =
  /could not record this .*Please click again|could not reach its state store .*Please click again/;

/**
 * Redis goes away under the gateway and the CLI, here a redis-server of the test's own (the shared one is never
 * stopped). It is really stopped (SIGKILL, as a crash or an OOM kill) and started again on the same port: the
 * gateway's connection breaks, reconnect attempts are refused while it is down, and it comes back as a new
 * server process that knows nothing of the old connections (nor of the scripts they loaded). A proxy cut or CLIENT PAUSE
 * would leave the server and its state running. With `appendfsync always` a restarted server has everything it
 * acknowledged, so whatever is missing afterwards was lost by slackline, not by Redis.
 */
describe('fault: Redis stops and restarts under a stream of clicks and CLI --sets', function () {
  this.timeout(90_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  const redis = new ThrowawayRedis({ durable: true });
  const cleanup: Array<() => Promise<unknown> | void> = [];

  before(async function () {
    await slack.start();
    await listener.start();
    await redis.start();
  });

  after(async function () {
    for (const step of cleanup.reverse()) await step();
    await redis.remove();
    await slack.stop();
    await listener.stop();
  });

  const updatesOf = (ts: string) =>
    slack.requests.filter((r) => r.path === '/api/chat.update' && (r.json as Doc).ts === ts);
  const ephemeralOf = (tag: string) =>
    slack.requests.find((r) => r.path === `/respond/${tag}`)?.json as Doc | undefined;
  const answered = (tag: string, choice: SeededChoice, updatesBefore: number) =>
    ephemeralOf(tag) !== undefined || updatesOf(choice.ts).length > updatesBefore;

  async function gatewayOn(redisUrl: string): Promise<TestGateway> {
    const gateway = buildTestGateway(
      testGatewayConfig({ store: redisStoreConfig(redisUrl, '') }, { slack, listener }),
    );
    await gateway.listen();
    cleanup.push(() => gateway.close());
    return gateway;
  }

  function workspace(): Workspace {
    const ws = new Workspace({ type: 'redis', host: '127.0.0.1', port: redis.port });
    cleanup.push(() => ws.remove());
    return ws;
  }

  let seededSoFar = 0;
  async function seeded(store: RedisStore, label: string, contexts: number, perContext: number) {
    const choices: SeededChoice[] = [];
    for (let c = 0; c < contexts; c++) {
      choices.push(
        ...(await seedContext(store, {
          contextId: `${label}-${c}`,
          choices: Array.from({ length: perContext }, () => ({
            channel: `C0${label.toUpperCase()}`,
            ts: `${1_710_000_000 + seededSoFar++}.000100`,
          })),
        })),
      );
    }
    return choices;
  }

  /** A click by `userId` on the choice's first option; any ephemeral answer is recorded under `/respond/<tag>`. */
  function clickFirstOption(gateway: TestGateway, choice: SeededChoice, tag: string, userId = 'U0ANA') {
    return gateway.click({
      channelId: choice.channel,
      messageTs: choice.ts,
      value: choice.values[0] as string,
      userId,
      responseUrl: `${slack.url}/respond/${tag}`,
    });
  }

  /**
   * A gateway reaching Redis through a proxy the test can hold or mute, with its connection up; a CLI workspace
   * and a direct store on the same Redis; one open choice.
   */
  async function behindProxy(label: string) {
    const proxy = new FaultProxy('127.0.0.1', redis.port);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const gateway = await gatewayOn(`redis://127.0.0.1:${proxy.port}`);
    const ws = workspace();
    const direct = new RedisStore(redisStoreConfig(redis.url));
    cleanup.push(() => direct.close());
    const [choice] = await seeded(direct, label, 1, 1);
    assert.ok(choice);
    await gateway.store.load(choice.contextId); // the gateway's connection is up
    return { proxy, gateway, ws, direct, choice };
  }

  it('a decision cut off in flight is never written over a CLI --set that landed meanwhile', async function () {
    const { proxy, gateway, ws, direct, choice } = await behindProxy('cut');

    // The decision's write (the compare-and-set script) leaves the gateway but never reaches Redis; then the
    // connection breaks.
    const held = proxy.holdFrom(/slackline:txn:/);
    await clickFirstOption(gateway, choice, 'cut-1');
    await waitFor('the transaction to be held', () => held.then(() => true));
    proxy.park();
    proxy.drop();
    // While the gateway is cut off, a Task step changes the same document, and is told it worked.
    const set = await ws.run(['--id', choice.contextId, '--set', 'state.fromTask=kept']);
    assert.equal(set.code, 0, set.stderr);
    proxy.release();

    await waitFor('an answer to the click', () => answered('cut-1', choice, 0), 20_000);
    const doc = (await direct.load(choice.contextId)) as Doc;
    assert.equal(doc.state.fromTask, 'kept', 'the --set that exited 0 is in the document');
    const forwards = listener.forwardsOf(choice.choiceId);
    assert.ok(forwards.length <= 1, 'forwarded at most once');
    const record = doc.state.offeredChoices[choice.choiceId] as Doc;
    if (forwards.length === 1) {
      assert.equal(record.decision.delivery.status, 'delivered');
      assert.equal(record.decision.delivery.eventId, forwards[0]!.eventId);
    } else {
      assert.match(ephemeralOf('cut-1')?.text, STORE_UNAVAILABLE);
      assert.equal(record.status, 'open', 'nothing recorded for a click the user was told failed');
    }
    // Either way the gateway works on without a restart.
    if (forwards.length === 0) {
      await clickFirstOption(gateway, choice, 'cut-2');
      await waitFor('the forward after recovery', () => listener.forwardsOf(choice.choiceId)[0], 20_000);
    }
    await waitFor('the recorded delivery', async () => {
      const c = (await storedChoice(direct, choice)) as Doc;
      return c.decision?.delivery?.status === 'delivered';
    });
    assert.equal(listener.forwardsOf(choice.choiceId).length, 1);
    assert.equal(((await direct.load(choice.contextId)) as Doc).state.fromTask, 'kept');
  });

  it('a decision whose answer was lost is forwarded once, even when a CLI --set changed the document since', async function () {
    const { proxy, gateway, ws, direct, choice } = await behindProxy('lost');

    // Redis applies the decision, but its answer never reaches the gateway; then the connection breaks.
    const muted = proxy.muteAfter(/slackline:txn:/);
    await clickFirstOption(gateway, choice, 'lost-1');
    await waitFor('the write to go through', () => muted.then(() => true));
    await waitFor(
      'the decision in Redis',
      async () => ((await storedChoice(direct, choice)) as Doc).status === 'decided',
    );
    proxy.park();
    proxy.drop();
    // A Task step changes the same document before the gateway can look again.
    const set = await ws.run(['--id', choice.contextId, '--set', 'state.fromTask=kept']);
    assert.equal(set.code, 0, set.stderr);
    proxy.release();

    await waitFor('the forward', () => listener.forwardsOf(choice.choiceId)[0], 20_000);
    const record = await waitFor('the recorded delivery', async () => {
      const c = (await storedChoice(direct, choice)) as Doc;
      return c.decision?.delivery?.status === 'delivered' && c;
    });
    assert.equal(listener.forwardsOf(choice.choiceId).length, 1);
    assert.equal(record.decision.delivery.eventId, listener.forwardsOf(choice.choiceId)[0]!.eventId);
    assert.deepEqual(
      (record.audit as Doc[]).map((a) => a.action),
      ['decided', 'delivered'],
    );
    assert.equal(ephemeralOf('lost-1'), undefined, 'the user was not told anything went wrong');
    assert.equal(((await direct.load(choice.contextId)) as Doc).state.fromTask, 'kept');
  });

  it('Redis stops while a decision is being forwarded: the delivery is recorded once it is back, and shown', async function () {
    const logLines: string[] = [];
    const gateway = buildTestGateway(
      testGatewayConfig({ store: redisStoreConfig(redis.url, '') }, { slack, listener }),
      { logLines },
    );
    await gateway.listen();
    cleanup.push(() => gateway.close());
    const direct = new RedisStore(redisStoreConfig(redis.url), {
      reconnect: true,
    });
    cleanup.push(() => direct.close());
    const [choice] = await seeded(direct, 'mid', 1, 1);
    assert.ok(choice);

    // The EventListener accepts the event only once Redis is gone: the decision is out, its record is not yet.
    listener.answerNext({ status: 202, before: () => redis.kill() });
    await clickFirstOption(gateway, choice, 'mid-1');
    // Redis stays down until the gateway has seen that it cannot record the delivery.
    await waitFor(
      'the gateway to fail to record the delivery',
      () => ephemeralOf('mid-1') ?? logLines.find((l) => /"level":"(warn|error)"/.test(l)),
      30_000,
    );
    await redis.start();

    const record = await waitFor(
      'the delivery recorded after Redis came back',
      async () => {
        const c = (await storedChoice(direct, choice)) as Doc;
        return c.decision?.delivery?.status === 'delivered' && c;
      },
      30_000,
    );
    // Its outcome was never recorded, so it was sent again once Redis was back: the same event, which the
    // interceptor in front of the EventListener lets through once.
    const forwards = listener.forwardsOf(choice.choiceId);
    assert.ok(forwards.length >= 1);
    assert.equal(new Set(forwards.map((f) => (f.json as Doc).id)).size, 1, 'one event id throughout');
    assert.equal(record.decision.delivery.eventId, forwards.at(-1)!.eventId);
    const update = await waitFor('the decided update', () =>
      updatesOf(choice.ts).find((u) => /chose \*Approve\* · event/.test((u.json as Doc).text)),
    );
    assert.match(
      (update.json as Doc).text,
      new RegExp(`chose \\*Approve\\* · event ${forwards.at(-1)!.eventId}`),
    );
    assert.equal(ephemeralOf('mid-1'), undefined, 'the user was not told that nothing was forwarded');
    const errors = logLines.filter((line) => JSON.parse(line).level === 'error');
    assert.deepEqual(errors, [], 'no error was logged for a delivery that got recorded');

    // A click afterwards is told it was decided (not "being sent"), and sends nothing.
    await clickFirstOption(gateway, choice, 'mid-2', 'U0BOB');
    const refusal = await waitFor('the refusal', () => ephemeralOf('mid-2'));
    assert.match(refusal.text, /was already decided/);
    assert.equal(listener.forwardsOf(choice.choiceId).length, forwards.length);
  });

  it('keeps every acknowledged decision and every --set that exited 0, forwards each decision once, and recovers', async function () {
    const gateway = await gatewayOn(redis.url);
    const ws = workspace();
    const direct = new RedisStore(redisStoreConfig(redis.url), {
      reconnect: true,
    });
    cleanup.push(() => direct.close());
    const choices = await seeded(direct, 'crash', 8, 5);
    const contexts = [...new Set(choices.map((c) => c.contextId))];

    // A stream of clicks (one per choice, four clients) and of CLI --sets on the same documents (two steps). A
    // third of the clicks go before the crash, a third while Redis is down, the rest once it is back.
    const clicks = choices.map((choice, i) => ({ choice, tag: `crash-${i}`, updatesBefore: 0 }));
    const phase = { crashed: false, restarted: false };
    let nextClick = 0;
    let acked = 0;
    const clicker = async () => {
      for (let i = nextClick++; i < clicks.length; i = nextClick++) {
        const gate = i < clicks.length / 3 ? null : i < (2 * clicks.length) / 3 ? 'crashed' : 'restarted';
        if (gate) await waitFor(`Redis ${gate}`, () => phase[gate], 60_000);
        const click = clicks[i]!;
        const ack = await clickFirstOption(gateway, click.choice, click.tag);
        assert.equal(ack.status, 200, 'Slack gets its acknowledgement whatever happens');
        acked++;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    };
    const sets: Array<{ id: string; key: string; code: number; stderr: string }> = [];
    let clicking = true;
    const setter = async (n: number) => {
      let afterRestart = 0;
      for (let i = 0; i < 40 && (clicking || afterRestart < 3); i++) {
        const id = contexts[(n + 2 * i) % contexts.length] as string;
        const key = `s${n}x${i}`;
        const started = phase.restarted;
        const result = await ws.run(['--id', id, '--set', `state.fromTask.${key}=${key}`]);
        sets.push({ id, key, code: result.code, stderr: result.stderr });
        if (started) afterRestart++;
      }
    };
    const setters = Promise.all([setter(0), setter(1)]);
    const clickers = Promise.all([clicker(), clicker(), clicker(), clicker()]).finally(
      () => (clicking = false),
    );

    await waitFor('a third of the clicks', () => acked >= clicks.length / 3, 30_000);
    await redis.kill();
    phase.crashed = true;
    // While it is down: a Task step fails at once with a clear error, a click is refused with a message.
    const down = await ws.run(['--id', contexts[0] as string, '--set', 'state.fromTask.down=1']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach Redis at 127\.0\.0\.1:\d+: connection refused/);
    const outage = { choice: choices[0]!, tag: 'crash-outage' };
    await clickFirstOption(gateway, outage.choice, outage.tag);
    await waitFor('the outage message', () => ephemeralOf(outage.tag), 30_000);
    assert.match(ephemeralOf(outage.tag)?.text, STORE_UNAVAILABLE);
    await redis.start();
    phase.restarted = true;

    await clickers;
    await setters;
    await waitFor(
      'an answer to every click',
      () => clicks.every((c) => answered(c.tag, c.choice, c.updatesBefore)),
      30_000,
    ).catch((error: Error) => {
      const silent = clicks.filter((c) => !answered(c.tag, c.choice, c.updatesBefore));
      assert.fail(
        `${error.message}: ${silent.map((c) => `${c.tag} ${c.choice.contextId} ${c.choice.ts}`).join(', ')}`,
      );
    });

    // A click the user was told had failed did nothing: nothing forwarded, nothing recorded.
    for (const click of clicks.filter((c) => STORE_UNAVAILABLE.test(ephemeralOf(c.tag)?.text ?? ''))) {
      assert.equal(listener.forwardsOf(click.choice.choiceId).length, 0);
      assert.equal(((await storedChoice(direct, click.choice)) as Doc).status, 'open');
    }

    // Recovery, without restarting the gateway: a click on each choice not forwarded yet goes through.
    const missing = choices.filter((c) => listener.forwardsOf(c.choiceId).length === 0);
    for (const [i, choice] of missing.entries()) {
      await clickFirstOption(gateway, choice, `crash-again-${i}`);
    }
    const undelivered = async () => {
      const stuck: string[] = [];
      for (const choice of choices) {
        const c = (await storedChoice(direct, choice)) as Doc;
        if (c?.decision?.delivery?.status === 'delivered') continue;
        const forwards = listener.forwardsOf(choice.choiceId).length;
        const told = clicks
          .filter((k) => k.choice === choice)
          .map((k) => ephemeralOf(k.tag)?.text ?? '(update)');
        stuck.push(
          `${choice.choiceId}: ${c?.status} ${JSON.stringify(c?.decision?.delivery)}, ${forwards} forwards, told ${told}`,
        );
      }
      return stuck;
    };
    await waitFor(
      'every choice delivered and recorded',
      async () => (await undelivered()).length === 0,
      20_000,
    ).catch(async (error: Error) => assert.fail(`${error.message}:\n${(await undelivered()).join('\n')}`));

    for (const choice of choices) {
      // Sent again only when its outcome could not be recorded: always the same event, one idempotency key.
      const forwards = listener.forwardsOf(choice.choiceId);
      assert.ok(forwards.length >= 1, `${choice.choiceId} forwarded`);
      assert.equal(
        new Set(forwards.map((f) => (f.json as Doc).id)).size,
        1,
        `${choice.choiceId}: one event id`,
      );
      const record = (await storedChoice(direct, choice)) as Doc;
      const eventId = record.decision.delivery.eventId as string;
      assert.ok(forwards.some((f) => f.eventId === eventId));
      const actions = (record.audit as Doc[]).map((a) => a.action);
      assert.deepEqual(
        actions.filter((a) => a !== 'refused'),
        ['decided', 'delivered'],
        `audit of ${choice.choiceId}`,
      );
      // What the message said is what happened.
      for (const update of updatesOf(choice.ts)) {
        assert.match((update.json as Doc).text, new RegExp(`event ${eventId}|not delivered yet`));
      }
    }
    const succeeded = sets.filter((s) => s.code === 0);
    assert.ok(succeeded.length > 0, 'some --sets ran while Redis was up');
    for (const s of sets.filter((x) => x.code !== 0)) {
      assert.match(s.stderr, /Redis/, `a failed --set names the problem: ${s.stderr}`);
    }
    for (const s of succeeded) {
      const doc = (await direct.load(s.id)) as Doc;
      assert.equal(doc.state.fromTask?.[s.key], s.key, `--set ${s.key} on ${s.id} exited 0 and is kept`);
    }
  });
});
