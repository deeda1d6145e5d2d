import assert from 'node:assert/strict';
import { deepCopy } from '../../src/core/document';

describe('deepCopy', function () {
  it('copies a JSON-like document so that changing the copy leaves the original as it was', function () {
    const original = { state: { list: [1, { a: 'x' }], flag: true, none: null, n: 1.5 } };
    const copy = deepCopy(original);
    assert.deepEqual(copy, original);
    (copy.state.list[1] as { a: string }).a = 'changed';
    copy.state.list.push(3);
    assert.deepEqual(original, { state: { list: [1, { a: 'x' }], flag: true, none: null, n: 1.5 } });
  });

  it('keeps an own __proto__ key as a key, without touching the prototype', function () {
    const original = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const copy = deepCopy(original);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.deepEqual(Object.keys(copy), ['__proto__', 'x']);
    assert.equal((copy as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value, { polluted: true });
  });

  it('copies values that are not plain data with structuredClone', function () {
    const when = new Date('2026-01-02T03:04:05Z');
    const copy = deepCopy({ when, inf: Infinity });
    assert.ok(copy.when instanceof Date);
    assert.notEqual(copy.when, when);
    assert.equal(copy.when.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(copy.inf, Infinity);
  });
});
