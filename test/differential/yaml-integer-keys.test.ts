import assert from 'node:assert/strict';
import { inInsertionOrder } from '../../src/core/document';
import { pyyamlDump } from '../../src/compat/yaml/pyyaml-emitter';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { PythonReference, requireReference, type Tagged } from '../helpers/python-reference';
import { tagOurs, untagOurs } from '../helpers/python-tagged';

/**
 * Mapping keys that look like integers (`postedData: {11318: …}`) where PyYAML's dicts keep them: in the order
 * written, not first as a JavaScript object puts them. Int keys become text keys on our side (a separate
 * COMPATIBILITY.md row), so what is compared is each mapping's keys as text, in order, at every depth.
 */

type KeyTree = Array<[string, KeyTree]> | KeyTree[] | null;

function keyTree(tagged: Tagged): KeyTree {
  if (tagged[0] === 'dict') return tagged[1].map(([k, v]): [string, KeyTree] => [String(k[1]), keyTree(v)]);
  if (tagged[0] === 'list') return tagged[1].map(keyTree);
  return null;
}

/** untagOurs, keeping each mapping's key order (Object.fromEntries would put integer-like keys first). */
function untagOrdered(tagged: Tagged): unknown {
  if (tagged[0] === 'list') return tagged[1].map(untagOrdered);
  if (tagged[0] !== 'dict') return untagOurs(tagged);
  const entries = tagged[1].map(([k, v]) => [String(untagOurs(k)), untagOrdered(v)] as const);
  return inInsertionOrder(
    Object.fromEntries(entries),
    entries.map(([k]) => k),
  );
}

const int = (n: string): Tagged => ['int', n];
const str = (s: string): Tagged => ['str', s];
const pairs = (...entries: [Tagged, Tagged][]): Tagged => ['dict', entries];

const DOCUMENTS: Tagged[] = [
  pairs([str('state'), pairs([str('b'), int('1')], [int('11318'), int('2')])]),
  pairs([str('b'), int('1')], [str('11318'), int('2')], [str('a'), int('3')], [str('7'), int('4')]),
  pairs([int('20'), str('x')], [int('3'), str('y')], [int('0'), str('z')]),
  pairs(
    [str('postedData'), pairs([int('11318'), pairs([str('ts'), str('1.2')])], [str('x'), str('y')])],
    [str('list'), ['list', [pairs([str('k'), int('1')], [int('5'), int('2')]), pairs([int('1'), ['null']])]]],
    [str('4294967295'), str('not an index')],
    [str('9'), str('after it')],
  ),
];

/** The same document with text keys, as ours holds it (and as to_nice_yaml then writes them, quoted). */
function textKeys(tagged: Tagged): Tagged {
  if (tagged[0] === 'list') return ['list', tagged[1].map(textKeys)];
  if (tagged[0] !== 'dict') return tagged;
  return ['dict', tagged[1].map(([k, v]): [Tagged, Tagged] => [str(String(k[1])), textKeys(v)])];
}

// Texts PyYAML's writer never makes, read by both: flow mappings, explicit keys, merges, other int forms.
const TEXTS = [
  '{b: 1, 11318: 2, a}\n',
  '? x\n? 5\n',
  'a: 1\n5:\nb: 2\n',
  "a: 1 # c: d\n'7': 2\n",
  'x: {z: 1, 0x10: 2, 1_000: 3, +4: 4, "2": 5}\n',
  'base: &b {z: 1, 3: 2}\nm:\n  k: 1\n  <<: *b\n  2: x\n',
  'a: &a {1: a, x: b}\nb: &b {y: c, 2: d, x: e}\nm:\n  <<: [*a, *b]\n  k: 1\n',
  'l:\n- b: 1\n  10: 2\n- {c: 3, 1: 4}\n',
  '{"b": 1, "3": {"z": 0, "1": 1}}\n',
];

describe('differential: integer-like mapping keys keep their place, as in PyYAML', function () {
  let python: PythonReference;

  before(function () {
    requireReference(this);
    python = PythonReference.start();
  });
  after(() => python?.stop());

  it('reads what PyYAML writes in its order, and PyYAML reads our rewrite in that order', async function () {
    const written = await python.dump(DOCUMENTS);
    const rewritten = written.map((text, i) => {
      const ours = parseYaml(text) as Record<string, unknown>;
      assert.deepStrictEqual(keyTree(tagOurs(ours)), keyTree(DOCUMENTS[i] as Tagged), text);
      ours['changedBy'] = 'slackline';
      return dumpYaml(ours);
    });
    const reread = await python.load(rewritten);
    reread.forEach((answer, i) => {
      assert.ok(answer.ok, rewritten[i]);
      const expected = keyTree(DOCUMENTS[i] as Tagged) as Array<[string, KeyTree]>;
      assert.deepStrictEqual(keyTree(answer.value), [...expected, ['changedBy', null]], rewritten[i]);
    });
  });

  it('PyYAML reads what we write in our order', async function () {
    const ours = DOCUMENTS.map((doc) => dumpYaml(untagOrdered(doc)));
    const loaded = await python.load(ours);
    loaded.forEach((answer, i) => {
      assert.ok(answer.ok, ours[i]);
      assert.deepStrictEqual(keyTree(answer.value), keyTree(DOCUMENTS[i] as Tagged), ours[i]);
    });
  });

  it('reads flow mappings, explicit keys, merges and other int forms in the order PyYAML does', async function () {
    const theirs = await python.load(TEXTS);
    theirs.forEach((answer, i) => {
      assert.ok(answer.ok, TEXTS[i]);
      assert.deepStrictEqual(
        keyTree(tagOurs(parseYaml(TEXTS[i] as string))),
        keyTree(answer.value),
        TEXTS[i],
      );
    });
  });

  it("to_nice_yaml writes PyYAML's own text for such mappings, byte for byte", async function () {
    const documents = DOCUMENTS.map(textKeys);
    const texts = await python.dump(documents);
    documents.forEach((doc, i) => assert.equal(pyyamlDump(untagOrdered(doc)), texts[i]));
  });
});
