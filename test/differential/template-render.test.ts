import assert from 'node:assert/strict';
import { renderTemplate, TEMPLATE_ERROR_PREFIX } from '../../src/compat/template/render-template';
import { parseYaml } from '../../src/compat/yaml/yaml';
import { PythonReference, requireReference, type RenderCase } from '../helpers/python-reference';
import { CONTEXT, MACROS_CONTEXT, TEMPLATES } from './template-cases';
import { generatedTemplates } from './template-generated';

/**
 * Every case rendered by Jinja2 (as cicdstatemgr sets it up) and by ours, against the same YAML document: the
 * text must be the same, and where Jinja2 fails ours must fail too (cicdstatemgr then stores
 * `<jinja2 parse error> <template>`).
 */

// Deliberate differences, each a COMPATIBILITY.md row (the value says which): ours refuses, so it renders the
// error text, where Jinja2 renders something.
const REFUSED: ReadonlyMap<string, string> = new Map([
  // Jinja2 prints `<built-in method items of dict object at 0x…>`: an address, not a value.
  ['{{ state.items }}', 'Templates: a function cannot be printed'],
  ['{{ state.keys }} {{ state.values }}', 'Templates: a function cannot be printed'],
]);

// Deliberate differences where ours renders other text: the template and what ours renders.
const DIFFERENT: ReadonlyMap<string, { ours: string; row: string }> = new Map([]);

describe('differential: templates rendered by Jinja2 and by ours', function () {
  let python: PythonReference;
  const cases: RenderCase[] = [
    ...TEMPLATES.map((template) => ({
      template,
      context: template.includes('basicMacro') ? MACROS_CONTEXT : CONTEXT,
    })),
    ...generatedTemplates().map((template) => ({ template, context: CONTEXT })),
  ];

  before(function () {
    requireReference(this);
    python = PythonReference.start();
  });
  after(() => python?.stop());

  it(`has at least 300 cases (${cases.length})`, function () {
    assert.ok(cases.length >= 300);
  });

  it('renders every case as Jinja2 does, and fails where Jinja2 fails', async function () {
    const answers = await python.render(cases);
    const differences: string[] = [];
    answers.forEach((answer, i) => {
      const { template, context } = cases[i] as RenderCase;
      const ours = renderTemplate(template, parseYaml(context) as Record<string, unknown>);
      const refused = REFUSED.get(template);
      const different = DIFFERENT.get(template);
      const expected =
        different?.ours ?? (answer.ok && !refused ? answer.text : TEMPLATE_ERROR_PREFIX + template);
      if ((refused || different) && answer.ok && answer.text === ours) {
        differences.push(`${template}\n    now renders as Jinja2 does: drop it from REFUSED/DIFFERENT`);
      }
      if (ours !== expected) {
        const reference = answer.ok ? JSON.stringify(answer.text) : answer.error;
        differences.push(`${template}\n    jinja2: ${reference}\n    ours:   ${JSON.stringify(ours)}`);
      }
    });
    assert.deepEqual(
      differences,
      [],
      `${differences.length} of ${cases.length} differ:\n${differences.join('\n')}`,
    );
  });
});
