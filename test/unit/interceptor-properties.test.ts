import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseInterceptorRequest } from '../../src/gateway/interceptor/interceptor-request';
import { readSlackRequest } from '../../src/gateway/interceptor/read-slack-request';

/** JSON-like values, with the field names an InterceptorRequest has among the arbitrary ones. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'body',
          'header',
          'extensions',
          'interceptor_params',
          'context',
          'payload',
          'command',
          '__proto__',
        ),
        fc.string(),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

describe('interceptor input parsers, for any input', function () {
  it('parseInterceptorRequest answers ok or a reason, never throws, and an ok request has the documented types', function () {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          jsonish.map((v) => JSON.stringify(v) ?? 'null'),
        ),
        (text) => {
          const parsed = parseInterceptorRequest(text);
          if (!parsed.ok) {
            assert.equal(typeof parsed.error, 'string');
            return;
          }
          const { body, header, extensions, interceptor_params: params, context } = parsed.request;
          assert.equal(typeof body, 'string');
          assert.ok(
            Object.values(header).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string')),
          );
          assert.ok(extensions && typeof extensions === 'object' && !Array.isArray(extensions));
          assert.ok(params && typeof params === 'object' && !Array.isArray(params));
          assert.ok(context === null || (typeof context === 'object' && !Array.isArray(context)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('readSlackRequest reads a body of any text and content type, or names the problem, never throwing', function () {
    const contentType = fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/json',
      'text/plain',
      '',
    );
    const body = fc.oneof(
      fc.string(),
      jsonish.map((v) => JSON.stringify(v) ?? ''),
      jsonish.map((v) => `payload=${encodeURIComponent(JSON.stringify(v) ?? '')}`),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 5 }).map((d) => new URLSearchParams(d).toString()),
    );
    fc.assert(
      fc.property(body, contentType, (text, type) => {
        const read = readSlackRequest(text, type);
        assert.ok(read && typeof read === 'object');
        if ('problem' in read) assert.equal(typeof read.problem, 'string');
      }),
      { numRuns: 500 },
    );
  });
});
