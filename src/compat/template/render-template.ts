import { isPlainObject } from '../../core/document';
import { TemplateError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { renderPlainText } from './plain-template';
import { RenderBudgetError } from './render-budget';
import { renderSource } from './template-environment';

/**
 * cicdstatemgr's `parse_template`: every stored value, handler field and generator is rendered through here.
 * A template that fails does not fail the command: it becomes an error string (or blank), which the reference
 * then stores or posts like any other value.
 */

export type TemplateContext = Record<string, unknown>;

export interface RenderOptions {
  /** Return '' instead of the error string (the reference's `if` conditions). */
  blankOnError?: boolean;
  logger?: Logger;
}

export const TEMPLATE_ERROR_PREFIX = '<jinja2 parse error> ';

export function renderTemplate(
  template: unknown,
  context: TemplateContext,
  options: RenderOptions = {},
): string {
  if (template === null || template === undefined || template === '') return '';
  // The reference concatenates the macro prefix outside its try block, so this is a failure, not an error string.
  if (typeof template !== 'string') {
    throw new TemplateError(`a template must be text, not ${pythonTypeName(template)}`);
  }
  const prefix = macroPrefix(context);
  const plain = renderPlainText(template, prefix);
  if (plain !== undefined) return plain;
  try {
    return renderSource(jinjaSource(prefix + template), context);
  } catch (error) {
    // A runaway template fails the command: storing an error string would hide that a step was stopped.
    if (error instanceof RenderBudgetError) {
      throw new RenderBudgetError(`cannot render ${excerpt(template)}: ${error.message}`, { cause: error });
    }
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    options.logger?.error(`parse_template() template = ${template} error: ${message}`);
    return options.blankOnError ? '' : TEMPLATE_ERROR_PREFIX + template;
  }
}

// Every context built from a cicdContextData carries the app's macros; they end with `{%- endmacro -%}`, which is
// why leading whitespace of every such template disappears.
function macroPrefix(context: TemplateContext): string {
  const macros = context['jinja2Macros'];
  return isPlainObject(macros) && typeof macros['all'] === 'string' ? macros['all'] : '';
}

// Jinja2's lexer turns every \r\n and \r into \n and, with keep_trailing_newline=False, drops one final newline.
function jinjaSource(source: string): string {
  const normalized = source.replace(/\r\n?/g, '\n');
  return normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
}

function excerpt(template: string): string {
  return JSON.stringify(template.length > 60 ? `${template.slice(0, 60)}…` : template);
}

function pythonTypeName(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  if (isPlainObject(value)) return 'dict';
  return typeof value;
}
