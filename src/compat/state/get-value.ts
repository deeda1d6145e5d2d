import { isFalsy, isPlainObject, type ContextDocument } from '../../core/document';
import { findValues, parseJsonPath } from '../jsonpath/jsonpath';
import type { Logger } from '../../core/logger';
import { pythonJsonDumps } from '../python/python-json';
import { pythonStr } from '../python/python-str';
import { renderTemplate, type TemplateContext } from '../template/render-template';

/**
 * `--get`: one match gives the value, several give the list of values. A string is rendered as a template
 * (`context` is only built when one is), a list becomes its JSON text.
 */
export function getValue(
  doc: ContextDocument,
  expression: string,
  makeContext: () => TemplateContext,
  logger?: Logger,
): unknown {
  const matches = findValues(doc, parseJsonPath(expression));
  const value = matches.length > 1 ? matches : matches[0];
  if (typeof value === 'string' && value !== '') return renderTemplate(value, makeContext(), { logger });
  if (Array.isArray(value)) return pythonJsonDumps(value);
  return value;
}

/**
 * What the CLI prints for a `--get` result: nothing for no match and for falsy values, as cicdstatemgr; a mapping
 * as JSON (cicdstatemgr prints a Python repr, which no tool can parse).
 */
export function formatGetOutput(value: unknown): string | undefined {
  if (isFalsy(value)) return undefined;
  if (isPlainObject(value)) return pythonJsonDumps(value);
  return pythonStr(value);
}
