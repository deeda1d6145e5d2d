import assert from 'node:assert/strict';
import {
  deepCopy,
  inInsertionOrder,
  isInsertionOrdered,
  isIntegerKey,
  reordersKeys,
  setKeyInOrder,
} from '../../src/core/document';
import { dictMerge } from '../../src/compat/jsonpath/dict-merge';
import { findValues } from '../../src/compat/jsonpath/jsonpath';
import { setValue } from '../../src/compat/jsonpath/set-value';
import { pythonJsonDumps } from '../../src/compat/python/python-json';
import { parsePythonJson } from '../../src/compat/python/python-json-parse';
import { pythonStr } from '../../src/compat/python/python-str';
import { renderTemplate } from '../../src/compat/template/render-template';
import { pyyamlDump } from '../../src/compat/yaml/pyyaml-emitter';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { mayHaveIntegerKeys } from '../../src/compat/yaml/yaml-key-order';
import { dumpSections, readSections } from '../../src/compat/yaml/yaml-sections';
import { RecordedChanges } from '../../src/events/recorded-changes';
import { formatShellFile } from '../../src/store/shell-file-format';

// Python's dicts keep insertion order; JavaScript objects put integer-like keys first. cicdstatemgr's documents
// carry such keys (`postedData: {11318: …}`), and every place that lists a mapping's keys must show Python's order.
describe('integer-like mapping keys keep insertion order', function () {
  describe('the ordered mapping (core/document.ts)', function () {
    it('knows which keys JavaScript moves first: array indexes only', function () {
      for (const key of ['0', '7', '11318', '4294967294']) assert.equal(isIntegerKey(key), true, key);
      for (const key of ['', '01', '-1', '+1', '1.0', '1e3', ' 1', 'a1', '4294967295', '99999999999'])
        assert.equal(isIntegerKey(key), false, key);
    });

    it('is needed only when the order differs from JavaScript order', function () {
      assert.equal(reordersKeys(['1', '5', 'a', 'b']), false);
      assert.equal(reordersKeys(['a', '5']), true);
      assert.equal(reordersKeys(['5', '1']), true);
      const plain = { a: 1 };
      assert.equal(inInsertionOrder(plain, ['a']), plain);
      assert.equal(isInsertionOrdered(plain), false);
    });

    it('lists keys in insertion order; a new key goes last, a re-set or deleted one as in a dict', function () {
      const mapping = inInsertionOrder({ b: 1, 11318: 2 } as Record<string, unknown>, ['b', '11318']);
      assert.equal(isInsertionOrdered(mapping), true);
      assert.deepEqual(Object.keys(mapping), ['b', '11318']);
      mapping['5'] = 3;
      mapping['b'] = 4;
      assert.deepEqual(Object.entries(mapping), [
        ['b', 4],
        ['11318', 2],
        ['5', 3],
      ]);
      delete mapping['11318'];
      const forIn: string[] = [];
      for (const key in mapping) forIn.push(key);
      assert.deepEqual(forIn, ['b', '5']);
      assert.equal(JSON.stringify(mapping), '{"b":4,"5":3}');
    });

    it('is copied in its order by deepCopy, and the copy is its own', function () {
      const mapping = parseYaml('a: {b: 1, 3: {z: 1, 2: 2}}') as Record<string, Record<string, unknown>>;
      const copy = deepCopy(mapping);
      assert.equal(pythonJsonDumps(copy), '{"a": {"b": 1, "3": {"z": 1, "2": 2}}}');
      (copy['a'] as Record<string, unknown>)['0'] = 'new';
      assert.deepEqual(Object.keys(mapping['a'] as object), ['b', '3']);
      assert.deepEqual(Object.keys(copy['a'] as object), ['b', '3', '0']);
    });

    it('setKeyInOrder appends a new integer-like key after the others', function () {
      const plain: Record<string, unknown> = { b: 1 };
      const kept = setKeyInOrder(plain, '7', 2);
      assert.deepEqual(Object.keys(kept), ['b', '7']);
      assert.equal(setKeyInOrder({ '1': 1 }, '2', 2)['2'], 2);
      assert.equal(isInsertionOrdered(setKeyInOrder({ '1': 1 }, '2', 2)), false);
    });
  });

  describe('reading', function () {
    it('YAML: block and flow mappings, quoted and unquoted keys, in the written order', function () {
      const doc = parseYaml("state: {b: 1, '11318': 2}\nposted:\n  x: 1\n  20: a\n  3: b\n");
      assert.equal(
        pythonJsonDumps(doc),
        '{"state": {"b": 1, "11318": 2}, "posted": {"x": 1, "20": "a", "3": "b"}}',
      );
    });

    it('YAML: a text without integer-like keys is not looked at twice', function () {
      assert.equal(mayHaveIntegerKeys('a: 1\nb:\n  - 2\n  - c: 3\nts: "1700000000.000100"\n'), false);
      assert.equal(mayHaveIntegerKeys('a:\n  11318: x\n'), true);
      assert.equal(mayHaveIntegerKeys('a: {b: 1, "7": 2}\n'), true);
      assert.equal(mayHaveIntegerKeys('? 5\n'), true);
    });

    it('JSON (json.loads): in the written order, nested too', function () {
      const doc = parsePythonJson('{"b": 1, "11318": {"x": 1, "2": 3}, "0": 5}');
      assert.deepEqual(Object.keys(doc as object), ['b', '11318', '0']);
      assert.deepEqual(Object.keys((doc as Record<string, object>)['11318'] as object), ['x', '2']);
    });

    it('a large document read entry by entry keeps them too', function () {
      const history = Array.from({ length: 60 }, (_, i) => `    run${i}: ${'x'.repeat(60)}\n`).join('');
      const text = `state:\n  b: 1\n  11318: 2\n  history:\n${history}  7: seven\n`;
      const doc = readSections(text) as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(doc['state'] as object), ['b', '11318', 'history', '7']);
      (doc['state'] as Record<string, unknown>)['c'] = 3;
      const written = dumpSections(doc);
      assert.equal(written, dumpYaml(parseYaml(`${text}  c: 3\n`)));
      assert.match(
        written,
        /^state:\n {2}b: 1\n {2}'11318': 2\n {2}history:\n[^]*\n {2}'7': seven\n {2}c: 3\n$/,
      );
    });
  });

  describe('writing and listing', function () {
    const doc = () => parseYaml('state:\n  b: 1\n  11318: 2\n') as Record<string, Record<string, unknown>>;

    it('YAML dump (Redis value, yaml file) and to_nice_yaml', function () {
      assert.equal(dumpYaml(doc()), "state:\n  b: 1\n  '11318': 2\n");
      assert.equal(pyyamlDump(doc()), "state:\n  b: 1\n  '11318': 2\n");
    });

    it('json.dumps (json file, --get), str() and the shell file', function () {
      assert.equal(
        pythonJsonDumps(doc(), { indent: 2 }),
        '{\n  "state": {\n    "b": 1,\n    "11318": 2\n  }\n}',
      );
      assert.equal(pythonStr(doc()['state']), "{'b': 1, '11318': 2}");
      assert.equal(formatShellFile(doc()), "CICD_state__b='1'\nCICD_state__11318='2'\n");
    });

    it("a JSONPath wildcard and '..' find the values in that order", function () {
      assert.deepEqual(findValues(doc(), 'state.*'), [1, 2]);
      assert.deepEqual(findValues(doc(), '$..*'), [{ b: 1, '11318': 2 }, 1, 2]);
    });

    it('templates iterate, print and copy dicts in that order', function () {
      const context = doc();
      assert.equal(renderTemplate('{% for k in state %}{{ k }} {% endfor %}', context), 'b 11318 ');
      assert.equal(
        renderTemplate('{% for k, v in state.items() %}{{ k }}={{ v }};{% endfor %}', context),
        'b=1;11318=2;',
      );
      assert.equal(
        renderTemplate('{{ state }} {{ state|list }}', context),
        "{'b': 1, '11318': 2} ['b', '11318']",
      );
      assert.equal(
        renderTemplate("{{ {'b': 1, '5': 2} }} {{ dict(state) }}", context),
        "{'b': 1, '5': 2} {'b': 1, '11318': 2}",
      );
    });
  });

  describe('changing', function () {
    it('--set appends a new integer-like key after the existing ones, at any depth', function () {
      const doc = parseYaml('state:\n  b: 1\n  a: {}\n') as Record<string, unknown>;
      setValue(doc, 'state.11318', 'x');
      setValue(doc, 'state.a.5.c', 'y');
      setValue(doc, 'state.b', 'again');
      assert.equal(pythonJsonDumps(doc), '{"state": {"b": "again", "a": {"5": {"c": "y"}}, "11318": "x"}}');
    });

    it("dict_merge keeps a's order and appends b's new keys", function () {
      const merged = dictMerge({ b: 1, c: { z: 1 } }, { '7': 2, c: { '3': 4 } });
      assert.equal(pythonJsonDumps(merged), '{"b": 1, "c": {"z": 1, "3": 4}, "7": 2}');
    });

    it('an event run records and replays an ordered value (structuredClone refuses proxies)', function () {
      const changes = new RecordedChanges();
      const value = parseYaml('{b: 1, 7: 2}');
      changes.set({}, 'state.x', value);
      const replayed: Record<string, unknown> = {};
      changes.replay(replayed);
      assert.equal(pythonJsonDumps(replayed), '{"state": {"x": {"b": 1, "7": 2}}}');
    });
  });
});
