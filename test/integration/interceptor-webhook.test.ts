import assert from 'node:assert/strict';
import request from 'supertest';
import { verifyForwardSignature } from '../../src/core/forward-signature';
import { FORM, interactionBody, slackSignature } from '../helpers/slack-requests';
import {
  CHANNEL,
  CONTEXT_ID,
  fixture,
  fixtureText,
  FORWARD_SECRET,
  MESSAGE_TS,
  NOW_MS,
  NOW_S,
  SLACK_SECRET,
  AT_NOW,
  interceptorGatewayConfig,
  recordDeployChoice,
} from '../helpers/interceptor-fixtures';
import { buildTestGateway, type TestGateway } from '../helpers/test-gateway';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What an EventListener sends a first-position webhook (Triggers 0.37+): Slack's request, headers and all. */
let scopeSerial = 0;

/** `scope` as a trigger's webhook header sets it: each scope lets an event through once; most tests want a new one. */
function slackPost(
  gateway: TestGateway,
  body: string,
  secret = SLACK_SECRET,
  scope = `test-${(scopeSerial += 1)}`,
) {
  return request(gateway.app)
    .post('/interceptor/webhook')
    .set('Slackline-Deduplicate-Scope', scope)
    .set('Content-Type', FORM)
    .set('User-Agent', 'Slackbot 1.0 (+https://api.slack.com/robots)')
    .set('Eventlistener-Request-Url', '/slack?team=T0TEAM')
    .set('Foo-Trig-Header', 'from-the-trigger')
    .set(slackSignature(secret, body, NOW_S))
    .send(body);
}

/** Every field slack-payload-handler answers with is in `actual`, with its value. */
function assertSuperset(actual: Json, expected: Json) {
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(actual[key], value, `field ${key}`);
}

describe('webhook interceptor (POST /interceptor/webhook), in place of slack-payload-handler', function () {
  let gateway: TestGateway;
  before(async () => {
    gateway = buildTestGateway(interceptorGatewayConfig(), AT_NOW);
    await recordDeployChoice(gateway.store);
  });
  after(() => gateway.close());

  it('answers a block_actions click with every field slack-payload-handler gives, plus slackline', async function () {
    const body = interactionBody(fixture('block-actions.payload.json'));
    const response = await slackPost(gateway, body);
    assert.equal(response.status, 200);
    assertSuperset(response.body, fixture('block-actions.slack-payload-handler.json'));

    const { slackline } = response.body as Json;
    assert.equal(slackline.schema, 'slackline/interceptor/v1');
    assert.equal(slackline.source, 'slack');
    assert.equal(slackline.verified, 'slack-signature');
    assert.equal(slackline.type, 'block_actions');
    // The message index knows the message: its context and the recorded choice.
    assert.deepEqual(slackline.context, { id: CONTEXT_ID, name: 'dev' });
    assert.equal(slackline.choice.title, 'Deploy nginx-hello-world 1.0.0?');
    assert.equal(slackline.choice.status, 'open');
    const event = slackline.event;
    assert.equal(event.kind, 'click');
    assert.equal(event.approvers, undefined);
    assert.deepEqual(event.user, { id: 'U0BOB', name: 'bob', username: 'bob.smith', teamId: 'T0TEAM' });
    assert.deepEqual(event.option, {
      group: 'deploy',
      text: 'Deploy to dev',
      value: slackline.actionValues[0],
      style: 'primary',
    });
    assert.equal(event.value.targetAppTag, '1.0.0');
    assert.deepEqual(event.cicdstatemgr, {
      cicdContextDataId: CONTEXT_ID,
      cicdContextName: 'dev',
      targetAppName: 'nginx-hello-world',
      targetAppTag: '1.0.0',
      gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
      relatedPipelineName: 'build',
      relatedPipelineRunUid: 'build-dev-nginx-hello-world-x7k2p',
      trigger: 'deploy',
      cicdVersion: 'v1',
      slackUserId: 'U0BOB',
      slackUsername: 'bob.smith',
      slackUserFullName: 'bob',
      slackChannelId: CHANNEL,
      slackMessageTs: MESSAGE_TS,
      slackThreadTs: '1714564000.000001',
    });
    assert.equal(event.occurredAt, new Date(NOW_MS).toISOString());
  });

  it("carries the event's headers on, as JSON, signed by slackline for a later ClusterInterceptor", async function () {
    const body = interactionBody(fixture('block-actions.payload.json'));
    const response = await slackPost(gateway, body);
    const sent = slackSignature(SLACK_SECRET, body, NOW_S);
    // The answer's headers become the event's: without these, bindings and later CEL would lose them.
    assert.equal(response.headers['x-slack-signature'], sent['x-slack-signature']);
    assert.equal(response.headers['x-slack-request-timestamp'], sent['x-slack-request-timestamp']);
    assert.equal(response.headers['eventlistener-request-url'], '/slack?team=T0TEAM');
    assert.equal(response.headers['foo-trig-header'], 'from-the-trigger');
    assert.equal(response.headers['user-agent'], 'Slackbot 1.0 (+https://api.slack.com/robots)');
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(response.headers['content-length'], String(Buffer.byteLength(response.text)));
    assert.equal(response.headers['content-encoding'], undefined);
    assert.equal(response.headers['etag'], undefined);
    const verdict = verifyForwardSignature([FORWARD_SECRET], response.headers, response.text, NOW_MS);
    assert.deepEqual(verdict, { ok: true });
  });

  it('answers a slash command with every form field as a flat string, plus slackline', async function () {
    const response = await slackPost(gateway, fixtureText('slash-command.form.txt'));
    assert.equal(response.status, 200);
    assertSuperset(response.body, fixture('slash-command.slack-payload-handler.json'));
    const { slackline } = response.body as Json;
    assert.equal(slackline.type, 'slash_command');
    assert.equal(slackline.verified, 'slack-signature');
    assert.deepEqual(slackline.context, { id: null, name: null });
    assert.equal(slackline.event.kind, 'command');
    assert.deepEqual(slackline.event.command, {
      name: '/start-app-deploy',
      text: 'dev nginx-hello-world https://github.com/bitsofinfo/nginx-hello-world.git 1.0.0',
      // The gateway's own configuration of the command names the words.
      args: {
        targetCicdContextName: 'dev',
        gitAppName: 'nginx-hello-world',
        gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
        appTag: '1.0.0',
      },
    });
    assert.equal(slackline.event.cicdstatemgr.uniqueString, '8088930838d88f008e0');
    assert.equal(slackline.event.cicdstatemgr.slackUserId, 'U0BOB');
  });

  it('takes select menus and other pickers, which crashed slack-payload-handler', async function () {
    const response = await slackPost(gateway, interactionBody(fixture('static-select.payload.json')));
    assert.equal(response.status, 200);
    const body = response.body as Json;
    // A menu's selected option, a multi-select's every option, a date; a button without value gives none.
    assert.deepEqual(body.action_values, ['staging', 'smoke', 'load', '2024-05-02']);
    assert.deepEqual(body.actions, fixture('static-select.payload.json').actions);
    assert.equal(body.slackline.event.kind, 'click');
    assert.equal(body.slackline.event.option.value, 'staging');
    assert.equal(body.slackline.event.option.text, 'Staging');
    // Not a message the gateway recorded.
    assert.deepEqual(body.slackline.context, { id: null, name: null });
    assert.equal(body.slackline.choice, null);
  });

  it('answers an interaction without actions (a modal submitted) with its payload, not an empty 200', async function () {
    const payload = {
      type: 'view_submission',
      user: { id: 'U0ANA' },
      view: { id: 'V1', state: { values: {} } },
    };
    const response = await slackPost(gateway, interactionBody(payload));
    assert.equal(response.status, 200);
    assert.deepEqual(
      { ...response.body, slackline: undefined },
      { ...payload, action_values: [], slackline: undefined },
    );
    assert.equal(response.body.slackline.event, null);
  });

  it('refuses a bad signature with 401 and a JSON error', async function () {
    const body = interactionBody(fixture('block-actions.payload.json'));
    const response = await slackPost(gateway, body, 'not-the-secret');
    assert.equal(response.status, 401);
    assert.match(response.body.error, /x-slack-signature: bad signature/);
    assert.equal(response.body.code, 16);
  });

  it('refuses what is not a Slack interaction or command with 400 and a JSON error', async function () {
    for (const body of ['team_id=T0TEAM&text=hello', 'payload=not-json', '', '[1,2]']) {
      const response = await slackPost(gateway, body);
      assert.equal(response.status, 400, body);
      assert.equal(response.body.code, 3);
      assert.match(response.body.error, /^not a Slack request/);
    }
  });

  it('refuses a form the EventListener converted to JSON (Triggers 0.24-0.36): its signature cannot be checked', async function () {
    const converted = JSON.stringify({ command: ['/start-app-deploy'], text: ['dev'], user_id: ['U0BOB'] });
    const response = await slackPost(gateway, converted);
    assert.equal(response.status, 401);
    assert.match(response.body.error, /converted the form to JSON/);
  });

  it('lets a Slack request through once per scope (Slackline-Deduplicate-Scope), 409 for later copies, unless told not to', async function () {
    const body = interactionBody({
      ...fixture('block-actions.payload.json'),
      trigger_id: '7777.2222.webhook',
    });
    assert.equal((await slackPost(gateway, body, SLACK_SECRET, 'deploy')).status, 200);
    const again = await slackPost(gateway, body, SLACK_SECRET, 'deploy');
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, {
      error: 'already let through: idempotency key slack:7777.2222.webhook already passed webhook:deploy',
      code: 6,
    });
    assert.equal((await slackPost(gateway, body, SLACK_SECRET, 'audit')).status, 200);
    const all = () => slackPost(gateway, body, SLACK_SECRET, 'deploy').set('Slackline-Deduplicate', 'false');
    assert.equal((await all()).status, 200);
    const answered = await all();
    assert.equal(answered.status, 200);
    assert.equal(
      answered.headers['slackline-deduplicate-scope'],
      undefined,
      'the scope header is not copied on',
    );
  });

  it('counts its requests as type "interceptor"', async function () {
    const metrics = (await request(gateway.app).get('/metrics')).text;
    const count = (outcome: string) =>
      Number(
        new RegExp(`slackline_requests_total\\{type="interceptor",outcome="${outcome}"\\} (\\d+)`).exec(
          metrics,
        )?.[1],
      );
    assert.equal(count('ok'), 9, 'five tests, and four passages of the deduplication test');
    assert.equal(count('duplicate'), 1);
    assert.equal(count('bad_signature'), 2);
    assert.equal(count('invalid'), 4);
  });
});

describe('webhook interceptor without a Slack signing secret (Socket Mode)', function () {
  let gateway: TestGateway;
  before(async () => {
    const config = interceptorGatewayConfig({
      slack: {
        signingSecrets: [],
        botToken: 'xoxb-test',
        socketMode: true,
        appToken: 'xapp-1',
        endpoint: '/slack/events',
      },
    });
    gateway = buildTestGateway(config, AT_NOW);
    await recordDeployChoice(gateway.store);
  });
  after(() => gateway.close());

  it('takes a converted form as slack-payload-handler did, keeping the extensions merged into it, unsigned', async function () {
    const converted = JSON.stringify({
      channel_id: ['C0CMD'],
      command: ['/start-app-deploy'],
      text: ['dev app https://git.example/app.git 2.0.0'],
      user_id: ['U0BOB', 'U0SECOND'],
      extensions: { added_field: 'val1' },
    });
    const response = await request(gateway.app)
      .post('/interceptor/webhook')
      .set('Content-Type', FORM)
      .send(converted);
    assert.equal(response.status, 200);
    const body = response.body as Json;
    assert.equal(body.command, '/start-app-deploy');
    assert.equal(body.user_id, 'U0BOB');
    assert.deepEqual(body.extensions, { added_field: 'val1' });
    assert.equal(body.slackline.verified, 'none');
    assert.equal(body.slackline.event.command.args.appTag, '2.0.0');
    assert.equal(response.headers['x-slackline-signature'], undefined, 'nothing unverified is signed');
  });
});
