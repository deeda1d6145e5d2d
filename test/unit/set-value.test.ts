import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SetValueError } from '../../src/core/errors';
import { findValues } from '../../src/compat/jsonpath/jsonpath';
import { pythonStrip } from '../../src/compat/python/python-whitespace';
import { setValue, type SetValueOptions } from '../../src/compat/jsonpath/set-value';

function applied(doc: Record<string, unknown>, ...sets: [string, unknown][]): Record<string, unknown> {
  for (const [path, value] of sets) setValue(doc, path, value);
  return doc;
}

describe('setValue', () => {
  describe('plain values', () => {
    it('creates missing mappings along the path and stores strings as strings', () => {
      assert.deepEqual(applied({}, ['state.a.b', '99999']), { state: { a: { b: '99999' } } });
    });

    it('strips the path and a string value, but keeps other values as they are', () => {
      assert.deepEqual(applied({}, ['  state.x \t', '  v  '], ['state.n', 5], ['state.o', { a: ' b ' }]), {
        state: { x: 'v', n: 5, o: { a: ' b ' } },
      });
    });

    it('descends into an existing mapping', () => {
      assert.deepEqual(applied({ state: { keep: 1 } }, ['state.x', 'v']), { state: { keep: 1, x: 'v' } });
    });

    it('replaces an existing non-mapping and ignores the rest of the path (the reference does this)', () => {
      assert.deepEqual(applied({ state: { x: 'text' } }, ['state.x.sub', 'val']), { state: { x: 'val' } });
      assert.deepEqual(applied({ state: { x: ['a'] } }, ['state.x.sub', 'val']), { state: { x: 'val' } });
    });

    it('replaces an existing mapping when the path ends there', () => {
      assert.deepEqual(applied({ state: { x: { a: 1 } } }, ['state.x', 'v']), { state: { x: 'v' } });
    });

    it('splits the path on every dot, so empty segments are keys too', () => {
      assert.deepEqual(applied({}, ['a..b', 'v']), { a: { '': { b: 'v' } } });
    });

    it('never touches the prototype for a key named __proto__', () => {
      const doc = applied({}, ['__proto__.polluted', 'yes']);
      assert.equal(Object.getPrototypeOf(doc), Object.prototype);
      assert.deepEqual(Object.keys(doc), ['__proto__']);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });
  });

  describe('list[] and set{} hints (examples/basics/test/set.sh)', () => {
    it('runs the testList sequence', () => {
      const doc: Record<string, unknown> = { state: {} };
      const steps: [string, string[]][] = [
        ['a,b,c', ['a', 'b', 'c']],
        ['d,e,f', ['a', 'b', 'c', 'd', 'e', 'f']],
        ['x,y,z', ['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y', 'z']],
        ['[]', []],
        ['a', ['a']],
      ];
      for (const [value, expected] of steps) {
        setValue(doc, 'state.testList[]', value);
        assert.deepEqual(doc, { state: { testList: expected } }, `after testList[]=${value}`);
      }
    });

    it('runs the testSet sequence', () => {
      const doc: Record<string, unknown> = { state: {} };
      const steps: [string, string[]][] = [
        ['a,a,a', ['a']],
        ['a,b,b', ['a', 'b']],
        ['[]', []],
        ['a,b,b,c,d,d', ['a', 'b', 'c', 'd']],
      ];
      for (const [value, expected] of steps) {
        setValue(doc, 'state.testSet{}', value);
        assert.deepEqual(doc, { state: { testSet: expected } }, `after testSet{}=${value}`);
      }
    });

    it('does not trim items, and keeps empty ones', () => {
      assert.deepEqual(applied({}, ['l[]', 'a, b,,c']), { l: ['a', ' b', '', 'c'] });
    });

    it('replaces a falsy existing value with a list first', () => {
      for (const falsy of [null, '', 0, false, {}, []]) {
        assert.deepEqual(
          applied({ l: falsy }, ['l[]', 'a']),
          { l: ['a'] },
          `existing ${JSON.stringify(falsy)}`,
        );
      }
    });

    it('extends the list it finds in place, as the reference does', () => {
      const shared = ['a'];
      const doc = { l: shared, alias: shared };
      setValue(doc, 'l[]', 'b');
      assert.deepEqual(doc, { l: ['a', 'b'], alias: ['a', 'b'] });
    });

    it('de-duplicates a set with Python equality, keeping the first occurrence', () => {
      assert.deepEqual(applied({ s: [1, true, 1.0, '1', null, null] }, ['s{}', '1,x']), {
        s: [1, '1', null, 'x'],
      });
    });

    it('lets a list hint win over a set hint on the same segment', () => {
      assert.deepEqual(applied({ l: ['a'] }, ['l[]{}', 'a,a']), { l: ['a', 'a', 'a'] });
      assert.deepEqual(applied({}, ['n{}[]', 'a,a']), { n: ['a'] });
    });

    it('ignores a hint on a missing intermediate segment', () => {
      assert.deepEqual(applied({}, ['a[].b', 'v']), { a: { b: 'v' } });
    });

    it('appends to an existing list even when segments remain (the reference does this)', () => {
      assert.deepEqual(applied({ a: ['x'] }, ['a[].b', 'v']), { a: ['x', 'v'] });
    });

    it('refuses a hint on an existing value that is not a list', () => {
      assert.throws(
        () => setValue({ state: { x: 'text' } }, 'state.x[]', 'a'),
        new SetValueError(
          'cannot set "state.x[]": "x" is marked as a list[] or set{}, but it holds a string',
        ),
      );
      assert.throws(
        () => setValue({ m: { a: 1 } }, 'm{}', 'a'),
        new SetValueError('cannot set "m{}": "m" is marked as a list[] or set{}, but it holds a mapping'),
      );
    });

    it('refuses a hint with a value that is not text', () => {
      assert.throws(
        () => setValue({}, 'l[]', ['a']),
        new SetValueError('cannot set "l[]": a list[] or set{} takes comma-separated text, not a list'),
      );
      assert.throws(() => setValue({ l: ['a'] }, 'l{}', { a: 1 }), SetValueError);
    });

    it('refuses to de-duplicate a set that holds a mapping', () => {
      assert.throws(
        () => setValue({ s: [{ a: 1 }] }, 's{}', 'x'),
        new SetValueError(
          'cannot set "s{}": the existing list holds a mapping, which a set{} cannot de-duplicate',
        ),
      );
    });
  });

  describe('file:// values', () => {
    const files: Record<string, unknown> = {
      'data/list.json': [1, 2, 3],
      '/abs/obj.json': { a: 'b' },
      'empty.yaml': null,
    };
    const requested: string[] = [];
    const options: SetValueOptions = {
      loadFile: (path) => {
        requested.push(path);
        return Object.hasOwn(files, path) ? files[path] : undefined;
      },
    };
    beforeEach(() => (requested.length = 0));

    it('stores what loadFile returns, for relative and absolute paths', () => {
      const doc: Record<string, unknown> = {};
      setValue(doc, 'state.l', ' file://data/list.json ', options);
      setValue(doc, 'state.o', 'file:///abs/obj.json', options);
      assert.deepEqual(doc, { state: { l: [1, 2, 3], o: { a: 'b' } } });
      assert.deepEqual(requested, ['data/list.json', '/abs/obj.json']);
    });

    it('keeps file:// text as it is without a loadFile', () => {
      assert.deepEqual(applied({}, ['x', 'file://data/list.json']), { x: 'file://data/list.json' });
    });

    it('stores null from an empty file', () => {
      const doc: Record<string, unknown> = {};
      setValue(doc, 'x', 'file://empty.yaml', options);
      assert.deepEqual(doc, { x: null });
    });

    it('keeps the literal when the file does not exist', () => {
      const doc: Record<string, unknown> = {};
      setValue(doc, 'x', 'file://missing.txt', options);
      assert.deepEqual(doc, { x: 'file://missing.txt' });
      assert.deepEqual(requested, ['missing.txt']);
    });

    it('removes every file:// from the path, and does not look up an empty one', () => {
      const doc: Record<string, unknown> = {};
      setValue(doc, 'x', 'file://data/file://list.json', options);
      setValue(doc, 'y', 'file://', options);
      assert.deepEqual(doc, { x: [1, 2, 3], y: 'file://' });
      assert.deepEqual(requested, ['data/list.json']);
    });

    it('only loads a value that starts with file://, and only strings', () => {
      const doc: Record<string, unknown> = {};
      setValue(doc, 'x', 'see file://data/list.json', options);
      assert.deepEqual(doc, { x: 'see file://data/list.json' });
      assert.deepEqual(requested, []);
    });

    it('refuses a list[] hint on a loaded list', () => {
      assert.throws(() => setValue({}, 'l[]', 'file://data/list.json', options), SetValueError);
    });
  });

  it('refuses a value holding a NUL, in text, in a loaded list or mapping, or in a key, and changes nothing', () => {
    const doc: Record<string, unknown> = { state: { a: 1 } };
    const loadFile = (path: string) => (path === 'nul.json' ? { ok: ['x', 'a\u0000b'] } : undefined);
    for (const [path, value] of [
      ['state.t', 'a\u0000b'],
      ['state.f', 'file://nul.json'],
      ['state.k\u0000', 'v'],
    ]) {
      assert.throws(
        () => setValue(doc, path as string, value, { loadFile }),
        (e: unknown) => {
          return e instanceof SetValueError && /NUL character/.test(e.message);
        },
      );
    }
    assert.deepEqual(doc, { state: { a: 1 } });
  });

  it('pythonStrip strips what Python str.strip() strips', () => {
    assert.equal(pythonStrip('\x1c\x85 a b \u3000\t'), 'a b');
    assert.equal(pythonStrip('\ufeffa'), '\ufeffa');
  });

  it('pythonStrip takes linear time on long runs of whitespace inside the text', () => {
    // A value rendered from data; a trailing-whitespace regex needs seconds for this.
    const value = `a${' '.repeat(200_000)}b `;
    const started = Date.now();
    assert.equal(pythonStrip(value), value.slice(0, -1));
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  describe('properties', () => {
    const segment = fc.oneof(
      fc.constantFrom('a', 'b', 'state', 'length', '0', '11318', 'event-handlers'),
      fc.stringMatching(/^[a-z][a-z0-9_-]{0,3}$/).filter((s) => s !== 'where' && s !== 'wherenot'),
    );
    const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.array(fc.integer()));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.dictionary(segment, tie('node'), { maxKeys: 3, noNullPrototype: true }),
      ),
    })).node;
    const mapping = fc.dictionary(segment, tree, { maxKeys: 4, noNullPrototype: true });
    const value = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.dictionary(segment, fc.string(), { maxKeys: 2, noNullPrototype: true }),
      fc.string().filter((s) => s === pythonStrip(s) && !s.startsWith('file://')),
    );

    /** Whether every segment before the last is a mapping or missing, where the reference descends. */
    function descendable(doc: Record<string, unknown>, segments: string[]): boolean {
      let current: unknown = doc;
      for (const key of segments.slice(0, -1)) {
        const node = current as Record<string, unknown>;
        if (!Object.hasOwn(node, key)) return true;
        current = node[key];
        if (typeof current !== 'object' || current === null || Array.isArray(current)) return false;
      }
      return true;
    }

    it('what setValue stores under a dotted path, findValues finds there', () => {
      fc.assert(
        fc.property(mapping, fc.array(segment, { minLength: 1, maxLength: 4 }), value, (doc, segments, v) => {
          fc.pre(descendable(doc, segments));
          const path = segments.join('.');
          setValue(doc, path, v);
          assert.deepEqual(findValues(doc, path), [v]);
        }),
      );
    });
  });
});
