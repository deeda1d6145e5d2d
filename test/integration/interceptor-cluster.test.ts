import assert from 'node:assert/strict';
import request from 'supertest';
import { forwardSignatureHeaders } from '../../src/core/forward-signature';
import { commandEvent } from '../../src/core/forwarded-event';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FORM, interactionBody, slackSignature } from '../helpers/slack-requests';
import {
  CONTEXT_ID,
  fixture,
  fixtureText,
  FORWARD_SECRET,
  NOW_MS,
  NOW_S,
  OTHER_SLACK_SECRET,
  SLACK_SECRET,
  AT_NOW,
  interceptorGatewayConfig,
  recordDeployChoice,
} from '../helpers/interceptor-fixtures';
import { buildTestGateway, type TestGateway } from '../helpers/test-gateway';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTEXT = {
  event_url: '/',
  event_id: '14a657c3-6816-45bf-b214-4afdaefc4ebd',
  trigger_id: 'namespaces/ci/triggers/slack-deploy',
};

let triggerSerial = 0;
/**
 * Tekton's context for a trigger of its own: a trigger lets each event through once, and most tests here send the
 * same fixtures again. The deduplication tests name theirs.
 */
function context(trigger = `namespaces/ci/triggers/test-${(triggerSerial += 1)}`) {
  return { ...CONTEXT, trigger_id: trigger };
}

/** Header names as Tekton sends them: canonical, each with an array of values. */
function canonical(headers: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()),
      [value],
    ]),
  );
}

/** The InterceptorRequest an EventListener sends for a Slack request that reached it directly. */
function fromSlack(body: string, secret = SLACK_SECRET, extra: Json = {}): Json {
  return {
    body,
    header: canonical({
      'content-type': FORM,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...slackSignature(secret, body, NOW_S),
    }),
    context: context(),
    ...extra,
  };
}

function post(gateway: TestGateway, interceptorRequest: unknown, path = '/interceptor/cluster') {
  return request(gateway.app)
    .post(path)
    .set('Content-Type', 'application/json')
    .send(typeof interceptorRequest === 'string' ? interceptorRequest : JSON.stringify(interceptorRequest));
}

describe('ClusterInterceptor (POST /interceptor/cluster)', function () {
  let gateway: TestGateway;
  before(async () => {
    gateway = buildTestGateway(interceptorGatewayConfig(), AT_NOW);
    await recordDeployChoice(gateway.store);
  });
  after(() => gateway.close());

  it('continues a raw payload= form (never converted: one field), with the resolved context under extensions.slackline', async function () {
    const response = await post(gateway, {
      ...fromSlack(interactionBody(fixture('block-actions.payload.json'))),
      context: null,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
    const body = response.body as Json;
    assert.equal(body.continue, true);
    assert.deepEqual(body.status, {});
    assert.deepEqual(Object.keys(body.extensions), ['slackline'], 'one namespaced key');
    const { slackline } = body.extensions;
    assert.equal(slackline.verified, 'slack-signature');
    assert.equal(slackline.type, 'block_actions');
    assert.deepEqual(slackline.context, { id: CONTEXT_ID, name: 'dev' });
    assert.equal(slackline.choice.status, 'open');
    assert.equal(slackline.event.kind, 'click');
    assert.equal(slackline.event.cicdstatemgr.targetAppName, 'nginx-hello-world');
    assert.equal(slackline.actionValues.length, 1);
  });

  it("takes its event id from Tekton's context", async function () {
    const response = await post(gateway, fromSlack(interactionBody(fixture('block-actions.payload.json'))));
    assert.equal(response.body.extensions.slackline.event.id, CONTEXT.event_id);
  });

  it("continues the gateway's forwarded event (raw JSON), checked with the secret its secretRef names", async function () {
    const event = commandEvent({
      command: { name: '/start-app-deploy', text: 'dev', args: { targetCicdContextName: 'dev' } },
      user: { id: 'U0BOB', username: 'bob.smith', teamId: 'T0TEAM' },
      slack: { channelId: 'C0CMD', triggerId: '1.2.3' },
      context: { id: CONTEXT_ID, name: 'dev' },
      now: new Date(NOW_MS),
    });
    const body = JSON.stringify(event);
    const response = await post(gateway, {
      body,
      header: canonical({
        'content-type': 'application/json',
        ...forwardSignatureHeaders(FORWARD_SECRET, body, NOW_MS),
      }),
      interceptor_params: { secretRef: { secretName: 'slackline-forwarding', secretKey: 'signingSecret' } },
      context: context(),
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.continue, true);
    const { slackline } = response.body.extensions;
    assert.equal(slackline.source, 'slackline');
    assert.equal(slackline.verified, 'slackline-signature');
    assert.equal(slackline.type, 'forwarded_event');
    assert.deepEqual(slackline.event, event);
    assert.deepEqual(slackline.context, { id: CONTEXT_ID, name: 'dev' });
  });

  it("continues the CLI's signed trigger-pipeline POST (other JSON), which only a slackline signature admits", async function () {
    const body = JSON.stringify({
      cicdContextDataId: CONTEXT_ID,
      appName: 'nginx-hello-world',
      appTag: '1.0.0',
    });
    const signed = await post(gateway, {
      body,
      header: canonical({
        'content-type': 'application/json',
        'x-cicdstatemgr-pipeline-name': 'deploy',
        ...forwardSignatureHeaders('rotated-out-forward-secret', body, NOW_MS),
      }),
      interceptor_params: { secretName: 'slackline-forwarding' },
      context: context(),
    });
    assert.equal(signed.body.continue, true);
    assert.deepEqual(signed.body.extensions.slackline, {
      schema: 'slackline/interceptor/v1',
      source: 'slackline',
      verified: 'slackline-signature',
      type: 'signed_json',
      actionValues: [],
      context: { id: null, name: null },
      choice: null,
      event: null,
      idempotencyKey: null,
    });
    const unsigned = await post(gateway, {
      body,
      header: canonical({ 'content-type': 'application/json' }),
      context: null,
    });
    assert.equal(unsigned.body.status.code, 3);
    assert.match(unsigned.body.status.message, /no x-slackline-signature vouches for it/);
  });

  it('checks a Slack signature with the named secret (secretRef as <secretName>/<secretKey>)', async function () {
    const body = interactionBody(fixture('block-actions.payload.json'));
    const params = { secretRef: { secretName: 'slack-app-b', secretKey: 'signingSecret' } };
    const good = await post(gateway, fromSlack(body, OTHER_SLACK_SECRET, { interceptor_params: params }));
    assert.equal(good.body.continue, true);
    // The gateway's own Slack secret is not the one the trigger asked for.
    const other = await post(gateway, fromSlack(body, SLACK_SECRET, { interceptor_params: params }));
    assert.deepEqual(other.body, {
      continue: false,
      status: { code: 16, message: 'x-slack-signature: bad signature' },
    });
  });

  it('refuses a sink-converted slash command by default (its signed bytes are gone), and continues it when told to', async function () {
    // What Triggers 0.24+ makes of a form of two fields or more: sorted keys, every value an array.
    const form = new URLSearchParams(fixtureText('slash-command.form.txt'));
    const converted = JSON.stringify(
      Object.fromEntries([...form.keys()].sort().map((key) => [key, form.getAll(key)])),
    );
    const convertedRequest = fromSlack(converted);
    const refused = await post(gateway, convertedRequest);
    assert.equal(refused.status, 200);
    assert.equal(refused.body.continue, false);
    assert.equal(refused.body.status.code, 16);
    assert.match(refused.body.status.message, /converted the form to JSON/);

    const allowed = await post(gateway, {
      ...convertedRequest,
      interceptor_params: { requireSignature: false },
    });
    assert.equal(allowed.body.continue, true);
    const { slackline } = allowed.body.extensions;
    assert.equal(slackline.verified, 'none');
    assert.equal(slackline.type, 'slash_command');
    assert.equal(slackline.event.command.name, '/start-app-deploy');
    assert.equal(slackline.event.command.args.gitAppName, 'nginx-hello-world');
  });

  it("continues the webhook interceptor's answer, as Tekton chains them (body and headers replaced)", async function () {
    const slackBody = interactionBody(fixture('static-select.payload.json'));
    const webhook = await request(gateway.app)
      .post('/interceptor/webhook')
      .set('Content-Type', FORM)
      .set(slackSignature(SLACK_SECRET, slackBody, NOW_S))
      .send(slackBody);
    assert.equal(webhook.status, 200);
    const headers = Object.fromEntries(
      Object.entries(webhook.headers).map(([name, value]) => [name, String(value)]),
    );
    const response = await post(gateway, {
      body: webhook.text,
      header: canonical(headers),
      context: context(),
    });
    assert.equal(response.body.continue, true);
    const { slackline } = response.body.extensions;
    assert.equal(slackline.verified, 'slackline-signature');
    assert.deepEqual(slackline.actionValues, ['staging', 'smoke', 'load', '2024-05-02']);
  });

  it('stops with code 16 for a bad, missing or stale signature', async function () {
    const body = interactionBody(fixture('block-actions.payload.json'));
    const bad = await post(gateway, fromSlack(body, 'wrong-secret'));
    assert.deepEqual(bad.body, {
      continue: false,
      status: { code: 16, message: 'x-slack-signature: bad signature' },
    });
    const missing = await post(gateway, { body, header: canonical({ 'content-type': FORM }), context: null });
    assert.equal(missing.body.status.code, 16);
    assert.match(missing.body.status.message, /neither x-slackline-signature nor x-slack-signature/);
    const event = commandEvent({
      command: { name: '/start-app-deploy', text: '', args: {} },
      user: { id: 'U0BOB' },
      now: new Date(NOW_MS),
    });
    const stale = JSON.stringify(event);
    const old = await post(gateway, {
      body: stale,
      header: canonical(forwardSignatureHeaders(FORWARD_SECRET, stale, NOW_MS - 301_000)),
      context: null,
    });
    assert.deepEqual(old.body, {
      continue: false,
      status: { code: 16, message: 'x-slackline-signature: stale timestamp (301 s old, limit 300 s)' },
    });
  });

  it('stops with code 3 for what is not a Slack request, and for bad params; 9 for an unknown secret name', async function () {
    const notSlack = await post(gateway, fromSlack('{"repository":{"name":"app"}}'));
    assert.equal(notSlack.body.continue, false);
    assert.equal(notSlack.body.status.code, 3);
    const empty = await post(gateway, { context: context() });
    assert.deepEqual(empty.body, {
      continue: false,
      status: { code: 3, message: 'not a Slack request or slackline event: the body is empty' },
    });
    const body = interactionBody(fixture('block-actions.payload.json'));
    const badParams = await post(
      gateway,
      fromSlack(body, SLACK_SECRET, { interceptor_params: { secretName: 7 } }),
    );
    assert.equal(badParams.body.status.code, 3);
    const unknown = await post(
      gateway,
      fromSlack(body, SLACK_SECRET, { interceptor_params: { secretName: 'nope' } }),
    );
    assert.equal(unknown.body.status.code, 9);
    assert.match(unknown.body.status.message, /no interceptor secret named "nope"/);
  });

  it('answers 400 with a JSON error to a malformed InterceptorRequest', async function () {
    for (const malformed of [
      'not json',
      '[]',
      '{}',
      '{"body": 12, "context": null}',
      '{"body": "", "header": {"X-A": "not-an-array"}, "context": null}',
      '{"body": "", "context": "namespaces/ci"}',
      '{"body": "", "interceptor_params": [], "context": null}',
    ]) {
      const response = await post(gateway, malformed);
      assert.equal(response.status, 400, malformed);
      assert.match(response.body.error, /InterceptorRequest/, malformed);
    }
  });

  it('is also served at /interceptor, the path of the ClusterInterceptor examples', async function () {
    const response = await post(
      gateway,
      fromSlack(interactionBody(fixture('block-actions.payload.json'))),
      '/interceptor',
    );
    assert.equal(response.body.continue, true);
  });

  describe('one arrival of each idempotency key per trigger', function () {
    const forwarded = () => {
      const event = commandEvent({
        command: { name: '/start-app-deploy', text: 'dev', args: { targetCicdContextName: 'dev' } },
        user: { id: 'U0BOB', username: 'bob.smith', teamId: 'T0TEAM' },
        slack: { channelId: 'C0CMD', triggerId: '1.2.3' },
        context: { id: CONTEXT_ID, name: 'dev' },
        now: new Date(NOW_MS),
      });
      const body = JSON.stringify(event);
      const headers = {
        'content-type': 'application/json',
        ...forwardSignatureHeaders(FORWARD_SECRET, body, NOW_MS),
      };
      return {
        event,
        request: (trigger: string, params: Json = {}) => ({
          body,
          header: canonical(headers),
          interceptor_params: params,
          context: context(trigger),
        }),
      };
    };

    it('lets a forwarded event through once, answering each later copy with code 6, per trigger', async function () {
      const { event, request: sent } = forwarded();
      const first = await post(gateway, sent('namespaces/ci/triggers/deploy'));
      assert.equal(first.body.continue, true);
      assert.equal(first.body.extensions.slackline.idempotencyKey, event.id);
      for (let copy = 0; copy < 3; copy++) {
        const again = await post(gateway, sent('namespaces/ci/triggers/deploy'));
        assert.deepEqual(again.body, {
          continue: false,
          status: {
            code: 6,
            message: `already let through: idempotency key ${event.id} already passed namespaces/ci/triggers/deploy`,
          },
        });
      }
      // Another trigger of the EventListener sees every event, and lets this one through once too.
      assert.equal((await post(gateway, sent('namespaces/ci/triggers/audit'))).body.continue, true);
      assert.equal((await post(gateway, sent('namespaces/ci/triggers/audit'))).body.continue, false);
      const metrics = (await request(gateway.app).get('/metrics')).text;
      assert.match(metrics, /slackline_requests_total\{type="interceptor",outcome="duplicate"\} [4-9]/);
    });

    it('lets every copy through when the trigger says deduplicate: false, and refuses a deduplicate that is no boolean', async function () {
      const { request: sent } = forwarded();
      for (let copy = 0; copy < 3; copy++) {
        const response = await post(gateway, sent('namespaces/ci/triggers/all', { deduplicate: false }));
        assert.equal(response.body.continue, true);
      }
      const bad = await post(gateway, sent('namespaces/ci/triggers/all', { deduplicate: 'no' }));
      assert.deepEqual(bad.body.status, {
        code: 3,
        message: 'failed to parse interceptor params: deduplicate must be true or false',
      });
    });

    it('keys a request straight from Slack on its trigger_id, which Slack keeps when it retries', async function () {
      const payload = { ...fixture('block-actions.payload.json'), trigger_id: '9999.1111.retried' };
      const retried = () =>
        fromSlack(interactionBody(payload), SLACK_SECRET, {
          context: context('namespaces/ci/triggers/slack-direct'),
        });
      const first = await post(gateway, retried());
      assert.equal(first.body.extensions.slackline.idempotencyKey, 'slack:9999.1111.retried');
      const second = await post(gateway, retried());
      assert.equal(second.body.continue, false);
      assert.equal(second.body.status.code, 6);
      const other = { ...payload, trigger_id: '9999.1111.another-click' };
      const third = await post(
        gateway,
        fromSlack(interactionBody(other), SLACK_SECRET, {
          context: context('namespaces/ci/triggers/slack-direct'),
        }),
      );
      assert.equal(third.body.continue, true);
    });
  });

  it('counts its requests as type "interceptor"', async function () {
    const metrics = (await request(gateway.app).get('/metrics')).text;
    assert.match(metrics, /slackline_requests_total\{type="interceptor",outcome="ok"\} [1-9]/);
    assert.match(metrics, /slackline_requests_total\{type="interceptor",outcome="bad_signature"\} [1-9]/);
    assert.match(metrics, /slackline_requests_total\{type="interceptor",outcome="invalid"\} [1-9]/);
  });
});

describe('ClusterInterceptor with a state store that fails', function () {
  let gateway: TestGateway;
  // A real Redis store with nothing listening where it points: every command fails, connection refused.
  const failing = new RedisStore({ type: 'redis', isPrimary: true, url: 'redis://127.0.0.1:1' });
  before(() => (gateway = buildTestGateway(interceptorGatewayConfig(), { ...AT_NOW, store: failing })));
  after(() => gateway.close());

  it('stops with code 14 (unavailable) rather than describe a click without its context', async function () {
    const response = await post(gateway, fromSlack(interactionBody(fixture('block-actions.payload.json'))));
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      continue: false,
      status: {
        code: 14,
        message: 'the state store is unavailable, so the clicked message cannot be resolved',
      },
    });
  });

  it('lets a forwarded event through when its key cannot be recorded: a duplicate is better than a lost decision', async function () {
    const event = commandEvent({
      command: { name: '/start-app-deploy', text: 'dev', args: { targetCicdContextName: 'dev' } },
      user: { id: 'U0BOB', username: 'bob.smith', teamId: 'T0TEAM' },
      slack: { channelId: 'C0CMD', triggerId: '1.2.3' },
      context: { id: CONTEXT_ID, name: 'dev' },
      now: new Date(NOW_MS),
    });
    const body = JSON.stringify(event);
    const sent = {
      body,
      header: canonical({
        'content-type': 'application/json',
        ...forwardSignatureHeaders(FORWARD_SECRET, body, NOW_MS),
      }),
      context: context('namespaces/ci/triggers/deploy'),
    };
    assert.equal((await post(gateway, sent)).body.continue, true);
    assert.equal((await post(gateway, sent)).body.continue, true);
  });
});
