import assert from 'node:assert/strict';
import request from 'supertest';
import { buildTestGateway, testGatewayConfig } from '../helpers/test-gateway';

describe('slackline gateway in Socket Mode', function () {
  it('takes Slack traffic over the WebSocket only: the express app serves health and metrics, no Slack endpoint', async function () {
    const gateway = buildTestGateway(
      testGatewayConfig({ slack: { signingSecrets: [], appToken: 'xapp-1-test', socketMode: true } }),
    );
    assert.equal((await request(gateway.app).get('/healthz')).status, 200);
    assert.equal((await request(gateway.app).post('/slack/events').send('payload={}')).status, 404);
    await gateway.close();
  });
});
