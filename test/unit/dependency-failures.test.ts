import assert from 'node:assert/strict';
import { StoreError } from '../../src/core/errors';
import { countStoreFailures } from '../../src/gateway/count-store-failures';
import { createMetrics, type GatewayMetrics } from '../../src/gateway/metrics';
import { slackFailureKind } from '../../src/gateway/slack/slack-failure-kind';
import { HttpError } from '../../src/http/http-error';
import type { GatewayStore } from '../../src/store/store';

async function failures(metrics: GatewayMetrics, dependency: string, kind: string): Promise<number> {
  const series = `slackline_dependency_failures_total{dependency="${dependency}",kind="${kind}"} `;
  const line = (await metrics.render()).split('\n').find((l) => l.startsWith(series));
  return Number(line?.slice(series.length));
}

/** A store whose every call rejects with `error`, except ping, which answers. */
function failingStore(error: unknown): GatewayStore {
  const fail = async (): Promise<never> => Promise.reject(error);
  return {
    description: 'failing test store',
    load: fail,
    peek: fail,
    update: fail,
    close: async () => {},
    claimOnce: fail,
    remove: fail,
    ping: async () => {},
    findMessage: fail,
    intake: { append: fail, read: fail, claimStale: fail, touch: fail, ack: fail, backlog: fail },
    outbox: { schedule: fail, claimDue: fail, done: fail, size: fail },
  };
}

describe('countStoreFailures', function () {
  it('counts each StoreError by its kind, from documents, the intake log and the outbox, and rethrows it', async function () {
    const metrics = createMetrics();
    const store = countStoreFailures(
      failingStore(new StoreError('no Redis', { kind: 'unavailable' })),
      metrics,
    );
    await assert.rejects(store.load('a'), /no Redis/);
    await assert.rejects(store.intake.backlog(), /no Redis/);
    await assert.rejects(store.outbox.size(), /no Redis/);
    await assert.rejects(store.findMessage!('C1', '1.2'), /no Redis/);
    await store.ping();
    assert.equal(await failures(metrics, 'store', 'unavailable'), 4);
    assert.equal(await failures(metrics, 'store', 'timeout'), 0);
  });

  it('does not count an error that is not the store’s (one thrown by an update’s change)', async function () {
    const metrics = createMetrics();
    const store = countStoreFailures(failingStore(new TypeError('a bug in change')), metrics);
    await assert.rejects(
      store.update('a', () => undefined),
      TypeError,
    );
    for (const kind of ['io', 'unavailable', 'timeout'])
      assert.equal(await failures(metrics, 'store', kind), 0, kind);
  });

  it('keeps an optional method the store lacks absent, and the description as the store says it', function () {
    const inner = failingStore(new Error('x'));
    delete inner.findMessage;
    const store = countStoreFailures(inner, createMetrics());
    assert.equal(store.findMessage, undefined);
    assert.equal(store.indexMessage, undefined);
    assert.equal(store.description, 'failing test store');
  });
});

describe('slackFailureKind', function () {
  const coded = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);
  it('tells Slack’s answers apart: ok:false, rate limited, an HTTP error status', function () {
    assert.equal(slackFailureKind(coded('slack_webapi_platform_error')), 'api-error');
    assert.equal(slackFailureKind(coded('slack_webapi_rate_limited_error')), 'rate-limited');
    assert.equal(slackFailureKind(coded('slack_webapi_http_error')), 'http-status');
  });

  it('tells a timeout from a connection failure through the WebClient’s wrapping, or directly', function () {
    const timeout = new HttpError('Slack', 'no answer', { kind: 'timeout', attempts: 1 });
    const refused = new HttpError('Slack', 'ECONNREFUSED', { kind: 'connection', attempts: 3 });
    assert.equal(slackFailureKind(coded('slack_webapi_request_error', { original: timeout })), 'timeout');
    assert.equal(slackFailureKind(coded('slack_webapi_request_error', { original: refused })), 'connection');
    assert.equal(
      slackFailureKind(coded('slack_webapi_request_error', { original: new Error('x') })),
      'connection',
    );
    assert.equal(slackFailureKind(timeout), 'timeout');
    assert.equal(slackFailureKind(new Error('something else')), 'failed');
  });
});
