import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { silentLogger } from '../../src/core/logger';
import { verifySlackRequests } from '../../src/gateway/slack/verify-slack-requests';

// Slack's official example from "Verifying requests from Slack", verbatim.
const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

/** The gateway's verification step in front of a handler that only says the request got through. */
function appAt(nowSeconds: number, secrets = [VECTOR.secret], onRejected?: (outcome: string) => void) {
  const app = express();
  const verify = verifySlackRequests({
    signingSecrets: secrets,
    maxBodyBytes: 65536,
    now: () => nowSeconds * 1000,
    logger: silentLogger,
    onRejected,
  });
  app.post('/slack/events', ...verify, (_req, res) => {
    res.json({ verified: true });
  });
  return app;
}

function send(app: express.Express, body = VECTOR.body, signature = VECTOR.signature) {
  return request(app)
    .post('/slack/events')
    .set('content-type', 'application/x-www-form-urlencoded')
    .set('x-slack-request-timestamp', String(VECTOR.timestamp))
    .set('x-slack-signature', signature)
    .send(body);
}

describe("Slack request verification, with Slack's official test vector", function () {
  it('accepts it with the clock at its timestamp, and up to 300 s either side', async function () {
    for (const offset of [0, 300, -300]) {
      const response = await send(appAt(VECTOR.timestamp + offset));
      assert.equal(response.status, 200, `offset ${offset}`);
      assert.deepEqual(response.body, { verified: true });
    }
  });

  it('refuses it 301 s after and 301 s before its timestamp', async function () {
    assert.equal((await send(appAt(VECTOR.timestamp + 301))).status, 401);
    assert.equal((await send(appAt(VECTOR.timestamp - 301))).status, 401);
  });

  it('counts a refusal for its timestamp as a bad signature, whether too old or in the future', async function () {
    const outcomes: string[] = [];
    const record = (outcome: string) => outcomes.push(outcome);
    await send(appAt(VECTOR.timestamp + 301, [VECTOR.secret], record));
    await send(appAt(VECTOR.timestamp - 301, [VECTOR.secret], record));
    assert.deepEqual(outcomes, ['bad_signature', 'bad_signature']);
  });

  it('refuses it with one body byte changed', async function () {
    const changed = VECTOR.body.replace('user_name=roadrunner', 'user_name=roadrunnes');
    const response = await send(appAt(VECTOR.timestamp), changed);
    assert.equal(response.status, 401);
    assert.deepEqual(response.body, { error: 'invalid Slack signature' });
  });

  it('refuses it with a v1= prefix', async function () {
    assert.equal(
      (await send(appAt(VECTOR.timestamp), VECTOR.body, VECTOR.signature.replace('v0=', 'v1='))).status,
      401,
    );
  });

  it('accepts it when its secret is any of several configured (rotation), and refuses it under others only', async function () {
    assert.equal((await send(appAt(VECTOR.timestamp, ['new-secret', VECTOR.secret]))).status, 200);
    assert.equal((await send(appAt(VECTOR.timestamp, ['new-secret', 'other-secret']))).status, 401);
  });
});
