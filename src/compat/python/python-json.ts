import { isPlainObject } from '../../core/document';
import { pythonNumberStr } from './python-number';

export interface PythonJsonOptions {
  /** `indent=` of json.dumps: null for one line with `, ` and `: ` separators. */
  indent?: number | null;
  sortKeys?: boolean;
  /** Jinja2's `tojson`: `<`, `>`, `&` and `'` escaped so the text is safe inside HTML. */
  htmlSafe?: boolean;
  /** `ensure_ascii=` of json.dumps (default true): false keeps non-ASCII text as it is. */
  ensureAscii?: boolean;
}

/**
 * Python's `json.dumps` with its defaults (`ensure_ascii=True`, `, ` and `: ` separators): the reference's
 * `--get` list output, its `json_dumps` filter and Jinja2's `tojson` print exactly this text.
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const text = encode(value, options, 0);
  return options.htmlSafe ? htmlSafe(text) : text;
}

function encode(value: unknown, options: PythonJsonOptions, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Number)
    return encodeNumber(value);
  if (typeof value === 'string') return encodeString(value, options.ensureAscii ?? true);
  const indent = options.indent ?? null;
  const open = indent === null ? '' : '\n' + ' '.repeat(indent * (depth + 1));
  const close = indent === null ? '' : '\n' + ' '.repeat(indent * depth);
  const separator = indent === null ? ', ' : ',' + open;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => encode(item, options, depth + 1)).join(separator)}${close}]`;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    if (options.sortKeys) keys.sort();
    const items = keys.map(
      (k) => `${encodeString(k, options.ensureAscii ?? true)}: ${encode(value[k], options, depth + 1)}`,
    );
    return `{${open}${items.join(separator)}${close}}`;
  }
  return encodeString(String(value), options.ensureAscii ?? true);
}

// json.dumps writes floats with float.__repr__ (`2.0`, `1e-07`) and NaN/Infinity bare, as Python does.
// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
function encodeNumber(value: number | bigint | Number): string {
  const n = Number(value);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return pythonNumberStr(value);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** ensure_ascii: everything outside printable ASCII becomes `\uXXXX` (UTF-16 units, as Python writes them). */
function encodeString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function htmlSafe(text: string): string {
  return text
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}
