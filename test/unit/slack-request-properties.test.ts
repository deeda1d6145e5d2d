import assert from 'node:assert/strict';
import express from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { silentLogger } from '../../src/core/logger';
import { slackClickFrom } from '../../src/gateway/click/slack-click';
import { verifySlackRequests } from '../../src/gateway/slack/verify-slack-requests';
import { slackSignature } from '../helpers/slack-requests';

/** A value of any JSON type, or one of the shapes Slack uses, at any key a click is read from. */
const field = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'U0ANA', 'C0CHAN', '1700000000.000100', 'block_actions') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);
const withKeys = (keys: string[], value: fc.Arbitrary<unknown>) =>
  fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] });

/** Payloads shaped like block_actions and interactive_message, every part possibly missing or of a wrong type. */
const payloadLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom('block_actions', 'interactive_message', 'view_submission'), field),
    actions: fc.oneof(
      fc.array(
        fc.oneof(
          withKeys(['value', 'type', 'action_id'], field),
          fc.record({ selected_options: fc.array(withKeys(['value'], field), { maxLength: 2 }) }),
          field,
        ),
        { maxLength: 2 },
      ),
      field,
    ),
    user: fc.oneof(withKeys(['id', 'name', 'username', 'team_id'], field), field),
    team: fc.oneof(withKeys(['id'], field), field),
    container: fc.oneof(withKeys(['channel_id', 'message_ts', 'thread_ts'], field), field),
    channel: fc.oneof(withKeys(['id', 'name'], field), field),
    message: fc.oneof(withKeys(['ts', 'thread_ts', 'text'], field), field),
    original_message: fc.oneof(withKeys(['ts', 'thread_ts'], field), field),
    message_ts: field,
    response_url: field,
    trigger_id: field,
  },
  { requiredKeys: [] },
);

const nonEmptyString = (value: unknown) => typeof value === 'string' && value !== '';

describe('properties: Slack requests from anyone', function () {
  describe('slackClickFrom', function () {
    function checkClick(body: unknown): void {
      const click = slackClickFrom(body);
      if (click === undefined) return;
      assert.ok(click.type === 'block_actions' || click.type === 'interactive_message');
      for (const key of ['value', 'userId', 'channelId', 'messageTs'] as const) {
        assert.ok(nonEmptyString(click[key]), `${key} is a non-empty string`);
      }
      for (const key of ['userName', 'username', 'teamId', 'threadTs', 'responseUrl', 'triggerId'] as const) {
        assert.ok(click[key] === null || nonEmptyString(click[key]), `${key} is null or a non-empty string`);
      }
      assert.ok(
        click.message === null || (typeof click.message === 'object' && !Array.isArray(click.message)),
      );
    }

    it('never throws on any value, and returns a click only with every field it needs', function () {
      fc.assert(fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true }), checkClick), {
        numRuns: 300,
      });
    });

    it('never throws on payload-shaped objects with parts missing or of the wrong type', function () {
      fc.assert(fc.property(payloadLike, checkClick), { numRuns: 500 });
    });

    it('never throws on any JSON text a payload field could hold, __proto__ keys included', function () {
      const json = fc.oneof(
        fc.json({ maxDepth: 4 }),
        payloadLike.map((p) => JSON.stringify(p) ?? 'null'),
        fc.constant('{"type":"block_actions","__proto__":{"polluted":1},"actions":{"0":{"value":"x"}}}'),
      );
      fc.assert(
        fc.property(json, (text) => {
          checkClick(JSON.parse(text));
          assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
        }),
        { numRuns: 300 },
      );
    });

    it('reads every well-formed click exactly', function () {
      const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 });
      fc.assert(
        fc.property(text, text, text, text, fc.boolean(), (value, userId, channelId, messageTs, legacy) => {
          const body = legacy
            ? {
                type: 'interactive_message',
                actions: [{ value }],
                user: { id: userId },
                channel: { id: channelId },
                original_message: { ts: messageTs },
              }
            : {
                type: 'block_actions',
                actions: [{ value }],
                user: { id: userId },
                container: { channel_id: channelId, message_ts: messageTs },
              };
          const click = slackClickFrom(body);
          assert.ok(click);
          assert.deepEqual(
            [click.value, click.userId, click.channelId, click.messageTs],
            [value, userId, channelId, messageTs],
          );
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('verifySlackRequests (the signature and request-shape check)', function () {
    const SECRET = 'property-secret';
    const MAX_BODY = 4096;
    const app = express();
    app.post(
      '/slack/events',
      ...verifySlackRequests({
        signingSecrets: [SECRET],
        maxBodyBytes: MAX_BODY,
        now: () => Date.now(),
        logger: silentLogger,
      }),
      (_req, res) => {
        res.json({ passed: true });
      },
    );

    const FORM = 'application/x-www-form-urlencoded';
    const contentType = fc.constantFrom(
      FORM,
      `${FORM}; charset=utf-8`,
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    );
    const formValue = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.json({ maxDepth: 3 }),
      payloadLike.map((p) => JSON.stringify(p) ?? ''),
    );
    const form = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('payload', 'command', 'ssl_check', 'text', 'token'),
            fc.string({ maxLength: 8 }),
          ),
          formValue,
        ),
        { maxLength: 4 },
      )
      .map((pairs) => new URLSearchParams(pairs).toString());
    const body = fc.oneof(
      form,
      fc.json({ maxDepth: 4 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ maxLength: 20 }).map((s) => `payload=${s}`),
      fc.constantFrom('payload=%7B', 'payload=%FF%FE', '%', '&&&', 'payload=null', 'payload=[]', '{"a":'),
      fc.nat({ max: 3 * MAX_BODY }).map((n) => `payload=${'x'.repeat(n)}`),
    );

    /** What the check must answer, worked out independently of it. */
    function expected(type: string, text: string): number {
      if (Buffer.byteLength(text) > MAX_BODY) return 413;
      const isObject = (json: string) => {
        try {
          const value: unknown = JSON.parse(json);
          return typeof value === 'object' && value !== null && !Array.isArray(value);
        } catch {
          return false;
        }
      };
      if (type.startsWith(FORM)) {
        const fields = new URLSearchParams(text);
        const payload = fields.get('payload');
        if (payload !== null) {
          if (!isObject(payload)) return 400;
          // A click with nothing clicked: there is nothing to act on.
          const { type: kind, actions } = JSON.parse(payload) as { type?: unknown; actions?: unknown };
          const clickless = kind === 'block_actions' && !(Array.isArray(actions) && actions.length > 0);
          return clickless ? 400 : 200;
        }
        return fields.has('command') || fields.has('ssl_check') ? 200 : 400;
      }
      if (type.startsWith('application/json')) return isObject(text) ? 200 : 400;
      return 400;
    }

    it('answers every signed request 200 (passed on), 400 or 413 as its shape says, never 5xx', async function () {
      await fc.assert(
        fc.asyncProperty(contentType, body, async (type, text) => {
          const response = await request(app)
            .post('/slack/events')
            .set('content-type', type)
            .set(slackSignature(SECRET, text))
            .send(text);
          assert.equal(
            response.status,
            expected(type, text),
            `${type} ${JSON.stringify(text).slice(0, 200)}`,
          );
          if (response.status !== 200) assert.equal(typeof response.body.error, 'string');
        }),
        { numRuns: 150 },
      );
    });

    it('answers every request that is unsigned, or signed with another secret or for another body, 401 or 413', async function () {
      const signing = fc.constantFrom('none', 'other-secret', 'other-body', 'garbage');
      await fc.assert(
        fc.asyncProperty(contentType, body, signing, async (type, text, how) => {
          const headers =
            how === 'none'
              ? {}
              : how === 'other-secret'
                ? slackSignature('not-the-secret', text)
                : how === 'other-body'
                  ? slackSignature(SECRET, `${text} `)
                  : { 'x-slack-signature': 'v0=zz', 'x-slack-request-timestamp': 'soon' };
          const response = await request(app)
            .post('/slack/events')
            .set('content-type', type)
            .set(headers)
            .send(text);
          assert.equal(response.status, Buffer.byteLength(text) > MAX_BODY ? 413 : 401);
        }),
        { numRuns: 100 },
      );
    });
  });
});
