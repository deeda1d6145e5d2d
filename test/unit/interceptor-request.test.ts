import assert from 'node:assert/strict';
import { parseInterceptorRequest } from '../../src/gateway/interceptor/interceptor-request';

describe('parseInterceptorRequest', function () {
  it('reads what an EventListener sends, and what Go leaves out or sends as null', function () {
    const full = {
      body: 'payload=%7B%7D',
      header: { 'Content-Type': ['application/x-www-form-urlencoded'], 'X-Multi': ['a', 'b'] },
      extensions: { earlier: { x: 1 } },
      interceptor_params: { secretName: 'slack' },
      context: { event_url: '/', event_id: 'e1', trigger_id: 'namespaces/ci/triggers/t' },
    };
    assert.deepEqual(parseInterceptorRequest(JSON.stringify(full)), { ok: true, request: full });
    assert.deepEqual(parseInterceptorRequest('{"context": null}'), {
      ok: true,
      request: { body: '', header: {}, extensions: {}, interceptor_params: {}, context: null },
    });
    assert.deepEqual(parseInterceptorRequest('{"body": "x", "header": null, "extensions": null}'), {
      ok: true,
      request: { body: 'x', header: {}, extensions: {}, interceptor_params: {}, context: null },
    });
  });

  it('refuses what is not JSON, not an object, has neither body nor context, or has a wrong type', function () {
    for (const text of [
      '',
      'body=x',
      '"text"',
      '[]',
      '{}',
      '{"header": {}}',
      '{"body": {"a": 1}, "context": null}',
      '{"body": "", "header": {"A": "b"}, "context": null}',
      '{"body": "", "header": {"A": [1]}, "context": null}',
      '{"body": "", "extensions": [], "context": null}',
      '{"body": "", "interceptor_params": "x", "context": null}',
      '{"body": "", "context": 5}',
    ]) {
      const parsed = parseInterceptorRequest(text);
      assert.equal(parsed.ok, false, text);
      assert.match((parsed as { error: string }).error, /InterceptorRequest/, text);
    }
  });
});
