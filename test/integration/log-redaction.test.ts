import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { FakeSlack } from '../helpers/fake-slack';
import { FakeSocketModeSlack } from '../helpers/fake-socket-mode-slack';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  waitFor,
} from '../helpers/slack-requests';
import { buildTestGateway, testGatewayConfig } from '../helpers/test-gateway';

const unique = (label: string) => `${label}${randomBytes(6).toString('hex')}`;

describe('no log line carries a secret, at debug level, in either mode', function () {
  this.timeout(30_000);
  const slack = new FakeSlack();
  const cleanup: Array<() => Promise<void>> = [];
  before(() => slack.start());
  after(() => slack.stop());
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** Fresh values for one run, so that a hit can only come from this gateway's log. */
  function secrets() {
    return {
      botToken: unique('xoxb-1-'),
      appToken: unique('xapp-1-A0TEST-'),
      signingSecret: unique('signing-'),
      verificationToken: unique('verification'),
      responseSecret: unique('respsecret'),
    };
  }

  function click(s: ReturnType<typeof secrets>) {
    const payload = {
      ...blockActionsPayload({
        channelId: 'CREDACT',
        messageTs: '1710000000.000400',
        value: 'unknown-choice',
        userId: 'UREDACT',
        responseUrl: `${slack.url}/actions/T0TEST/1234/${s.responseSecret}`,
      }),
      // The verification token Slack still puts in every payload.
      token: s.verificationToken,
    };
    return payload;
  }

  function assertNoSecret(lines: string[], values: string[]) {
    assert.ok(lines.length > 0);
    for (const line of lines)
      for (const value of values) assert.ok(!line.includes(value), `${value} in ${line}`);
  }

  it('HTTP mode: a signed click, its ephemeral answer and Bolt’s debug lines', async function () {
    const s = secrets();
    const logLines: string[] = [];
    const gateway = buildTestGateway(
      testGatewayConfig(
        { logLevel: 'debug', slack: { signingSecrets: [s.signingSecret], botToken: s.botToken } },
        { slack },
      ),
      { logLines },
    );
    cleanup.push(() => gateway.close());
    const body = interactionBody(click(s));
    const headers = slackSignature(s.signingSecret, body);
    const res = await request(gateway.app).post('/slack/events').set(headers).type(FORM).send(body);
    assert.equal(res.status, 200);
    await waitFor('the answer on the response_url', () =>
      slack.requests.find((r) => r.path.includes(s.responseSecret)),
    );
    const signature = String(headers['x-slack-signature']);
    assertNoSecret(logLines, [s.botToken, s.signingSecret, s.verificationToken, s.responseSecret, signature]);
  });

  it('Socket Mode: the same click over the WebSocket, and the client’s debug lines', async function () {
    const s = secrets();
    const socketSlack = new FakeSocketModeSlack();
    await socketSlack.start();
    cleanup.push(() => socketSlack.stop());
    const logLines: string[] = [];
    const gateway = buildTestGateway(
      testGatewayConfig({
        logLevel: 'debug',
        slack: {
          signingSecrets: [],
          socketMode: true,
          appToken: s.appToken,
          botToken: s.botToken,
          apiUrl: socketSlack.apiUrl,
        },
      }),
      { logLines },
    );
    cleanup.push(() => gateway.close());
    await waitFor('the socket', () => gateway.socket?.problem() === undefined);
    const envelope = socketSlack.send('interactive', click(s));
    await waitFor('the ack', () => socketSlack.received.find((m) => m['envelope_id'] === envelope));
    await waitFor('the answer on the response_url', () =>
      slack.requests.find((r) => r.path.includes(s.responseSecret)),
    );
    // The Socket Mode client logged the message it received: redacted, not left out.
    assert.ok(logLines.some((line) => line.includes('Received a message on the WebSocket')));
    assertNoSecret(logLines, [s.botToken, s.appToken, s.verificationToken, s.responseSecret]);
  });
});
