import assert from 'node:assert/strict';
import request from 'supertest';
import { version } from '../../package.json';
import type { ForwardedEvent } from '../../src/core/forwarded-event';
import { forwardEvent } from '../../src/gateway/forward-event';
import type { GatewayStore } from '../../src/store/store';
import { FakeSlack } from '../helpers/fake-slack';
import { FaultProxy } from '../helpers/fault-proxy';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { waitFor } from '../helpers/slack-requests';
import { redisStoreConfig } from '../helpers/store-configs';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';

const NAN = /^nan$/i;

/** The value of one sample line of a /metrics text, or undefined when there is none. */
function sample(text: string, series: string): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(`${series} `))
    ?.slice(series.length + 1);
}

const failures = (dependency: string, kind: string) =>
  `slackline_dependency_failures_total{dependency="${dependency}",kind="${kind}"}`;

describe('gateway metrics, on a real Redis and real HTTP stand-ins', function () {
  this.timeout(30_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  // One prefix per gateway: each test counts the backlog it made, and nothing another left.
  const prefixes: string[] = [];
  const newPrefix = () => {
    prefixes.push(uniqueKeyPrefix('metrics'));
    return prefixes.at(-1) as string;
  };
  const cleanup: Array<() => Promise<void>> = [];
  let redisUrl: string;

  before(async function () {
    await slack.start();
    await listener.start();
    redisUrl = await testRedisUrl();
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  after(async function () {
    for (const prefix of prefixes) await flushTestKeys(redisUrl, prefix);
    await slack.stop();
    await listener.stop();
  });

  async function harness(url = redisUrl): Promise<TestGateway> {
    const gateway = buildTestGateway(
      testGatewayConfig({ store: redisStoreConfig(url, newPrefix()) }, { slack, listener }),
    );
    await gateway.listen();
    cleanup.push(() => gateway.close());
    return gateway;
  }

  function testGateway(): TestGateway {
    const gateway = buildTestGateway(
      testGatewayConfig({ store: redisStoreConfig(redisUrl, newPrefix()) }, { slack }),
    );
    cleanup.push(() => gateway.close());
    return gateway;
  }

  const scrape = async (gateway: TestGateway) => (await fetch(`${gateway.url}/metrics`)).text();

  it('reports its build, the backlogs it reads from Redis, and the time to the ack of a click', async function () {
    const gateway = await harness();
    let text = await scrape(gateway);
    assert.equal(sample(text, `slackline_build_info{version="${version}",node="${process.version}"}`), '1');
    assert.equal(sample(text, 'slackline_undelivered_decisions'), '0');
    assert.equal(sample(text, 'slackline_intake_backlog'), '0');

    // Two decisions waiting for their EventListener, not due for a minute (the sweeper leaves them).
    const store = gateway.store as GatewayStore;
    await store.outbox.schedule('metrics-ref-1', 60_000);
    await store.outbox.schedule('metrics-ref-2', 60_000);
    const click = await gateway.click({
      channelId: 'CMETRICS',
      messageTs: '1710000000.000100',
      value: 'nothing-known',
      userId: 'UMETRICS',
      responseUrl: `${slack.url}/respond/metrics`,
    });
    assert.equal(click.status, 200);
    text = await scrape(gateway);
    assert.equal(sample(text, 'slackline_undelivered_decisions'), '2');
    assert.equal(sample(text, 'slackline_ack_seconds_count{type="block_actions"}'), '1');
    // Acknowledged well within Slack's 3 s, from the request's arrival (body and signature included).
    assert.equal(sample(text, 'slackline_ack_seconds_bucket{le="2.5",type="block_actions"}'), '1');
    assert.ok(Number(sample(text, 'slackline_ack_seconds_sum{type="block_actions"}')) > 0);
  });

  it('answers /metrics within a couple of seconds when Redis hangs, the backlogs then NaN', async function () {
    const redisPort = Number(new URL(redisUrl).port || 6379);
    const proxy = new FaultProxy('127.0.0.1', redisPort);
    await proxy.start();
    cleanup.push(async () => {
      proxy.drop();
      await proxy.stop();
    });
    const gateway = await harness(`redis://127.0.0.1:${proxy.port}`);
    assert.equal(sample(await scrape(gateway), 'slackline_undelivered_decisions'), '0');

    // From the next backlog read on, nothing reaches Redis on the gateway's connection, nor comes back.
    const held = proxy.holdFrom(/zcard|xlen/i);
    const started = performance.now();
    const text = await scrape(gateway);
    const seconds = (performance.now() - started) / 1000;
    await held;
    assert.ok(seconds < 2.5, `the scrape took ${seconds} s`);
    assert.match(sample(text, 'slackline_undelivered_decisions') ?? '', NAN);
    assert.match(sample(text, 'slackline_intake_backlog') ?? '', NAN);
    assert.ok(text.includes('slackline_requests_total'), 'the other metrics are still there');
    const ready = await fetch(`${gateway.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { reason: string }).reason, /took longer than/);
    // Redis comes back: the held connection is dropped and the gateway reconnects.
    proxy.drop();
    await waitFor(
      'the backlog read again',
      async () => sample(await scrape(gateway), 'slackline_intake_backlog') === '0',
    );
  });

  it('counts failed Slack calls by kind: ok:false, an HTTP error status, no connection', async function () {
    const gateway = testGateway();
    slack.answerNext({ body: { ok: false, error: 'channel_not_found' } });
    await gateway.env.slack.update('CMISSING', '1710000000.000200', { text: 'decided' });
    slack.answerNext({ status: 404, body: 'no such response_url' });
    await gateway.env.slack.ephemeral(`${slack.url}/respond/gone`, 'hello');
    await gateway.env.slack.ephemeral('http://127.0.0.1:9/respond/nowhere', 'hello');
    // The one call that throws (the caller decides what an unknown membership means): counted all the same.
    slack.answerNext({ body: { ok: false, error: 'missing_scope' } });
    await assert.rejects(gateway.env.slack.groupsOf('UMETRICS', ['S0GROUP']), /missing_scope/);
    const text = await gateway.env.metrics.render();
    assert.equal(sample(text, failures('slack', 'api-error')), '2');
    assert.equal(sample(text, failures('slack', 'http-status')), '1');
    assert.equal(sample(text, failures('slack', 'connection')), '1');
    assert.equal(sample(text, failures('slack', 'timeout')), '0');
  });

  it('counts failed forwards to an EventListener by kind: an error status, no connection', async function () {
    const gateway = testGateway();
    // forwardEvent reads only the id and sends the event as JSON: its other fields do not matter here.
    const event = { id: 'metrics-forward-1' } as ForwardedEvent;
    listener.answerNext({ status: 500 });
    const refused = await forwardEvent(
      gateway.env,
      { route: 'default', url: `${listener.url}/default` },
      event,
    );
    assert.equal(refused.status, 500);
    const lost = await forwardEvent(
      gateway.env,
      { route: 'default', url: 'http://127.0.0.1:9/default' },
      event,
    );
    assert.equal(lost.delivered, false);
    assert.equal(Object.hasOwn(lost, 'failure'), false, 'the outcome callers record is unchanged');
    await forwardEvent(gateway.env, { route: 'default', url: `${listener.url}/default` }, event);
    const text = await gateway.env.metrics.render();
    assert.equal(sample(text, failures('event_listener', 'http-status')), '1');
    assert.equal(sample(text, failures('event_listener', 'connection')), '1');
    assert.equal(sample(text, 'slackline_forwards_total{outcome="delivered"}'), '1');
  });

  it('counts store failures by kind, readiness probes included', async function () {
    const gateway = buildTestGateway(
      testGatewayConfig({
        // Nothing listens there: every command fails for want of a Redis.
        store: { type: 'redis', isPrimary: true, url: 'redis://127.0.0.1:9', keyPrefix: 'nowhere:' },
      }),
    );
    cleanup.push(() => gateway.close());
    const ready = await request(gateway.app).get('/readyz');
    assert.equal(ready.status, 503);
    assert.match(ready.body.reason, /^the store does not answer: /);
    const text = await waitFor('a counted store failure', async () => {
      const rendered = await gateway.env.metrics.render();
      return Number(sample(rendered, failures('store', 'unavailable'))) > 0 ? rendered : undefined;
    });
    assert.equal(sample(text, failures('store', 'refused')), '0');
  });
});
