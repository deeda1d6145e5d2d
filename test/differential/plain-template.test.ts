import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderPlainText } from '../../src/compat/template/plain-template';
import { dumpYaml } from '../../src/compat/yaml/yaml';
import { PythonReference, requireReference } from '../helpers/python-reference';

/** The app macros a template may come after (cicdstatemgr prepends them to every template). */
const WAVE = '{%- macro wave(name) -%}\n  Hello {{ name }}\n{%- endmacro -%}\n';
const PREFIXES = ['', WAVE, `${WAVE}\n\n{%- macro shout(x) -%}{{ x | upper }}!{%- endmacro -%}`];
const UNITS = ['a', ' ', '\n', '\r', '\t', '{', '}', '%', '#', 'é', '😀', '-', '"', '\u00a0', '\u2028'];

describe('differential: plain text rendered without the engine, as Jinja2 renders it', function () {
  let python: PythonReference;

  before(function () {
    requireReference(this);
    python = PythonReference.start();
  });
  after(() => python?.stop());

  it('renders what Jinja2 renders whenever it answers, and answers for most plain text', async function () {
    const cases = fc.sample(
      fc.tuple(
        fc.oneof(fc.string({ unit: fc.constantFrom(...UNITS), maxLength: 16 }), fc.string({ maxLength: 16 })),
        fc.constantFrom(...PREFIXES),
      ),
      { numRuns: 1500, seed: 9 },
    );
    const answered = cases
      .map(([template, prefix]) => ({ template, prefix, plain: renderPlainText(template, prefix) }))
      .filter((c): c is typeof c & { plain: string } => c.plain !== undefined);
    const context = (prefix: string) => dumpYaml({ jinja2Macros: { all: prefix } });
    const jinja = await python.render(
      answered.map((c) => ({ template: c.template, context: context(c.prefix) })),
    );
    answered.forEach((c, i) => {
      assert.deepStrictEqual({ ok: true, text: c.plain }, jinja[i], JSON.stringify(c));
    });
    assert.ok(answered.length > cases.length / 2, `answered ${answered.length} of ${cases.length}`);
  });
});
