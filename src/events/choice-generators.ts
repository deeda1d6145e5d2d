import { isPlainObject } from '../core/document';
import { JsonPathSyntaxError, SlacklineError } from '../core/errors';
import { findValues, parseJsonPath } from '../compat/jsonpath/jsonpath';
import type { TemplateContext } from '../compat/template/render-template';
import { parseYaml } from '../compat/yaml/yaml';
import type { EventRun } from './event-run';

/**
 * manual-choice's `choice-generators`: for each `{foreach, iterator, template}`, every item of the mapping at
 * `foreach` is put in the context under the iterator name and `template` renders one more choice group (YAML
 * `{name: {header, options}}`), appended after the static ones or replacing one of the same name. The items are
 * read from the document being handled (cicdstatemgr read its local files, which could be stale).
 */
export function generateChoices(
  run: EventRun,
  generators: unknown,
  choices: Record<string, unknown>,
  context: TemplateContext,
  purpose: string,
): void {
  if (!isPlainObject(generators)) return;
  for (const [name, generator] of Object.entries(generators)) {
    const where = `${purpose}: choice-generators.${name}`;
    if (
      !isPlainObject(generator) ||
      typeof generator['foreach'] !== 'string' ||
      typeof generator['template'] !== 'string'
    ) {
      throw new SlacklineError(`${where} needs "foreach" and "template"`);
    }
    const foreach = run.render(generator['foreach'], context);
    const items = lookUp(run, foreach);
    if (!isPlainObject(items)) {
      run.logger.warn(`${where}: "${foreach}" is not a mapping in the document, no choices generated`);
      continue;
    }
    const iteratorName = iteratorNameOf(run, generator['iterator'], context);
    for (const item of Object.values(items)) {
      context[iteratorName] = item;
      const text = run.render(generator['template'], context);
      let generated: unknown;
      try {
        generated = parseYaml(text);
      } catch (error) {
        throw new SlacklineError(`${where}: the template did not render YAML (${(error as Error).message})`);
      }
      const first = isPlainObject(generated) ? Object.entries(generated)[0] : undefined;
      if (!first)
        throw new SlacklineError(`${where}: the template must render {groupName: {header, options}}`);
      choices[first[0]] = first[1];
    }
  }
}

function lookUp(run: EventRun, expression: string): unknown {
  try {
    const matches = findValues(run.doc, parseJsonPath(expression));
    return matches.length === 1 ? matches[0] : undefined;
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return undefined;
    throw error;
  }
}

/** As in cicdstatemgr: the rendered iterator may itself name a value in the document; else it is the name. */
function iteratorNameOf(run: EventRun, iterator: unknown, context: TemplateContext): string {
  const raw = typeof iterator === 'string' && iterator !== '' ? iterator : 'item';
  const resolved = lookUp(run, run.render(raw, context));
  return typeof resolved === 'string' && resolved !== '' ? resolved : raw;
}
