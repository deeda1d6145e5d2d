import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonPathEvaluationError, JsonPathSyntaxError } from '../../src/core/errors';
import { findValues, parseJsonPath, type JsonPathNode } from '../../src/compat/jsonpath/jsonpath';

/** Compact form of a parse tree, to state jsonpath-ng's precedence in one line. */
function shape(node: JsonPathNode): string {
  switch (node.kind) {
    case 'root':
      return '$';
    case 'this':
      return 'this';
    case 'fields':
      return node.names.join(',');
    case 'index':
      return `[${node.indices.join(',')}]`;
    case 'slice':
      return `[${node.start ?? ''}:${node.end ?? ''}:${node.step ?? ''}]`;
    default:
      return `${node.kind}(${shape(node.left)}, ${shape(node.right)})`;
  }
}

const parsed = (expression: string): string => shape(parseJsonPath(expression).ast);

const doc = {
  state: { fileBody: [1, 2, 3], postedData: { '11318': 'posted' }, key1: 'v1' },
  pipelines: {
    build: {
      'event-handlers': { init: { notify: { message: 'hi' } } },
      generators: { dockerfile: { set: [] } },
    },
  },
  list: [{ key1: 'a', n: 1 }, { key1: 'b', n: 2 }, { other: 3 }],
  key1: 'top',
  length: 7,
  'a.b': 'dotted',
  'x y': 'spaced',
};

describe('jsonpath', () => {
  describe('findValues on the reference examples (expected values from jsonpath-ng 1.8.0)', () => {
    const cases: [string, unknown[]][] = [
      ['$', [doc]],
      ['state.key1', ['v1']],
      ['$.state.key1', ['v1']],
      ['state.fileBody[2]', [3]],
      ['state.fileBody[-1]', [3]],
      ['state.fileBody[0,2]', [1, 3]],
      ['state.fileBody[1:]', [2, 3]],
      ['state.fileBody[::-1]', [3, 2, 1]],
      ['state.fileBody[*]', [1, 2, 3]],
      ['state.fileBody[5]', []],
      ['state.postedData.11318', ['posted']],
      ["state.postedData['11318']", ['posted']],
      ['pipelines.build.generators.dockerfile', [{ set: [] }]],
      ["pipelines.build['event-handlers'].init.notify.message", ['hi']],
      ['pipelines.build.event-handlers.init.notify.message', ['hi']],
      ['$..key1', ['top', 'v1', 'a', 'b']],
      ['list[*].key1', ['a', 'b']],
      ['list.key1', []],
      ['list[1].n', [2]],
      ['list..n', [1, 2]],
      ['*.key1', ['v1']],
      ['state.*', [[1, 2, 3], { '11318': 'posted' }, 'v1']],
      // `|` binds tighter than `.`: this is (key1|state).key1.
      ['key1|state.key1', ['v1']],
      ['(key1|length)', ['top', 7]],
      ['list[*] where other', [{ other: 3 }]],
      [
        'list[*] wherenot other',
        [
          { key1: 'a', n: 1 },
          { key1: 'b', n: 2 },
        ],
      ],
      ['`this`.key1', ['top']],
      ['state.fileBody.length', []],
      ['state.fileBody.0', []],
      ['length', [7]],
      ["'a.b'", ['dotted']],
      ['"x y"', ['spaced']],
      // A slice treats a mapping as a one-element list.
      ['state[*]', [doc.state]],
      ['missing', []],
      ['missing.deeper', []],
      ['just-a-literal-value', []],
    ];
    for (const [expression, expected] of cases) {
      it(expression, () => assert.deepEqual(findValues(doc, expression), expected));
    }
  });

  describe('matching rules', () => {
    // What jsonpath-ng 1.8.0 itself does, run on each of these: KeyError, TypeError, or no match.
    it('fails where jsonpath-ng fails: an index into a non-empty mapping (within its size) or a number', () => {
      const doc = { a: { '0': 'zero', x: 1 }, e: {}, n: 5, z: 0, t: true, s: 'abc' };
      for (const path of ['a[0]', 'a[1]', 'a[-1]', 'a[5,0]', 'n[0]', 't[0]', '$..[0]']) {
        assert.throws(() => findValues(doc, path), JsonPathEvaluationError, path);
      }
      assert.deepEqual(findValues(doc, 'a[5]'), []);
      assert.deepEqual(findValues(doc, 'e[0]'), []);
      assert.deepEqual(findValues(doc, 'z[0]'), []);
      assert.deepEqual(findValues(doc, 'a.0'), ['zero']);
      assert.deepEqual(findValues(doc, 'a[*]'), [{ '0': 'zero', x: 1 }]);
    });

    it('matches nothing for an index into a string (jsonpath-ng gives a character; COMPATIBILITY.md)', () => {
      assert.deepEqual(findValues({ s: 'abc' }, 's[0]'), []);
    });

    it('matches nothing for an index out of range, from either end', () => {
      assert.deepEqual(findValues({ a: [1, 2] }, 'a[2]'), []);
      assert.deepEqual(findValues({ a: [1, 2] }, 'a[-3]'), []);
      assert.deepEqual(findValues({ a: [1, 2] }, 'a[-2]'), [1]);
    });

    it('does not find inherited or built-in properties', () => {
      assert.deepEqual(findValues({ a: {} }, 'a.toString'), []);
      assert.deepEqual(findValues({ a: 'text' }, 'a.length'), []);
      assert.deepEqual(findValues({ a: { length: 1 } }, 'a.length'), [1]);
    });

    it('keeps a null match, and evaluates against a falsy document', () => {
      assert.deepEqual(findValues({ a: null }, 'a'), [null]);
      assert.deepEqual(findValues(0, '$'), [0]);
      assert.deepEqual(findValues(null, 'a.b'), []);
    });

    it('treats a number as a field name, as Python int() then str() prints it', () => {
      assert.deepEqual(findValues({ '7': 'seven' }, '007'), ['seven']);
      assert.deepEqual(findValues({ a: { '-1': 'minus' } }, 'a.-1'), ['minus']);
    });

    it('treats a quoted "*" as a wildcard', () => {
      assert.deepEqual(findValues({ a: { x: 1, y: 2 } }, "a.'*'"), [1, 2]);
    });

    it('accepts a parsed path or its text', () => {
      const path = parseJsonPath('state.key1');
      assert.equal(path.expression, 'state.key1');
      assert.deepEqual(findValues(doc, path), findValues(doc, 'state.key1'));
    });
  });

  describe('parsing', () => {
    it('follows jsonpath-ng precedence', () => {
      assert.equal(parsed('a.b|c.d'), 'child(child(a, union(b, c)), d)');
      assert.equal(parsed('a|b[0]'), 'child(union(a, b), [0])');
      assert.equal(parsed('a.b[0]|c'), 'union(child(child(a, b), [0]), c)');
      assert.equal(parsed('$..a.b'), 'descendants($, child(a, b))');
      assert.equal(parsed('a..b..c'), 'descendants(descendants(a, b), c)');
      assert.equal(parsed('a where b|c'), 'union(where(a, b), c)');
      assert.equal(parsed('a.b where c'), 'child(a, where(b, c))');
      assert.equal(parsed('a,b.c'), 'child(a,b, c)');
      assert.equal(parsed('(a|b).c'), 'child(union(a, b), c)');
    });

    it('reads brackets, quotes, whitespace and identifiers like jsonpath-ng', () => {
      assert.equal(parsed("['event-handlers']"), 'event-handlers');
      assert.equal(parsed("a['x','y']"), 'child(a, x,y)');
      assert.equal(parsed('a.[0]'), 'child(a, [0])');
      assert.equal(parsed('a[1:2:3]'), 'child(a, [1:2:3])');
      assert.equal(parsed('a[:]'), 'child(a, [::])');
      assert.equal(parsed("'it\\'s'"), "it's");
      assert.equal(parsed(' a .\tb\n.c '), 'child(child(a, b), c)');
      assert.equal(parsed('@x-1_y'), '@x-1_y');
      assert.equal(parsed('wherever'), 'wherever');
      assert.equal(parsed('`this`'), 'this');
    });

    const errors: [string, string][] = [
      ['x=1 y=2 z=3', 'unexpected character "=" at position 1'],
      ['a b', 'unexpected "b" at position 2'],
      ['a.[', 'unexpected end at position 3'],
      ['a..', 'unexpected end at position 3'],
      ['[1', 'unexpected end at position 2'],
      ["'unterminated", "unterminated '...' starting at position 0"],
      ['a...b', 'unexpected "." at position 3'],
      ['[]', 'unexpected "]" at position 1'],
      ['*,a', 'unexpected "," at position 1'],
      ['a[1:2,3]', 'unexpected "," at position 5'],
      ['$a', 'unexpected "a" at position 1'],
      ['where', 'unexpected "where" at position 0'],
      ['a[?(@.x)]', 'unexpected character "?" at position 2'],
      ['a[::0]', 'a slice step cannot be zero'],
      ['a & b', 'the intersection operator "&" at position 2 is not supported'],
      ['`parent`', 'the operator `parent` at position 0 is not supported'],
      ['`foo`', 'the operator `foo` at position 0 is unknown'],
    ];
    for (const [expression, detail] of errors) {
      it(`rejects ${JSON.stringify(expression)}`, () => {
        assert.throws(
          () => parseJsonPath(expression),
          (error: unknown) =>
            error instanceof JsonPathSyntaxError &&
            error.message === `cannot parse JSONPath ${JSON.stringify(expression)}: ${detail}`,
        );
      });
    }
  });

  describe('properties', () => {
    const name = fc.oneof(
      fc.constantFrom('a', 'b', 'length', '0', '1', '11318', '-1', 'event-handlers', '_x'),
      fc.stringMatching(/^[a-z][a-z0-9_-]{0,4}$/).filter((s) => s !== 'where' && s !== 'wherenot'),
    );
    const step = fc.oneof(
      { weight: 3, arbitrary: name.map((n) => ({ field: n })) },
      { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map((i) => ({ index: i })) },
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(name, tie('node'), { maxKeys: 4, noNullPrototype: true }),
      ),
    })).node;

    /** The expected matches of a linear path, walked by hand. */
    function walk(value: unknown, steps: ({ field: string } | { index: number })[]): unknown[] {
      let current: unknown[] = [value];
      for (const s of steps) {
        current = current.flatMap((v) => {
          if ('field' in s) {
            const isMapping = typeof v === 'object' && v !== null && !Array.isArray(v);
            return isMapping && Object.hasOwn(v, s.field) ? [(v as Record<string, unknown>)[s.field]] : [];
          }
          if (!Array.isArray(v)) {
            const size = typeof v === 'object' && v !== null ? Object.keys(v).length : 0;
            const failsInJsonpathNg = (size > 0 && size > s.index) || (typeof v === 'number' && v !== 0);
            if (failsInJsonpathNg) throw new JsonPathEvaluationError('expected');
            return [];
          }
          const i = s.index < 0 ? s.index + v.length : s.index;
          return i >= 0 && i < v.length ? [v[i]] : [];
        });
      }
      return current;
    }

    it('a dotted path of fields and indices matches what a plain walk finds', () => {
      fc.assert(
        fc.property(tree, fc.array(step, { minLength: 1, maxLength: 4 }), (value, steps) => {
          const text = steps.map((s) => ('field' in s ? `.${s.field}` : `[${s.index}]`)).join('');
          let expected: unknown[] | undefined;
          try {
            expected = walk(value, steps);
          } catch {
            assert.throws(() => findValues(value, `$${text}`), JsonPathEvaluationError);
            return;
          }
          assert.deepEqual(findValues(value, `$${text}`), expected);
        }),
      );
    });

    it('never throws on a parsed path without an index, whatever the document', () => {
      const expressions = ['$..a', 'a[*].b', '*.*', 'a[::-1]', 'a|b where `this`', '$..*'];
      fc.assert(
        fc.property(tree, fc.constantFrom(...expressions), (value, expression) => {
          assert.ok(Array.isArray(findValues(value, expression)));
        }),
      );
    });
  });
});
