import assert from 'node:assert/strict';
import { RedisStore } from '../../src/store/redis-store';
import { FakeSlack } from '../helpers/fake-slack';
import { GatewayHarness, seedContext, storedChoice, type SeededChoice } from '../helpers/gateway-harness';
import { HoldingProxy } from '../helpers/holding-proxy';
import { ScriptedEventListener } from '../helpers/scripted-event-listener';
import { waitFor } from '../helpers/slack-requests';
import { ThrowawayRedis } from '../helpers/throwaway-redis';
import { Workspace } from '../helpers/workspace';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STORE_UNAVAILABLE = /cannot reach its state store/;

/**
 * Redis goes away under the gateway and the CLI, here a redis-server of the test's own (the shared one is never
 * stopped). It is really stopped (SIGKILL, as a crash or an OOM kill) and started again on the same port: the
 * gateway's connection breaks, reconnect attempts are refused while it is down, and it comes back as a new
 * server process that knows nothing of the old connections (their WATCHes included). A proxy cut or CLIENT PAUSE
 * would leave the server and its state running. With `appendfsync always` a restarted server has everything it
 * acknowledged, so whatever is missing afterwards was lost by slackline, not by Redis.
 */
describe('fault: Redis stops and restarts under a stream of clicks and CLI --sets', function () {
  this.timeout(90_000);
  const slack = new FakeSlack();
  const listener = new ScriptedEventListener();
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

  async function gatewayOn(redisUrl: string): Promise<GatewayHarness> {
    const gateway = new GatewayHarness({
      store: { type: 'redis', url: redisUrl, keyPrefix: '' },
      slackUrl: slack.url,
      listenerUrl: listener.url,
    });
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

  it('a decision cut off in flight is never written over a CLI --set that landed meanwhile', async function () {
    const proxy = new HoldingProxy('127.0.0.1', redis.port);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const gateway = await gatewayOn(`redis://127.0.0.1:${proxy.port}`);
    const ws = workspace();
    const direct = new RedisStore({ type: 'redis', isPrimary: true, url: redis.url } as never);
    cleanup.push(() => direct.close());
    const [choice] = await seeded(direct, 'cut', 1, 1);
    assert.ok(choice);
    await gateway.store.load(choice.contextId); // the gateway's connection is up

    // The decision's MULTI/SET/EXEC leaves the gateway but never reaches Redis; then the connection breaks.
    const held = proxy.holdFrom(/multi/i);
    await gateway.click({
      channelId: choice.channel,
      messageTs: choice.ts,
      value: choice.values[0] as string,
      userId: 'U0ANA',
      responseUrl: `${slack.url}/respond/cut-1`,
    });
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
      await gateway.click({
        channelId: choice.channel,
        messageTs: choice.ts,
        value: choice.values[0] as string,
        userId: 'U0ANA',
        responseUrl: `${slack.url}/respond/cut-2`,
      });
      await waitFor('the forward after recovery', () => listener.forwardsOf(choice.choiceId)[0], 20_000);
    }
    await waitFor('the recorded delivery', async () => {
      const c = (await storedChoice(direct, choice)) as Doc;
      return c.decision?.delivery?.status === 'delivered';
    });
    assert.equal(listener.forwardsOf(choice.choiceId).length, 1);
    assert.equal(((await direct.load(choice.contextId)) as Doc).state.fromTask, 'kept');
  });
});
