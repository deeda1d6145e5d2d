import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deepCopy, isPlainObject } from '../../src/core/document';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { dumpSections, readSections, YamlSectionMismatch } from '../../src/compat/yaml/yaml-sections';
import { documentArb, key, KEYS, value } from '../helpers/yaml-documents';

/** A change a store's caller might make: at a path of mappings, set, replace or delete a key. */
type Edit = { path: string[]; key: string; value: unknown } | { path: string[]; delete: string };

function mappingPaths(doc: Record<string, unknown>, prefix: string[] = []): string[][] {
  return [
    prefix,
    ...Object.entries(doc).flatMap(([k, v]) => (isPlainObject(v) ? mappingPaths(v, [...prefix, k]) : [])),
  ];
}

function apply(doc: Record<string, unknown>, edit: Edit): void {
  let target = doc;
  for (const step of edit.path) target = target[step] as Record<string, unknown>;
  if ('delete' in edit) delete target[edit.delete];
  else target[edit.key] = edit.value;
}

function editsOf(doc: Record<string, unknown>): fc.Arbitrary<Edit[]> {
  const paths = mappingPaths(doc);
  const edit = fc.oneof(
    fc.record({ path: fc.constantFrom(...paths), key: key, value }),
    fc.record({
      path: fc.constantFrom(...paths),
      delete: fc.constantFrom(...KEYS, 'history', 'run3', 'state'),
    }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 });
}

describe('yaml sections: a document read entry by entry', function () {
  it('reads what the whole parse reads, and writes an unread document back byte for byte', function () {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const text = dumpYaml(doc);
        const sections = readSections(text);
        assert.ok(sections, `could not split:\n${text}`);
        assert.equal(dumpSections(sections), text);
        assert.deepStrictEqual(deepCopy(readSections(text)), parseYaml(text));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('writes after any change exactly what dumping the whole changed document writes', function () {
    fc.assert(
      fc.property(
        documentArb.chain((doc) => fc.tuple(fc.constant(doc), editsOf(doc))),
        ([doc, edits]) => {
          const text = dumpYaml(doc);
          const whole = parseYaml(text) as Record<string, unknown>;
          const sections = readSections(text) as Record<string, unknown>;
          for (const edit of edits) {
            // A path may stop existing after an earlier edit; both documents skip it alike.
            try {
              apply(whole, edit);
            } catch {
              continue;
            }
            apply(sections, edit);
          }
          assert.equal(dumpSections(sections), dumpYaml(whole));
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });

  it('parses only the entries read: a large sibling stays text', function () {
    const big = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`run${i}`, `x${i}`]));
    const text = dumpYaml({ id: 'c1', state: { history: big, offeredChoices: { c: { status: 'open' } } } });
    // A corrupt history: parsing it whole fails, reading around it does not.
    const corrupt = text.replace('    run7: x7\n', '    run7: x7\n      not: valid\n');
    assert.throws(() => parseYaml(corrupt));
    const doc = readSections(corrupt) as {
      state: { offeredChoices: { c: { status: string } }; history: Record<string, unknown> };
    };
    doc.state.offeredChoices.c.status = 'decided';
    assert.equal(dumpSections(doc), corrupt.replace('status: open', 'status: decided'));
    assert.equal(doc.state.history['run6'], 'x6');
    assert.throws(() => doc.state.history['run7'], YamlSectionMismatch);
  });

  it('answers undefined for what it does not fully understand, so the caller parses the whole text', function () {
    const refused = [
      'a: &x 1\nb: *x\n',
      'a: [1, 2]\n',
      'a: {b: 1}\n',
      '---\na: 1\n',
      '%YAML 1.1\n---\na: 1\n',
      'a: 1\r\nb: 2\r\n',
      '\ta: 1\n',
      '? a\n: 1\n',
      'a: 1\na: 2\n',
      'a: !!str 1\n',
      '1: a\n',
      'yes: a\n',
      'a: "open\n---\nb: 1"\n',
      'a: "x" y\n',
      '- a\n- b\n',
      'just text\n',
      '',
      '{}\n',
    ];
    for (const text of refused) assert.equal(readSections(text), undefined, JSON.stringify(text));
  });

  it('follows scalars over several lines, so none of their lines is taken for a key', function () {
    const text = [
      'a: "starts here',
      'b: still a"',
      "c: 'one",
      "  d: two'",
      'e: plain text',
      '  "continued, not quoted',
      'g: |',
      '  h: inside a block',
      'i: 1',
      '',
    ].join('\n');
    assert.deepStrictEqual(Object.keys(readSections(text) as object), ['a', 'c', 'e', 'g', 'i']);
  });
});
