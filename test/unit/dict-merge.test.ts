import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dictMerge } from '../../src/compat/jsonpath/dict-merge';
import { MergeTypeError } from '../../src/core/errors';

describe('dictMerge', () => {
  it('keeps existing keys in place and appends new ones (examples/basics pipelines order)', () => {
    const base = { pipelines: { start: { a: 1 }, test: { b: 2 } } };
    const app = { pipelines: { build: { c: 3 }, test2: { d: 4 } } };
    const merged = dictMerge(base, app);
    assert.deepEqual(Object.keys(merged['pipelines'] as object), ['start', 'test', 'build', 'test2']);
  });

  it('merges mappings recursively', () => {
    assert.deepEqual(dictMerge({ a: { x: 1, y: { p: 1 } }, k: 'keep' }, { a: { y: { q: 2 }, z: 3 } }), {
      a: { x: 1, y: { p: 1, q: 2 }, z: 3 },
      k: 'keep',
    });
  });

  it('replaces lists instead of concatenating them', () => {
    assert.deepEqual(dictMerge({ bases: ['a', 'b'] }, { bases: ['c'] }), { bases: ['c'] });
  });

  it('replaces scalars of the same type, ints and floats alike', () => {
    assert.deepEqual(dictMerge({ s: 'a', n: 1, b: true }, { s: 'b', n: 2.5, b: false }), {
      s: 'b',
      n: 2.5,
      b: false,
    });
  });

  it('overwrites a falsy earlier value whatever the later type', () => {
    const earlier = { a: null, b: '', c: 0, d: false, e: [], f: {} };
    const later = { a: [1], b: { x: 1 }, c: 'text', d: 5, e: 'str', f: ['l'] };
    assert.deepEqual(dictMerge(earlier, later), later);
  });

  it('refuses the same key with different types, naming the key path and both types', () => {
    assert.throws(
      () => dictMerge({ pipelines: { build: { x: ['a'] } } }, { pipelines: { build: { x: 's' } } }),
      new MergeTypeError(
        'cannot merge "pipelines.build.x": the earlier file has a list, the later one a string',
      ),
    );
    assert.throws(
      () => dictMerge({ x: 's' }, { x: null }),
      new MergeTypeError('cannot merge "x": the earlier file has a string, the later one null'),
    );
    assert.throws(
      () => dictMerge({ x: 1 }, { x: true }),
      new MergeTypeError('cannot merge "x": the earlier file has a number, the later one a boolean'),
    );
    assert.throws(
      () => dictMerge({ x: { a: 1 } }, { x: [1] }),
      new MergeTypeError('cannot merge "x": the earlier file has a mapping, the later one a list'),
    );
  });

  it('builds new mappings where it merges, so the result can be changed freely', () => {
    const a = { m: { x: 1 } };
    const b = { m: { y: 2 } };
    const merged = dictMerge(a, b) as { m: Record<string, unknown> };
    assert.notEqual(merged.m, a.m);
    merged.m['z'] = 3;
    assert.deepEqual(a, { m: { x: 1 } });
    assert.deepEqual(b, { m: { y: 2 } });
  });

  it('keeps a key named __proto__ as data', () => {
    const later = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = dictMerge({}, later);
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.deepEqual(Object.keys(merged), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  describe('properties', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd');
    const leaf = fc.oneof(
      fc.constant(null),
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('', 's'),
      fc.boolean(),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(leaf, { maxLength: 2 }),
        fc.dictionary(key, tie('node'), { maxKeys: 3, noNullPrototype: true }),
      ),
    })).node;
    const mapping = fc.dictionary(key, value, { maxKeys: 4, noNullPrototype: true });

    it('never modifies its inputs, and orders keys as a then the new keys of b', () => {
      fc.assert(
        fc.property(mapping, mapping, (a, b) => {
          const [before, beforeB] = [structuredClone(a), structuredClone(b)];
          try {
            const merged = dictMerge(a, b);
            const expectedKeys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
            assert.deepEqual(Object.keys(merged), expectedKeys);
          } catch (error) {
            if (!(error instanceof MergeTypeError)) throw error;
          }
          assert.deepEqual(a, before);
          assert.deepEqual(b, beforeB);
        }),
      );
    });

    it('merging with an empty mapping gives an equal copy, either way round', () => {
      fc.assert(
        fc.property(mapping, (a) => {
          assert.deepEqual(dictMerge(a, {}), a);
          assert.deepEqual(dictMerge({}, a), a);
        }),
      );
    });
  });
});
