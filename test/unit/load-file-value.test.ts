import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFileValue } from '../../src/config/load-file-value';
import { renderTemplate } from '../../src/compat/template/render-template';

/** file:// values: JSON, else YAML, else the raw text, as cicdstatemgr's set step reads them. */
describe('loadFileValue', function () {
  let dir: string;
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'file-value-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a template as its text: `{{ x }}` is a mapping used as a key, which PyYAML refuses', function () {
    const value = loadFileValue(file('t.txt', '{{ state.gitTag }}\n'), dir);
    assert.equal(value, '{{ state.gitTag }}\n');
    assert.equal(renderTemplate(value, { state: { gitTag: 'v1.2' } }), 'v1.2');
  });

  it('reads JSON with its floats, YAML 1.1 scalars, and otherwise the raw text', function () {
    const json = loadFileValue(file('a.json', '{"w": 2.0, "n": [1, 2]}'), dir) as Record<string, unknown>;
    assert.ok(json['w'] instanceof Number && Number(json['w']) === 2);
    assert.deepEqual(json['n'], [1, 2]);
    assert.deepEqual(loadFileValue(file('b.yaml', 'a: 1_000\nb: 1e3\n'), dir), { a: 1000, b: '1e3' });
    assert.equal(loadFileValue(file('c.txt', 'Total: 5 (HIGH: 2)\nfoo\n'), dir), 'Total: 5 (HIGH: 2)\nfoo\n');
    assert.equal(loadFileValue('missing.txt', dir), undefined);
  });
});
