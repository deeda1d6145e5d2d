import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deepCopy } from '../../src/core/document';
import { parseYaml } from '../../src/compat/yaml/yaml';
import { readSections } from '../../src/compat/yaml/yaml-sections';
import { PythonReference, requireReference } from '../helpers/python-reference';
import { tagOurs } from '../helpers/python-tagged';
import { documentArb } from '../helpers/yaml-documents';

/**
 * Documents as cicdstatemgr 1.2.4 writes them (PyYAML: long scalars folded over several lines, text with line
 * breaks double-quoted): read entry by entry, each reads as the whole parse reads it, or the text is refused
 * and parsed whole.
 */
describe('differential: documents PyYAML wrote, read entry by entry', function () {
  let python: PythonReference;

  before(function () {
    requireReference(this);
    python = PythonReference.start();
  });
  after(() => python?.stop());

  it('reads each entry as the whole parse does, and refuses only explicit keys (`? key`)', async function () {
    const documents = fc.sample(documentArb, { numRuns: 300, seed: 5 });
    const texts = await python.dump(documents.map(tagOurs));
    let split = 0;
    texts.forEach((text) => {
      const sections = readSections(text);
      // PyYAML writes the empty key as `? ''`, which the split does not follow.
      if (!sections) return assert.match(text, /^[ -]*\? /m, `refused:\n${text}`);
      split++;
      assert.deepStrictEqual(deepCopy(sections), parseYaml(text), `reading PyYAML's text:\n${text}`);
    });
    assert.ok(split >= 200, `only ${split} of ${texts.length} documents were split`);
  });
});
