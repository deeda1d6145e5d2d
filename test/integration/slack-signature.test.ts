import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** Exactly these bytes and header lines, which supertest would re-encode or join. */
function postRaw(
  app: express.Express,
  headers: Record<string, string | string[]>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/slack/events',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            server.close();
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  });
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
    assert.deepEqual(response.body, { error: 'invalid Slack signature', reason: 'bad signature' });
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

  it('checks the bytes Slack signed, not their decoding: a body with invalid UTF-8 is accepted when signed', async function () {
    const bytes = Buffer.concat([Buffer.from('command=%2Fdeploy&text='), Buffer.from([0xff, 0xfe, 0x41])]);
    const ts = VECTOR.timestamp;
    const signature = `v0=${createHmac('sha256', VECTOR.secret)
      .update(Buffer.concat([Buffer.from(`v0:${ts}:`), bytes]))
      .digest('hex')}`;
    const headers = { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature };
    const accepted = await postRaw(appAt(ts), headers, bytes);
    assert.equal(accepted.status, 200, accepted.body);
    // And the same bytes with one of them changed are not.
    const changed = Buffer.from(bytes);
    changed[changed.length - 2] = 0xfd;
    assert.equal((await postRaw(appAt(ts), headers, changed)).status, 401);
  });

  it('says a signature header sent twice is duplicated, not missing, and refuses it', async function () {
    const response = await postRaw(
      appAt(VECTOR.timestamp),
      {
        'x-slack-request-timestamp': String(VECTOR.timestamp),
        // node:http's client sends both lines of a header given as an array.
        'x-slack-signature': [VECTOR.signature, VECTOR.signature],
      },
      Buffer.from(VECTOR.body),
    );
    assert.equal(response.status, 401);
    assert.deepEqual(JSON.parse(response.body), {
      error: 'invalid Slack signature',
      reason: 'duplicated signature headers',
    });
  });

  it('answers 400 at once to a signed block_actions without actions, and to JSON nested past 64 levels', async function () {
    const ts = VECTOR.timestamp;
    const signed = (body: string, type = 'application/x-www-form-urlencoded') =>
      request(appAt(ts))
        .post('/slack/events')
        .set('content-type', type)
        .set('x-slack-request-timestamp', String(ts))
        .set(
          'x-slack-signature',
          `v0=${createHmac('sha256', VECTOR.secret).update(`v0:${ts}:${body}`).digest('hex')}`,
        )
        .send(body);
    const noActions = new URLSearchParams({
      payload: JSON.stringify({ type: 'block_actions', user: { id: 'U1' } }),
    });
    const empty = await signed(noActions.toString());
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.body, { error: 'a block_actions payload without actions' });
    const at64 = `${'['.repeat(63)}${']'.repeat(63)}`;
    assert.equal((await signed(`{"a":${at64}}`, 'application/json')).status, 200, '64 levels are fine');
    const deep = `{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
    const refused = await signed(deep, 'application/json');
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, { error: 'body is nested more than 64 deep' });
    // Brackets inside strings are text, not nesting.
    const inText = JSON.stringify({ a: '['.repeat(1000) });
    assert.equal((await signed(inText, 'application/json')).status, 200);
  });
});
