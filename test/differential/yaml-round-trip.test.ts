import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pyyamlDump } from '../../src/compat/yaml/pyyaml-emitter';
import { dumpYaml, parseYaml, YamlSyntaxError } from '../../src/compat/yaml/yaml';
import { PythonReference, requireReference, type Tagged } from '../helpers/python-reference';
import { dict, str, tagOurs, untagOurs } from '../helpers/python-tagged';

/**
 * Documents shared through one Redis by cicdstatemgr (PyYAML) and by us: each scalar must keep its Python type
 * and its value when the other tool reads, changes and writes the document. Both directions, for every
 * scalar kind YAML 1.1 resolves (ints with `_`, octal, hex, binary, sexagesimal, floats, booleans, null) and
 * for text that merely looks like one.
 */

// Text that PyYAML resolves to something else when plain, or that only nearly does.
const LOOKALIKES = [
  '1_000',
  '0o17',
  '017',
  '08',
  '00',
  '0_',
  '-0',
  '+1',
  '1__0',
  '_1',
  '1,000',
  '0x1f',
  '0x',
  '0xg',
  '0b101',
  '0b',
  '0o',
  '1e3',
  '1E3',
  '12e+03',
  '1.0e5',
  '1.0e+5',
  '1.e+3',
  '1e-07',
  '1.5e-07',
  '2.0',
  '0.',
  '.5',
  '-.5',
  '09.5',
  '1_0.5',
  '.inf',
  '+.inf',
  '-.Inf',
  '.NaN',
  '.nan',
  '1:20',
  '-1:30',
  '190:20:30',
  '1:30.5',
  '1:60',
  '0:0',
  'y',
  'Y',
  'n',
  'N',
  'yes',
  'Yes',
  'YES',
  'no',
  'on',
  'On',
  'off',
  'OFF',
  'true',
  'True',
  'tRUE',
  'false',
  'FALSE',
  '~',
  'null',
  'Null',
  'NULL',
  'nULL',
  '',
  ' ',
  '=',
  '<<',
  '2020-01-01',
  '2020-1-1 10:00:00',
  '2001-12-14t21:59:43.10-05:00',
  '012345678901234567890',
  '99999',
  '007',
  '3.14',
  'café ✓',
  'a: b',
  '- x',
  '#c',
  'x #c',
  "it's",
  '"q"',
  'a\nb',
  'a\nb\n',
  ' lead',
  'trail ',
  '@x',
  '`x',
  '%x',
  '!x',
  '&x',
  '*x',
  '|',
  '>',
  '?',
  '[a]',
  '{a}',
  'a,b',
  'tab\there',
];

const NUMBERS: Tagged[] = [
  ['int', '0'],
  ['int', '-7'],
  ['int', '1000'],
  ['int', '9007199254740993'.slice(0, 15)],
  ['int', '-9007199254740991'],
  ['float', '2.0'],
  ['float', '-0.0'],
  ['float', '0.5'],
  ['float', '1e-07'],
  ['float', '1.5e-07'],
  ['float', '1e+16'],
  ['float', '1e+300'],
  ['float', '0.1'],
  ['float', '100000.0'],
  ['float', '1234567890123456.0'],
  ['float', 'inf'],
  ['float', '-inf'],
  ['float', 'nan'],
  ['float', '0.0001'],
  ['float', '1e-05'],
  ['bool', true],
  ['bool', false],
  ['null'],
];

// Characters that build YAML 1.1 lookalikes when strung together.
const PIECE = fc.constantFrom(
  ...'0123456789'.split(''),
  '_',
  '.',
  'e',
  'E',
  '+',
  '-',
  ':',
  '0x',
  '0o',
  '0b',
  'y',
  'n',
  'on',
  'off',
  'yes',
  '~',
  'inf',
  '.inf',
  '.nan',
  'null',
  'a',
  ' ',
  '#',
  "'",
  '"',
  '\n',
  'é',
  '=',
);
const GENERATED_TEXT = fc.array(PIECE, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(''));
const GENERATED_NUMBER: fc.Arbitrary<Tagged> = fc.oneof(
  fc.integer().map((n): Tagged => ['int', String(n)]),
  fc.maxSafeInteger().map((n): Tagged => ['int', String(n)]),
  fc.double().map((n) => tagOurs(Number.isInteger(n) ? new Number(n) : n)),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => tagOurs(new Number(n))),
);

/** A document holding `scalar` as a value, inside a list, in a nested mapping, and (text only) as a key. */
function documentOf(scalar: Tagged): Tagged {
  const entries: [string, Tagged][] = [
    ['v', scalar],
    ['l', ['list', [scalar, str('after')]]],
    ['state', dict(['nested', scalar])],
  ];
  // Integer-like keys are kept out of the key position here: untagOurs builds plain objects, which list them first.
  // yaml-integer-keys.test.ts compares their order with PyYAML's.
  if (scalar[0] === 'str' && scalar[1] !== '' && !/^(0|[1-9][0-9]*)$/.test(scalar[1])) {
    entries.push([scalar[1], str('keyed')]);
  }
  return dict(...entries);
}

function scalars(): Tagged[] {
  const generated = fc.sample(fc.oneof(GENERATED_TEXT.map(str), GENERATED_NUMBER), {
    numRuns: 220,
    seed: 12,
  });
  return [...LOOKALIKES.map(str), ...NUMBERS, ...generated];
}

/** What a cicdstatemgr-compatible change does to a document: one more key, written back whole. */
function changed(doc: Tagged): Tagged {
  assert.equal(doc[0], 'dict');
  return ['dict', [...(doc[1] as [Tagged, Tagged][]), [str('changedBy'), str('slackline')]]];
}

describe('differential: YAML documents shared with PyYAML (YAML 1.1)', function () {
  let python: PythonReference;
  const documents = scalars().map(documentOf);

  before(function () {
    requireReference(this);
    python = PythonReference.start();
  });
  after(() => python?.stop());

  it(`has at least 300 documents per direction (${documents.length})`, function () {
    assert.ok(documents.length >= 300);
  });

  it('reads what PyYAML writes with the same types, and PyYAML reads our rewrite with the same types', async function () {
    const written = await python.dump(documents);
    const rewritten: string[] = [];
    written.forEach((text, i) => {
      const ours = parseYaml(text) as Record<string, unknown>;
      assert.deepStrictEqual(tagOurs(ours), documents[i], `reading PyYAML's text:\n${text}`);
      ours['changedBy'] = 'slackline';
      rewritten.push(dumpYaml(ours));
    });
    const reread = await python.load(rewritten);
    reread.forEach((answer, i) => {
      const expected = { ok: true, value: changed(documents[i] as Tagged) };
      assert.deepStrictEqual(
        answer,
        expected,
        `PyYAML reading our rewrite of:\n${written[i]}\nours:\n${rewritten[i]}`,
      );
    });
  });

  it('PyYAML reads what we write with the same types, and we read its rewrite with the same types', async function () {
    const ours = documents.map((doc) => dumpYaml(untagOurs(doc)));
    const loaded = await python.load(ours);
    loaded.forEach((answer, i) => {
      assert.deepStrictEqual(answer, { ok: true, value: documents[i] }, `PyYAML reading ours:\n${ours[i]}`);
    });
    const rewritten = await python.dump(documents.map(changed));
    rewritten.forEach((text, i) => {
      assert.deepStrictEqual(tagOurs(parseYaml(text)), changed(documents[i] as Tagged), `reading:\n${text}`);
    });
  });

  // cicdstatemgr's to_nice_yaml filter is yaml.dump(value, default_flow_style=False, sort_keys=False).
  it("to_nice_yaml writes PyYAML's own text, byte for byte", async function () {
    const long = 'the quick brown fox jumps over the lazy dog '.repeat(4);
    const extra: Tagged[] = [
      dict(['long', str(long)], ['trail', str(`${long.trim()} `)], ['lines', str('a\nb\n\nc  \n d\n')]),
      dict(
        ['é', str(`é${'ü'.repeat(90)} ✓ ${'x'.repeat(30)}`)],
        ['nested', ['list', [['list', [str(long)]], dict()]]],
      ),
      [
        'list',
        [dict(['a', ['list', []]], ['b', dict(['c', str('#x')])]), str('- x'), str('? y'), str('a: b')],
      ],
      str('plain'),
      str(long),
      ['dict', []],
    ];
    const values = [...documents, ...extra];
    const texts = await python.dump(values);
    const differences = values
      .map((doc, i) => ({ doc, theirs: texts[i], ours: pyyamlDump(untagOurs(doc)) }))
      .filter(({ theirs, ours }) => theirs !== ours)
      .map(({ theirs, ours }) => `pyyaml: ${JSON.stringify(theirs)}\nours:   ${JSON.stringify(ours)}`);
    assert.deepEqual(differences, [], differences.join('\n'));
  });

  // COMPATIBILITY.md: an int a JavaScript number cannot hold exactly is refused rather than rounded.
  it('refuses, rather than rounds, an int PyYAML writes beyond ±2**53', async function () {
    const [text = ''] = await python.dump([dict(['big', ['int', '12345678901234567890']])]);
    assert.throws(() => parseYaml(text), YamlSyntaxError);
  });
});
