import { isFalsy } from './document';
import { JsonPathSyntaxError, UsageError } from './errors';
import { findValues, parseJsonPath } from './jsonpath';
import type { Logger } from './logger';
import { setValue, type SetValueOptions } from './set-value';

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
 * Falsy results are not set.
 */
export function applyTmplCtxVars(
  context: Record<string, unknown>,
  doc: unknown,
  vars: readonly TmplCtxVar[],
  options: SetValueOptions & { logger?: Logger } = {},
): void {
  for (const { name, expression } of vars) {
    const value = resolveExpression(doc, expression, options.logger);
    if (!isFalsy(value)) setValue(context, name, value, options);
  }
}

function resolveExpression(doc: unknown, expression: string, logger?: Logger): unknown {
  let matches: unknown[];
  try {
    matches = findValues(doc, parseJsonPath(expression));
  } catch (error) {
    if (!(error instanceof JsonPathSyntaxError)) throw error;
    logger?.debug(`tmpl-ctx-var: "${expression}" is not a JSONPath, using it as a literal value`);
    return expression;
  }
  if (matches.length > 1) return matches;
  return matches.length === 1 ? matches[0] : expression;
}
