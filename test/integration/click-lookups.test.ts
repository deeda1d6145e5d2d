import assert from 'node:assert/strict';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { seedContext } from '../helpers/seed-context';
import { waitFor } from '../helpers/slack-requests';
import { redisStoreConfig } from '../helpers/store-configs';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';

describe('a click asks the message index once', function () {
  this.timeout(30_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let url: string;
  let prefix: string;
  let store: RedisStore;
  let gateway: TestGateway;
  const asked: string[] = [];

  before(async function () {
    await slack.start();
    await listener.start();
    url = await testRedisUrl();
    prefix = uniqueKeyPrefix('lookups');
    store = new RedisStore(redisStoreConfig(url, prefix));
    const findMessage = store.findMessage.bind(store);
    store.findMessage = (channel, ts) => {
      asked.push(ts);
      return findMessage(channel, ts);
    };
    gateway = buildTestGateway(
      testGatewayConfig({ store: redisStoreConfig(url, prefix) }, { slack, listener }),
      { store },
    );
    await gateway.listen();
  });

  after(async function () {
    await gateway.close();
    await store.close();
    await flushTestKeys(url, prefix);
    await slack.stop();
    await listener.stop();
  });

  it('before its ack, and its worker decides against the context the intake entry names', async function () {
    const [choice] = await seedContext(store, {
      contextId: 'lookups-1',
      choices: [{ channel: 'C0LOOK', ts: '1700000000.000100' }],
    });
    const answer = await gateway.click({
      channelId: 'C0LOOK',
      messageTs: '1700000000.000100',
      value: choice!.values[0] as string,
      userId: 'U0ANA',
      responseUrl: `${slack.url}/respond/lookups-1`,
    });
    assert.equal(answer.status, 200);
    const [forward] = await waitFor('the forward', () => {
      const forwards = listener.forwardsOf(choice!.choiceId);
      return forwards.length > 0 ? forwards : undefined;
    });
    assert.equal((forward?.json as { context?: { id?: string } }).context?.id, 'lookups-1');
    assert.deepEqual(asked, ['1700000000.000100'], 'the worker asked the index again');
  });
});
