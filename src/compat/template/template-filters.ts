import { isFalsy, isPlainObject } from '../../core/document';
import { pythonJsonDumps } from '../python/python-json';
import { parsePythonJson } from '../python/python-json-parse';
import { MORE_STRING_METHODS } from '../python/python-string-methods';
import { isPythonWhitespace, pythonStrip } from '../python/python-whitespace';
import { pyyamlDump } from '../yaml/pyyaml-emitter';

/**
 * The filters cicdstatemgr adds to Jinja2 (`cicdstatemgr/jinja2util.py`) and Jinja2's own `tojson`, with the
 * reference's exact output, plus the Python `str` methods templates call. Nothing here knows nunjucks: values
 * arrive as plain strings, arrays and objects (the environment unwraps nunjucks' safe strings first).
 */

export type TemplateFilter = (value: unknown, ...args: unknown[]) => unknown;

export const TEMPLATE_FILTERS: Record<string, TemplateFilter> = {
  tojson(value, ...args) {
    const { indent } = filterArgs('tojson', args, ['indent']);
    return pythonJsonDumps(defined('tojson', value), {
      indent: jsonIndent(indent),
      sortKeys: true,
      htmlSafe: true,
    });
  },

  json_dumps(value, ...args) {
    const { indent, stripLeadingTrailingQuotes } = filterArgs('json_dumps', args, [
      'indent',
      'stripLeadingTrailingQuotes',
    ]);
    const text = pythonJsonDumps(defined('json_dumps', value), { indent: jsonIndent(indent) });
    return isFalsy(stripLeadingTrailingQuotes) ? text : text.slice(1, -1);
  },

  from_json(value) {
    return parsePythonJson(text('from_json', value));
  },

  to_nice_yaml(value, ...args) {
    // cicdstatemgr's filter: yaml.dump(value, default_flow_style=False, sort_keys=…, indent=…), PyYAML's text.
    const { sort_keys: sortKeys, indent } = filterArgs('to_nice_yaml', args, [
      'default_flow_style',
      'sort_keys',
      'indent',
    ]);
    return pyyamlDump(defined('to_nice_yaml', value), {
      sortKeys: !isFalsy(sortKeys),
      indent: indent === undefined ? 2 : Number(indent),
    });
  },

  kv_comma_pairs_to_json(value) {
    const result: Record<string, string> = {};
    for (const item of text('kv_comma_pairs_to_json', value).split(',')) {
      if (!item.includes('=')) continue;
      const [key, val] = item.split('=') as [string, string];
      result[key] = val;
    }
    return pythonJsonDumps(result);
  },

  to_base64(value) {
    return Buffer.from(text('to_base64', value), 'utf8').toString('base64');
  },
};

/** Filters whose output Jinja2 marks safe (Markup). */
export const SAFE_OUTPUT_FILTERS: ReadonlySet<string> = new Set(['tojson']);

/**
 * nunjucks hands keyword arguments (`json_dumps(stripLeadingTrailingQuotes=True)`) over as a trailing object
 * marked `__keywords`; Python binds them by name, so do the same.
 */
function filterArgs(filter: string, args: unknown[], names: string[]): Record<string, unknown> {
  const last = args[args.length - 1];
  const keywords = isPlainObject(last) && last['__keywords'] === true ? last : {};
  const positional = keywords === last ? args.slice(0, -1) : args;
  if (positional.length > names.length)
    throw new Error(`${filter}() takes at most ${names.length} arguments`);
  const bound: Record<string, unknown> = {};
  names.forEach((name, i) => (bound[name] = positional[i]));
  for (const [name, value] of Object.entries(keywords)) {
    if (name === '__keywords') continue;
    if (!names.includes(name)) throw new Error(`${filter}() got an unexpected keyword argument '${name}'`);
    bound[name] = value;
  }
  return bound;
}

function jsonIndent(indent: unknown): number | null {
  if (indent === undefined || indent === null) return null;
  if (typeof indent !== 'number' || !Number.isInteger(indent)) throw new Error('indent must be an integer');
  return indent;
}

// Python's filters fail on Jinja2's Undefined (json.dumps cannot serialise it, `.split` is not there).
function defined(filter: string, value: unknown): unknown {
  if (value === undefined) throw new Error(`${filter}: the value is undefined`);
  return value;
}

function text(filter: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new Error(`${filter}: expected a string, got ${typeof defined(filter, value)}`);
  return value;
}

type StringMethod = (this: string, ...args: unknown[]) => unknown;

/**
 * Python `str` methods that Jinja2 templates call (`x.split(',')`, `x.strip()`); JavaScript strings lack them
 * or behave differently (`replace` replaces only the first match, `split()` does not split on whitespace).
 */
export const PYTHON_STRING_METHODS: Record<string, StringMethod> = {
  upper() {
    return this.toUpperCase();
  },
  lower() {
    return this.toLowerCase();
  },
  strip(chars) {
    return stripChars(stripChars(this, chars, 'start'), chars, 'end');
  },
  lstrip(chars) {
    return stripChars(this, chars, 'start');
  },
  rstrip(chars) {
    return stripChars(this, chars, 'end');
  },
  split(sep, maxsplit) {
    const max = typeof maxsplit === 'number' ? maxsplit : -1;
    if (sep === undefined || sep === null) return splitWhitespace(this, max);
    if (typeof sep !== 'string' || sep === '') throw new Error('split(): empty or non-string separator');
    const parts = this.split(sep);
    return max < 0 || parts.length <= max + 1 ? parts : [...parts.slice(0, max), parts.slice(max).join(sep)];
  },
  replace(old, replacement, count) {
    return pyReplace(this, String(old), String(replacement), typeof count === 'number' ? count : -1);
  },
  // [start:end] in code points, as Python counts.
  startswith(prefix, start, end) {
    const text = sliceCodePoints(this, start, end);
    return (Array.isArray(prefix) ? prefix : [prefix]).some((p) => text.startsWith(String(p)));
  },
  endswith(suffix, start, end) {
    const text = sliceCodePoints(this, start, end);
    return (Array.isArray(suffix) ? suffix : [suffix]).some((s) => text.endsWith(String(s)));
  },
  ...MORE_STRING_METHODS,
  join(items) {
    const list = Array.isArray(items)
      ? items
      : isPlainObject(items)
        ? Object.keys(items)
        : [...String(items)];
    return list.join(this);
  },
};

/** Python's str.replace: an empty `old` matches between every code point and at both ends. */
export function pyReplace(s: string, from: string, to: string, count: number): string {
  const parts = from === '' ? ['', ...[...s], ''] : s.split(from);
  const glue = from === '' ? '' : from;
  if (count < 0 || count >= parts.length - 1) return parts.join(to);
  return parts.slice(0, count + 1).join(to) + glue + parts.slice(count + 1).join(glue);
}

function sliceCodePoints(s: string, start: unknown, end: unknown): string {
  if ((start === undefined || start === null) && (end === undefined || end === null)) return s;
  const chars = [...s];
  const clamp = (value: unknown, missing: number) => {
    if (value === undefined || value === null) return missing;
    const n = Number(value);
    return n < 0 ? Math.max(0, n + chars.length) : Math.min(n, chars.length);
  };
  return chars.slice(clamp(start, 0), clamp(end, chars.length)).join('');
}

function stripChars(s: string, chars: unknown, side: 'start' | 'end'): string {
  if (chars === undefined || chars === null) return pythonStrip(s, side);
  const set = String(chars);
  let start = 0;
  let end = s.length;
  if (side === 'start') while (start < end && set.includes(s[start] as string)) start++;
  else while (end > start && set.includes(s[end - 1] as string)) end--;
  return s.slice(start, end);
}

function splitWhitespace(s: string, max: number): string[] {
  const parts: string[] = [];
  const space = (i: number) => isPythonWhitespace(s[i] as string);
  for (let i = 0; ;) {
    while (i < s.length && space(i)) i++;
    if (i === s.length) return parts;
    // Past maxsplit, the rest is one part, trailing whitespace included.
    if (max >= 0 && parts.length === max) return [...parts, s.slice(i)];
    let end = i;
    while (end < s.length && !space(end)) end++;
    parts.push(s.slice(i, end));
    i = end;
  }
}
