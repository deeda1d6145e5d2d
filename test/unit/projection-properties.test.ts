import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pyFloat } from '../../src/compat/python/python-number';
import { pythonStr } from '../../src/compat/python/python-str';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { formatShellFile } from '../../src/store/shell-file-format';
import { keyOrder } from '../helpers/key-order';

/** Text that means something to a shell, or to YAML, mixed with anything else. */
const SHELL_PIECES = [
  "'",
  '"',
  '$',
  '`',
  '\\',
  '\n',
  '\r',
  '\t',
  '$(',
  '${',
  ')',
  '}',
  '!',
  '*',
  '~',
  '#',
  ';',
  '&',
  '|',
  '<',
  '>',
  ' ',
  "'\\''",
  "$'\\x41'",
  '\\\n',
  'é',
  '🚀',
  '\u2028',
  '\ufeff',
  '\x7f',
  '\x1b[31m',
];

describe('properties: the local projections', function () {
  describe('the shell file, sourced by bash', function () {
    let dir: string;
    before(function () {
      dir = mkdtempSync(join(tmpdir(), 'slackline-shell-prop-'));
    });
    after(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    // A bash variable cannot hold NUL (bash stops at it), and no value can reach one through `source`: left out.
    const noNul = (s: string) => !s.includes('\0');
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .array(fc.oneof(fc.constantFrom(...SHELL_PIECES), fc.string({ maxLength: 3 })), { maxLength: 12 })
        .map((parts) => parts.join('')),
    );
    const value = fc.oneof(
      { weight: 8, arbitrary: text.filter(noNul) },
      { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean()) },
    );

    /** Writes one file of all the values, sources it once in bash, and prints each back, NUL-terminated. */
    function sourceAll(values: unknown[]): string[] {
      const doc = { state: Object.fromEntries(values.map((v, i) => [`v${i}`, v])), list: values.slice(0, 3) };
      const file = join(dir, 'context.sh');
      writeFileSync(file, formatShellFile(doc));
      const canary = join(dir, 'canary');
      const names = [
        ...values.map((_, i) => `CICD_state__v${i}`),
        ...values.slice(0, 3).map((_, i) => `CICD_list__${i}`),
      ];
      const script = `source "$1" || exit 9; shift; for n in "$@"; do printf '%s\\0' "\${!n}"; done`;
      const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', file, ...names], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, CANARY: canary },
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '', 'sourcing printed nothing on stderr');
      assert.equal(existsSync(canary), false, 'a value ran a command');
      return result.stdout.split('\0').slice(0, -1);
    }

    it('gives back each of 200 values per file exactly as Python str() prints it, and runs nothing', function () {
      const hostile = fc.constantFrom('$(touch "$CANARY")', '`touch "$CANARY"`', '\'; touch "$CANARY"; \'');
      fc.assert(
        fc.property(fc.array(fc.oneof(value, hostile), { minLength: 200, maxLength: 200 }), (values) => {
          const back = sourceAll(values);
          const expected = [...values, ...values.slice(0, 3)].map((v) => pythonStr(v));
          assert.equal(back.length, expected.length);
          for (const [i, v] of expected.entries())
            assert.equal(back[i], v, `value ${i}: ${JSON.stringify(v)}`);
        }),
        // Each run is one bash process; a failure names its value, so shrinking would only cost time.
        { numRuns: 5, endOnFailure: true },
      );
    });
  });

  describe('YAML in the reference format (dumpYaml, then parseYaml)', function () {
    // Plain scalars that a YAML 1.1 or 1.2 reader would take for something other than the string they are.
    const lookalikes = fc.constantFrom(
      ...['yes', 'No', 'ON', 'off', 'y', 'Y', 'n', 'N', 'true', 'False', 'TRUE', '~', 'null', 'Null', 'NULL'],
      ...[
        '0',
        '-0',
        '+1',
        '007',
        '0x1F',
        '0o17',
        '0b101',
        '1_000',
        '1e3',
        '1E-3',
        '.5',
        '5.',
        '.inf',
        '-.Inf',
      ],
      ...[
        '.nan',
        '.NaN',
        '1:20',
        '190:20:30',
        '1:20.5',
        '2024-05-01',
        '2001-12-14t21:59:43.10-05:00',
        '12:30',
      ],
      ...[
        '',
        ' ',
        ' lead',
        'trail ',
        '\ttab',
        'a\nb',
        'multi\nline\n',
        '\n',
        'a: b',
        '- a',
        '? a',
        ': a',
        '#a',
      ],
      ...[
        'a #b',
        '&anchor',
        '*alias',
        '!tag',
        '!!str',
        '%TAG',
        '@at',
        '`tick',
        '{a: 1}',
        '[1]',
        '"q"',
        "'q'",
      ],
      ...['<<', '=', '|', '>', '---', '...', '\u0085', '\u2028', '\ufeffbom', '\x07bell', 'é', '🚀'],
    );
    const scalarText = fc.oneof(lookalikes, fc.string({ unit: 'binary', maxLength: 12 }));
    const key = fc.oneof(scalarText, fc.constantFrom('__proto__', 'constructor', 'toString', '1', '-1'));
    const scalar = fc.oneof(
      { weight: 4, arbitrary: scalarText },
      { weight: 1, arbitrary: fc.integer() },
      // A whole double is an int in the document model (Python has no int -0); whole floats are boxed.
      {
        weight: 1,
        arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
      },
      { weight: 1, arbitrary: fc.double({ noNaN: true }).map((n) => pyFloat(n)) },
      { weight: 1, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const node = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4, noNullPrototype: true }),
      ),
    })).node;
    // A context document is a mapping. (js-yaml cannot read back its own dump of a bare top-level "\n", `|+`
    // and an empty line; no document is written like that.)
    const doc = fc.dictionary(key, node, { maxKeys: 6, noNullPrototype: true });

    it('reads back every JSON-like document it writes: same values, same types, same key order', function () {
      fc.assert(
        fc.property(doc, (value) => {
          const text = dumpYaml(value);
          const back = parseYaml(text);
          assert.deepStrictEqual(back, value, text);
          assert.deepStrictEqual(keyOrder(back), keyOrder(value), 'key order');
          assert.equal(dumpYaml(back), text, 'writing it again gives the same text');
        }),
        { numRuns: 1000 },
      );
    });

    it('keeps a __proto__ key as data, without touching any prototype', function () {
      const withProto = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": {"__proto__": [1]}}') as object;
      const back = parseYaml(dumpYaml(withProto)) as Record<string, unknown>;
      assert.deepStrictEqual(back, withProto);
      assert.equal(Object.getPrototypeOf(back), Object.prototype);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });
  });
});
