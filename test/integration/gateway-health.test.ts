import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { healthRoutes, type HealthRouter } from '../../src/gateway/health-routes';
import { createMetrics, type GatewayMetrics } from '../../src/gateway/metrics';

describe('health routes', function () {
  let ready: boolean | 'throws' | 'hangs';
  let metrics: GatewayMetrics;
  let health: HealthRouter;
  let app: express.Express;
  beforeEach(() => {
    ready = true;
    metrics = createMetrics();
    health = healthRoutes({
      unready: async () => {
        if (ready === 'throws') throw new Error('ECONNREFUSED');
        if (ready === 'hangs') return new Promise<undefined>(() => {});
        return ready ? undefined : 'the store is away';
      },
      metrics,
      readyTimeoutMs: 100,
    });
    app = express();
    app.use(health);
  });

  it('answers /healthz with ok', async function () {
    const res = await request(app).get('/healthz').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('answers /readyz by asking each time, with the reason when not ready', async function () {
    await request(app).get('/readyz').expect(200);
    ready = false;
    const res = await request(app).get('/readyz').expect(503);
    assert.deepEqual(res.body, { status: 'not ready', reason: 'the store is away' });
    ready = true;
    await request(app).get('/readyz').expect(200);
  });

  it('is not ready when the check fails or takes too long', async function () {
    ready = 'throws';
    assert.equal((await request(app).get('/readyz').expect(503)).body.reason, 'ECONNREFUSED');
    ready = 'hangs';
    const res = await request(app).get('/readyz').expect(503);
    assert.equal(res.body.reason, 'the readiness check took longer than 100 ms');
  });

  it('is not ready once shutdown has begun, yet still alive', async function () {
    health.markShuttingDown();
    assert.equal((await request(app).get('/readyz').expect(503)).body.reason, 'shutting down');
    await request(app).get('/healthz').expect(200);
  });

  it('serves every slackline metric and the process metrics as Prometheus text', async function () {
    metrics.request('block_actions', 'ok');
    metrics.request('block_actions', 'ok');
    metrics.decision('decided');
    metrics.forward('delivered', 0.2);
    const res = await request(app).get('/metrics').expect(200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const text = res.text;
    for (const name of [
      'slackline_requests_total',
      'slackline_decisions_total',
      'slackline_forwards_total',
      'slackline_forward_duration_seconds_bucket',
      'process_cpu_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      assert.ok(text.includes(name), `${name} missing`);
    }
    assert.match(text, /slackline_requests_total\{type="block_actions",outcome="ok"\} 2/);
    assert.match(text, /slackline_requests_total\{type="slash_command",outcome="error"\} 0/);
    assert.match(text, /slackline_decisions_total\{outcome="decided"\} 1/);
    assert.match(text, /slackline_forwards_total\{outcome="delivered"\} 1/);
    assert.match(text, /slackline_forward_duration_seconds_bucket\{le="0\.25"\} 1/);
    assert.match(text, /slackline_forward_duration_seconds_count 1/);
  });

  it('keeps each gateway’s metrics apart', async function () {
    createMetrics().decision('refused');
    const res = await request(app).get('/metrics').expect(200);
    assert.match(res.text, /slackline_decisions_total\{outcome="refused"\} 0/);
  });
});
