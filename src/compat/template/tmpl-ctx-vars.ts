import { isFalsy } from '../../core/document';
import { JsonPathSyntaxError, UsageError } from '../../core/errors';
import { findValues, parseJsonPath } from '../jsonpath/jsonpath';
import type { Logger } from '../../core/logger';
import { setValue, type SetValueOptions } from '../jsonpath/set-value';

/** `--tmpl-ctx-var NAME=EXPRESSION`: a template variable whose value is looked up in the context document. */
export interface TmplCtxVar {
  name: string;
  expression: string;
}

export function parseTmplCtxVars(args: readonly string[]): TmplCtxVar[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq === -1) throw new UsageError(`--tmpl-ctx-var needs NAME=VALUE, got "${arg}"`);
    return { name: arg.slice(0, eq), expression: arg.slice(eq + 1) };
  });
}

/**
 * Sets each variable into `context`, as cicdstatemgr does: the right-hand side is a JSONPath into `doc` (several
 * matches give a list, one gives the value); when it does not parse or matches nothing it is the literal text.
 * Falsy results are not set. Only that literal text, typed by the operator, may name a file to read
 * (`options.loadFile`): a value found in the document is data, and stays the text it is.
 */
export function applyTmplCtxVars(
  context: Record<string, unknown>,
  doc: unknown,
  vars: readonly TmplCtxVar[],
  options: SetValueOptions & { logger?: Logger } = {},
): void {
  for (const { name, expression } of vars) {
    const { value, literal } = resolveExpression(doc, expression, options.logger);
    if (!isFalsy(value))
      setValue(context, name, value, literal ? options : { ...options, loadFile: undefined });
  }
}

function resolveExpression(
  doc: unknown,
  expression: string,
  logger?: Logger,
): { value: unknown; literal: boolean } {
  let matches: unknown[];
  try {
    matches = findValues(doc, parseJsonPath(expression));
  } catch (error) {
    if (!(error instanceof JsonPathSyntaxError)) throw error;
    logger?.debug(`tmpl-ctx-var: "${expression}" is not a JSONPath, using it as a literal value`);
    return { value: expression, literal: true };
  }
  if (matches.length > 1) return { value: matches, literal: false };
  return matches.length === 1 ? { value: matches[0], literal: false } : { value: expression, literal: true };
}
