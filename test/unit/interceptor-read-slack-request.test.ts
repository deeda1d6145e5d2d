import assert from 'node:assert/strict';
import { readSlackRequest } from '../../src/gateway/interceptor/read-slack-request';

const FORM = 'application/x-www-form-urlencoded';
const payload = { type: 'block_actions', user: { id: 'U1' }, actions: [{ value: 'a+b & c' }] };

describe('readSlackRequest: each shape an interceptor may be given a Slack request in', function () {
  it("reads Slack's raw interaction form (payload=…), whose signed bytes are all there", function () {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    assert.deepEqual(readSlackRequest(body, FORM), {
      request: { kind: 'interaction', payload },
      rawBody: true,
    });
  });

  it("reads a slash command's raw form, keeping the first of a repeated field", function () {
    const body = 'command=%2Fdeploy&text=dev+app&user_id=U1&user_id=U2&text=again';
    assert.deepEqual(readSlackRequest(body, FORM), {
      request: { kind: 'command', fields: { command: '/deploy', text: 'dev app', user_id: 'U1' } },
      rawBody: true,
    });
  });

  it('reads a form the EventListener converted to JSON, and keeps what it merged in as extensions', function () {
    const body = JSON.stringify({
      command: ['/deploy'],
      text: ['dev app'],
      user_id: ['U1', 'U2'],
      extensions: { added_field: 'val1' },
    });
    assert.deepEqual(readSlackRequest(body, `${FORM}; charset=utf-8`), {
      request: { kind: 'command', fields: { command: '/deploy', text: 'dev app', user_id: 'U1' } },
      rawBody: false,
      extensions: { added_field: 'val1' },
    });
    const interaction = JSON.stringify({ payload: [JSON.stringify(payload)], extra: ['x'] });
    assert.deepEqual(readSlackRequest(interaction, FORM), {
      request: { kind: 'interaction', payload },
      rawBody: false,
    });
  });

  it("reads raw JSON: the gateway's forwarded event, or an interaction or command an earlier webhook decoded", function () {
    const event = {
      schema: 'slackline/forwarded-event/v1',
      kind: 'choice',
      user: { id: 'U1' },
      context: { id: null, name: null },
      slack: {},
    };
    assert.deepEqual(readSlackRequest(JSON.stringify(event), 'application/json'), {
      request: { kind: 'forwarded', event },
      rawBody: true,
    });
    const decoded = { ...payload, action_values: ['a+b & c'], slackline: { type: 'block_actions' } };
    assert.deepEqual(readSlackRequest(JSON.stringify(decoded), 'application/json'), {
      request: { kind: 'interaction', payload: decoded },
      rawBody: true,
    });
    const command = { command: '/deploy', text: 'dev', user_id: 'U1', slackline: {} };
    assert.deepEqual(readSlackRequest(JSON.stringify(command), 'application/json'), {
      request: { kind: 'command', fields: { command: '/deploy', text: 'dev', user_id: 'U1' } },
      rawBody: true,
    });
  });

  it('reads any other JSON object as such, for a slackline signature to vouch for', function () {
    assert.deepEqual(readSlackRequest('{"cicdContextDataId":"ctx-1"}', 'application/json'), {
      request: { kind: 'json', json: { cicdContextDataId: 'ctx-1' } },
      rawBody: true,
    });
  });

  it('says why a body is none of these', function () {
    const problems: [string, string, RegExp][] = [
      ['', FORM, /empty/],
      ['   ', FORM, /empty/],
      ['token=x&text=y', FORM, /neither a payload nor a command/],
      ['payload=%5B1%5D', FORM, /not a JSON object with a type/],
      ['payload=%7B%22actions%22%3A%5B%5D%7D', FORM, /not a JSON object with a type/],
      ['{"a":', 'application/json', /neither a form nor a JSON object/],
      ['{"schema":"slackline/forwarded-event/v1","kind":"other"}', 'application/json', /lacks its kind/],
    ];
    for (const [body, type, why] of problems) {
      const read = readSlackRequest(body, type);
      assert.ok('problem' in read, body);
      assert.match(read.problem, why, body);
    }
  });
});
