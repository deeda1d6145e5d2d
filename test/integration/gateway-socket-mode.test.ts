import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createGateway } from '../../src/gateway/create-gateway';
import { createJsonLogger } from '../../src/gateway/json-logger';
import { createMetrics } from '../../src/gateway/metrics';
import { createHttpClient } from '../../src/http/http-client';
import { FileStore } from '../../src/store/file-store';

describe('slackline gateway in Socket Mode', function () {
  it('takes Slack traffic over the WebSocket only: the express app serves health and metrics, no Slack endpoint', async function () {
    const http = createHttpClient();
    const gateway = createGateway(
      {
        port: 0,
        host: '127.0.0.1',
        slack: {
          signingSecrets: [],
          botToken: 'xoxb-test',
          appToken: 'xapp-1-test',
          socketMode: true,
          endpoint: '/slack/events',
        },
        store: { type: 'filestore', isPrimary: true, path: '/nonexistent' },
        forwarding: { routes: {}, timeoutMs: 1000, maxAttempts: 1 },
        commands: {},
        maxBodyBytes: 1024,
        logLevel: 'error',
        shutdownTimeoutMs: 100,
      },
      {
        store: new FileStore('/nonexistent'),
        http,
        logger: createJsonLogger('error', new Writable({ write: (_c, _e, done) => done() })),
        metrics: createMetrics(),
      },
    );
    assert.equal((await request(gateway.app).get('/healthz')).status, 200);
    assert.equal((await request(gateway.app).post('/slack/events').send('payload={}')).status, 404);
    await http.close();
  });
});
