import { strict as assert } from 'node:assert';
import yaml from 'js-yaml';
import { readBlockYaml } from '../../src/compat/yaml/block-yaml-reader';
import { dumpYaml, parseYaml, parseYamlWithJsYaml } from '../../src/compat/yaml/yaml';
import { YAML11_SCHEMA } from '../../src/compat/yaml/yaml11-schema';
import { isInsertionOrdered, keptInInsertionOrder } from '../../src/core/document';
import { pick, random, randomDocuments } from '../helpers/random-documents';

// Pieces on the reader's boundaries: indicators, `: ` and ` #`, the YAML 1.1 forms, quotes, non-ASCII.
const PIECES = [
  'a',
  'Z',
  'go',
  'x y',
  ' ',
  '  ',
  ':',
  ': ',
  ' #',
  '#',
  '-',
  '- ',
  '?',
  ',',
  '[',
  ']',
  '{',
  '}',
  '{}',
  '[]',
  '&',
  '*',
  '!',
  '|',
  '=',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '~',
  '<<',
  '.',
  '---',
  '...',
  '0',
  '1',
  '12',
  '0x1f',
  '0o7',
  '017',
  '1_000',
  '1e3',
  '1.5',
  '1.0',
  '.5',
  '-1',
  '+2',
  '1:30',
  '.inf',
  '.nan',
  'yes',
  'No',
  'on',
  'OFF',
  'null',
  'Null',
  'true',
  'y',
  '2026-12-06',
  '2026-12-06T21:10:09.173Z',
  '1800000000.000001',
  '99999999999999999999',
  'é',
  '€',
  '😀',
  'https://hooks.slack.com/x',
  'a: b',
  'a #b',
  'a#b',
];

// Pieces js-yaml writes escaped in double quotes, reads as something else than a character of a scalar, or (the
// key `[object Object]`) parseYaml refuses: rarer, so that most documents hold none.
const RARE = ['\t', '\n', '\r', '\u0085', '\u2028', '\ufeff', '\u0000', '\\', '[object Object]'];

const { randomDocument } = randomDocuments(PIECES, RARE);

/** The styles the documents are written in: dumpYaml's, and js-yaml's others (indented, folded, flow). */
const STYLES: ((value: unknown) => string)[] = [
  (value) => dumpYaml(value),
  (value) => dumpYaml(value, { indent: 4 }),
  (value) => yaml.dump(value, { schema: YAML11_SCHEMA, noRefs: true, indent: 2 }),
  (value) => yaml.dump(value, { schema: YAML11_SCHEMA, noRefs: true, indent: 3, noArrayIndent: true }),
  (value) => yaml.dump(value, { schema: YAML11_SCHEMA, noRefs: true, lineWidth: 20 }),
  (value) => yaml.dump(value, { schema: YAML11_SCHEMA, noRefs: true, flowLevel: 2 }),
];

/**
 * Whether `a` and `b` are the same value to any reader: the same types (a boxed whole float is not a number),
 * Object.is for scalars (-0, NaN), the same keys in the same order and ordered views where the other has one,
 * at every level. The path to the first difference, or undefined.
 */
function difference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`;
  if (typeof a !== 'object' || a === null || b === null)
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  const y = b as object;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(y)) return `${path}: prototypes differ`;
  if (a instanceof Number)
    return Object.is(a.valueOf(), y.valueOf()) ? undefined : `${path}: boxed numbers differ`;
  if (Array.isArray(a) !== Array.isArray(y)) return `${path}: array vs not`;
  if (isInsertionOrdered(a) !== isInsertionOrdered(y)) return `${path}: ordered view vs not`;
  const keys = Object.keys(a);
  const otherKeys = Object.keys(y);
  if (keys.join('\0') !== otherKeys.join('\0'))
    return `${path}: keys ${keys.join(',')} vs ${otherKeys.join(',')}`;
  for (const key of keys) {
    const found = difference(
      (a as Record<string, unknown>)[key],
      (y as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (found) return found;
  }
  return undefined;
}

/** What parseYaml's js-yaml path reads, or the error it throws. */
function jsYamlRead(text: string): { value: unknown } | { error: unknown } {
  try {
    return { value: parseYamlWithJsYaml(text) };
  } catch (error) {
    return { error };
  }
}

/** Asserts the reader reads `text` as js-yaml does, or gives up (as it must when js-yaml throws); whether it read. */
function checkSame(text: string, what: string): boolean {
  const read = readBlockYaml(text);
  if (read === undefined) return false;
  const expected = jsYamlRead(text);
  if ('error' in expected)
    assert.fail(`${what}: read what js-yaml refuses (${String(expected.error)}):\n${text}`);
  const found = difference(read.value, expected.value);
  assert.equal(found, undefined, `${what}: ${found}\n${text}`);
  return true;
}

/** `text` with one random edit: a character inserted, deleted or changed, or two lines swapped. */
function mutate(next: () => number, text: string): string {
  const at = Math.floor(next() * text.length);
  const roll = next();
  if (roll < 0.3)
    return text.slice(0, at) + pick(next, [' ', '-', ':', "'", '"', '#', '\n', 'a', '1']) + text.slice(at);
  if (roll < 0.6) return text.slice(0, at) + text.slice(at + 1);
  if (roll < 0.8) return text.slice(0, at) + pick(next, [' ', ':', '-', 'x']) + text.slice(at + 1);
  const lines = text.split('\n');
  const i = Math.floor(next() * lines.length);
  const j = Math.floor(next() * lines.length);
  [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
  return lines.join('\n');
}

describe('readBlockYaml: what js-yaml reads, without js-yaml', () => {
  it('reads 5,000 random documents in six styles as js-yaml does, or leaves them to it', function () {
    this.timeout(60_000);
    const next = random(20261206);
    let dumped = 0;
    let read = 0;
    for (let i = 0; i < 5_000; i++) {
      const value = randomDocument(next);
      STYLES.forEach((style, s) => {
        let text: string;
        try {
          text = style(value);
        } catch {
          return; // js-yaml cannot write it (a bigint in some styles)
        }
        const wasRead = checkSame(text, `document ${i}, style ${s}`);
        if (s === 0) {
          dumped++;
          if (wasRead) read++;
        }
      });
    }
    // Most of what dumpYaml writes is the reader's to read: a reader that always gave up would pass the above.
    assert.ok(read > 0.85 * dumped, `read only ${read} of ${dumped} documents dumpYaml wrote`);
  });

  it('reads 10,000 mutated documents as js-yaml does, and gives up on each it refuses', function () {
    this.timeout(60_000);
    const next = random(7);
    let refused = 0;
    for (let i = 0; i < 10_000; i++) {
      let text = dumpYaml(randomDocument(next));
      for (let n = 1 + Math.floor(next() * 2); n > 0; n--) text = mutate(next, text);
      if ('error' in jsYamlRead(text)) refused++;
      checkSame(text, `mutation ${i}`);
    }
    assert.ok(refused > 500, `only ${refused} mutated documents were bad YAML`);
  });

  it('reads the typical context document as js-yaml does', () => {
    const text = dumpYaml({
      state: {
        cicdContextDataId: 'bench-1',
        offeredChoices: {
          'f1b88bb0-0466': {
            title: 'Deploy bench-1?',
            route: null,
            options: [{ text: 'Go', value: 'go', style: 'primary' }],
            messageTs: '1800000000.000001',
            allowedUsers: [],
            approvalsNeeded: 1,
            ratio: new Number(2),
            votes: [{ user: 'U0BENCH', at: '2026-12-06T21:10:09.173Z', nested: [[1, [2]], []] }],
            decision: { inputs: {}, reason: "it's fine: ship # now", url: 'https://example.test/a#b' },
          },
        },
        11318: { b: 1, 7: 2 },
      },
    });
    assert.ok(checkSame(text, 'context document'));
  });

  it('reads what PyYAML writes: noArrayIndent, quoted keys, empty strings, keys it resolves', () => {
    const cases: [string, unknown][] = [
      ["a: ''\nb: 'it''s'\n'c d': \"e\"\n", { a: '', b: "it's", 'c d': 'e' }],
      ['a:\n- 1\n- - 2\n  - x: 3\n    y: 4\nb: null\n', { a: [1, [2, { x: 3, y: 4 }]], b: null }],
      ['a:\n  - 1\n  -   b: 2\n      c: 3\n', { a: [1, { b: 2, c: 3 }] }],
      ['a:\nb: ~\n', { a: null, b: null }],
      // js-yaml with indent 4 puts a collection in a sequence on the lines after a dash alone
      ['a:\n-\n    b: 1\n-\n    - 2\nc: 3\n', { a: [{ b: 1 }, [2]], c: 3 }],
      ['{}\n', {}],
      ['[]', []],
      ['', undefined],
      ['just text\n', 'just text'],
      ['-5', -5],
      ['1: a\ntrue: b\nnull: c\n1.5: d\n0x1f: e\n', { 1: 'a', true: 'b', null: 'c', '1.5': 'd', 31: 'e' }],
      [
        'n: 1.0\nm: 1.5\nt: 2026-12-06\ny: yes\no: 017\nv: =\n',
        { n: new Number(1), m: 1.5, t: '2026-12-06', y: true, o: 15, v: '=' },
      ],
    ];
    // PyYAML 6's yaml.dump(…, default_flow_style=False, sort_keys=False) of such a document, but its long string.
    const pyyaml =
      "b:\n- x: 1\n  y:\n  - 1\n  - 2\n- []\nit's: ''\n'7':\n  z: null\n'long key with: colon': v\nq: 'yes'\n";
    cases.push([
      pyyaml,
      keptInInsertionOrder(
        { b: [{ x: 1, y: [1, 2] }, []], "it's": '', 7: { z: null }, 'long key with: colon': 'v', q: 'yes' },
        ['b', "it's", '7', 'long key with: colon', 'q'],
      ),
    ]);
    for (const [text, value] of cases) {
      assert.ok(checkSame(text, JSON.stringify(text)), `gave up on ${JSON.stringify(text)}`);
      assert.deepStrictEqual((readBlockYaml(text) as { value: unknown }).value, value, text);
    }
    // Written order kept for integer-like keys, as an ordered view, at every level.
    const ordered = readBlockYaml('b: 1\n3:\n  z: 1\n  2: x\n') as { value: Record<string, unknown> };
    assert.deepEqual(Object.keys(ordered.value), ['b', '3']);
    assert.deepEqual(Object.keys(ordered.value['3'] as object), ['z', '2']);
    assert.ok(isInsertionOrdered(ordered.value));
  });

  it('gives up on everything outside its subset, leaving it to js-yaml', () => {
    const outside = [
      // comments
      'a: 1 # one\n',
      '# top\na: 1\n',
      'a:\n  # inside\n  b: 1\n',
      // anchors, aliases, tags, merge keys
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: !x 1\n',
      'base: {}\nc:\n  <<: {}\n',
      '<<: x\n',
      // block and multi-line scalars
      'a: |\n  x\n',
      'a: >\n  x\n',
      'a: one\n  two\n',
      // a long string as PyYAML folds it over lines
      'a: word word word word word word word word word word word word word word word word\n  word word end\nb: 1\n',
      "a: 'one\n  two'\n",
      'a: "one\n  two"\n',
      'a:\n  scalar on the next line\n',
      // flow collections, escapes
      'a: [1, 2]\n',
      'a: {b: 1}\n',
      'a: "x\\ty"\n',
      '[a]\n',
      // directives, markers, explicit keys and values
      '%YAML 1.1\n---\na: 1\n',
      '---\na: 1\n',
      'a: 1\n...\n',
      '? a\n: b\n',
      'a: :b\n',
      'a: ?b\n',
      // tabs, carriage returns, blank lines, trailing spaces, odd spacing
      'a:\t1\n',
      'a: 1\r\n',
      'a: 1\n\nb: 2\n',
      'a: 1 \n',
      'a:  1\n',
      'a : 1\n',
      '  a: 1\n',
      'a: 1\n   \n',
      // plain values that are not one whole scalar
      'a: b: c\n',
      'a: b:\n',
      'a: -\n',
      'a:\n- -\n- 1\n',
      '-\n',
      '-\n -\n-\n',
      '-\n- a\n',
      '- \n',
      'a: %x\n',
      'a: @x\n',
      'a: `x\n',
      // keys js-yaml or parseYaml refuse or treat apart
      'a: 1\na: 2\n',
      '1: a\n01: b\n',
      '__proto__: 1\n',
      "'[object Object]': 1\n",
      // document markers, even with no space after them at the start, and characters js-yaml refuses or reads
      // as line breaks
      '---a: 1\n',
      'a: 1\n... : 2\n',
      'a: x\u0085y\n',
      'a: x\u2028y\n',
      '\ufeffa: 1\n',
      'a: \u0001\n',
      'a: \ud800\n',
      // an int beyond ±2**53, which js-yaml refuses with its line
      'a: 99999999999999999999\n',
    ];
    for (const text of outside) assert.equal(readBlockYaml(text), undefined, JSON.stringify(text));
  });

  it("leaves bad YAML to js-yaml, so that parseYaml's errors are js-yaml's", () => {
    const bad: [string, RegExp][] = [
      ['a: 1\na: 2\n', /duplicated mapping key at line 2/],
      ['a: 1\n b: 2\n', /bad indentation of a mapping entry at line 2/],
      ['a:\n  b: 1\n c: 2\n', /at line 3/],
      ['- a\nb: 1\n', /at line 2/],
      ['a: 99999999999999999999\n', /more digits than slackline can keep/],
    ];
    for (const [text, error] of bad) {
      assert.equal(readBlockYaml(text), undefined, JSON.stringify(text));
      assert.throws(() => parseYaml(text), error);
    }
  });
});
