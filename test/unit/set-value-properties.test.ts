import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findValues } from '../../src/compat/jsonpath/jsonpath';
import { pythonStrip } from '../../src/compat/python/python-whitespace';
import { setValue } from '../../src/compat/jsonpath/set-value';

/**
 * Properties of `--set`'s path algorithm beyond those in set-value.test.ts (which checks plain dotted paths of
 * JSONPath-friendly names against findValues): any key text, what is left alone, and the `[]`/`{}` hints.
 */

/** A NUL is refused whatever the path (set-value.test.ts); every other character is generated here. */
const withoutNul = (s: string) => !s.includes('\u0000');

/** A key of any text that setValue reads as one key: no `.` (it splits there) and no hint marker. */
const anyKey = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'length',
      '0',
      '-1',
      '$',
      '*',
      '@',
      'a b',
      '',
    ),
  )
  .filter((k) => withoutNul(k) && !k.includes('.') && !k.includes('[]') && !k.includes('{}'));

/** Keys the whole path's strip leaves alone at its ends. */
const pathOf = (keys: string[]) => keys.join('.');
const stripSafe = (keys: string[]) => pythonStrip(pathOf(keys)) === pathOf(keys);

const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 6 }));
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(leaf, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'state'), tie('node'), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
  ),
})).node;
const mapping = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'state'), tree, {
  maxKeys: 4,
  noNullPrototype: true,
});

/** The own value at `keys`, walking own properties only (never a prototype's). */
function walk(doc: unknown, keys: string[]): { found: boolean; value?: unknown } {
  let current: unknown = doc;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key))
      return { found: false };
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true, value: current };
}

/** Python's list-of-unique-items, first occurrence kept. */
function dedupe(items: string[]): string[] {
  return items.filter((item, i) => items.indexOf(item) === i);
}

describe('properties: --set paths (setValue)', function () {
  it('stores the value under any key text, as own properties, and touches no prototype', function () {
    fc.assert(
      fc.property(
        fc.array(anyKey, { minLength: 1, maxLength: 4 }).filter(stripSafe),
        fc.oneof(fc.string({ unit: 'binary' }).filter(withoutNul), fc.integer(), fc.constant(null)),
        (keys, value) => {
          const doc: Record<string, unknown> = {};
          setValue(doc, pathOf(keys), value);
          const expected = typeof value === 'string' ? pythonStrip(value) : value;
          assert.deepEqual(walk(doc, keys), { found: true, value: expected });
          for (let i = 1; i < keys.length; i++) {
            const parent = walk(doc, keys.slice(0, i)).value;
            assert.equal(Object.getPrototypeOf(parent), Object.prototype, 'created mappings are plain');
          }
          assert.equal(Object.getPrototypeOf(doc), Object.prototype);
          assert.equal(Object.keys(Object.prototype).length, 0, 'Object.prototype gained a key');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves everything but the path it sets as it was', function () {
    const key = fc.constantFrom('a', 'b', 'c', 'state', 'new');
    fc.assert(
      fc.property(mapping, fc.array(key, { minLength: 1, maxLength: 3 }), fc.string(), (doc, keys, raw) => {
        const value = pythonStrip(raw) || 'v';
        const before = structuredClone(doc);
        setValue(doc, pathOf(keys), value);
        // Where the reference stops descending (an existing non-mapping), it replaces that value.
        let stop = 0;
        let node: unknown = before;
        for (; stop < keys.length - 1; stop++) {
          const k = keys[stop] as string;
          const next = (node as Record<string, unknown>)[k];
          if (!Object.hasOwn(node as object, k)) break;
          if (typeof next !== 'object' || next === null || Array.isArray(next)) break;
          node = next;
        }
        const replaced = keys.slice(0, stop + 1);
        const strip = (d: Record<string, unknown>) => {
          const copy = structuredClone(d);
          const parent = walk(copy, replaced.slice(0, -1)).value as Record<string, unknown> | undefined;
          if (parent) delete parent[replaced.at(-1) as string];
          return copy;
        };
        assert.deepEqual(strip(doc), strip(before));
      }),
      { numRuns: 300 },
    );
  });

  describe('list[] and set{} hints', function () {
    /** Comma-free items, so that an item list and its text are one-to-one. */
    const item = fc.string({ unit: 'binary', maxLength: 5 }).filter((s) => withoutNul(s) && !s.includes(','));
    const op = fc.oneof(
      { weight: 1, arbitrary: fc.constant<'reset'>('reset') },
      { weight: 5, arbitrary: fc.array(item, { minLength: 1, maxLength: 4 }) },
    );
    /** The text an operation sets, and the items the reference makes of it (the value is stripped first). */
    const textOf = (o: 'reset' | string[]) => (o === 'reset' ? '[]' : o.join(','));
    const itemsOf = (text: string) => pythonStrip(text).split(',');

    it('`[]` appends the comma-separated items, in order, and `[]` as the value empties the list', function () {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 8 }), (ops) => {
          const doc: Record<string, unknown> = { state: {} };
          let model: string[] | undefined;
          for (const o of ops) {
            const text = textOf(o);
            setValue(doc, 'state.list[]', text);
            model = pythonStrip(text) === '[]' ? [] : [...(model ?? []), ...itemsOf(text)];
            assert.deepEqual(findValues(doc, 'state.list'), [model]);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('`{}` keeps each item once, in the order first seen, whatever was set before', function () {
      fc.assert(
        fc.property(fc.array(fc.tuple(op, fc.constantFrom('[]', '{}')), { maxLength: 8 }), (ops) => {
          const doc: Record<string, unknown> = {};
          let model: string[] = [];
          for (const [o, hint] of ops) {
            const text = textOf(o);
            setValue(doc, `s${hint}`, text);
            if (pythonStrip(text) === '[]') model = [];
            else {
              model = [...model, ...itemsOf(text)];
              if (hint === '{}') model = dedupe(model);
            }
            assert.deepEqual(doc['s'], model);
          }
          const last = ops.at(-1);
          if (last?.[1] === '{}') {
            const set = doc['s'] as string[];
            assert.equal(new Set(set).size, set.length, 'a set{} holds no item twice');
          }
        }),
        { numRuns: 300 },
      );
    });

    it('a hint on a key that holds anything but a list (or a falsy value) is refused and changes nothing', function () {
      const existing = fc.oneof(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1 }),
        fc.constant(true),
        fc.dictionary(fc.constantFrom('a', 'b'), fc.integer(), { minKeys: 1, noNullPrototype: true }),
      );
      fc.assert(
        fc.property(
          existing,
          fc.constantFrom('[]', '{}'),
          fc.array(item, { minLength: 1 }),
          (value, hint, items) => {
            const doc: Record<string, unknown> = { k: structuredClone(value) };
            assert.throws(
              () => setValue(doc, `k${hint}`, items.join(',')),
              /is marked as a list\[\] or set\{\}/,
            );
            assert.deepEqual(doc, { k: value });
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
