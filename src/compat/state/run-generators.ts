import { deepCopy, isFalsy, isPlainObject, type ContextDocument } from '../../core/document';
import { SlacklineError } from '../../core/errors';
import { findValues, parseJsonPath } from '../jsonpath/jsonpath';
import type { Logger } from '../../core/logger';
import { renderTemplate, type TemplateContext } from '../template/render-template';
import { setValue, type SetValueOptions } from '../jsonpath/set-value';

/**
 * `--generate PATH`: the node at PATH maps names to `{if?, set: [{key, value}]}`; each set item's key and value
 * are rendered and the value stored at the key. Returns how many values were set (nothing to persist if 0).
 */
export function runGenerators(
  doc: ContextDocument,
  path: string,
  makeContext: (doc: ContextDocument) => TemplateContext,
  options: SetValueOptions & { logger?: Logger } = {},
): number {
  const nodes = findValues(doc, parseJsonPath(path));
  if (nodes.length !== 1) {
    throw new SlacklineError(`--generate ${path} must match exactly one node, it matched ${nodes.length}`);
  }
  const generators = nodes[0];
  if (!isPlainObject(generators))
    throw new SlacklineError(`--generate ${path} is not a mapping of generators`);
  const render = (template: unknown, context: TemplateContext, blankOnError = false) =>
    renderTemplate(template, context, { blankOnError, logger: options.logger });

  let count = 0;
  for (const [name, generator] of Object.entries(generators)) {
    if (!isPlainObject(generator) || !Array.isArray(generator['set'])) {
      throw new SlacklineError(`generator ${path}.${name} needs a "set" list of {key, value} items`);
    }
    const context = { ...makeContext(doc), generator: deepCopy(generator) };
    if ('if' in generator && render(generator['if'], context, true).trim() === '') {
      options.logger?.debug(`generate() ${name}: "if" is blank, skipping`);
      continue;
    }
    for (const item of generator['set'] as unknown[]) {
      if (!isPlainObject(item)) continue;
      const key = render(item['key'], context);
      if (key === '' || isFalsy(item['value'])) continue;
      setValue(doc, key.trim(), render(item['value'], context), options);
      count++;
    }
  }
  return count;
}
