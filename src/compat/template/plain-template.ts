/**
 * What a template without any Jinja2 markup renders to, worked out without the template engine, so that a
 * `--get` of a plain value (most of them) never loads nunjucks; undefined when it takes the engine to know.
 * The app's macros come before every template (render-template.ts): they render to nothing when they are only
 * macro definitions, each ending in `-%}`, which also strips the whitespace after it, so the fast path is taken
 * only for a template that starts with none.
 */
export function renderPlainText(template: string, macroPrefix: string): string | undefined {
  if (/\{[{%#]/.test(template)) return undefined;
  if (macroPrefix !== '' && (/^\s/.test(template) || !onlyMacroDefinitions(macroPrefix))) return undefined;
  // Jinja2's lexer turns every \r\n and \r into \n and, with keep_trailing_newline=False, drops one final newline.
  const normalized = template.replace(/\r\n?/g, '\n');
  return normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized;
}

const MACRO = /\{%-?\s*macro\b[\s\S]*?\{%-?\s*endmacro\s*(-?)%\}/g;

/** Nothing but `{% macro %}…{%- endmacro -%}` blocks, the first at the very start: they output nothing. */
function onlyMacroDefinitions(prefix: string): boolean {
  if (!prefix.startsWith('{%')) return false;
  let rest = '';
  let last = 0;
  for (const match of prefix.matchAll(MACRO)) {
    if (match[1] !== '-') return false;
    rest += prefix.slice(last, match.index);
    last = match.index + match[0].length;
  }
  rest += prefix.slice(last);
  return rest.trim() === '';
}
