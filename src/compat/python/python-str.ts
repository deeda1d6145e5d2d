import { isPlainObject } from '../../core/document';
import { pythonNumberStr } from './python-number';
import { isNamespace } from './python-namespace';
import { isTuple } from './python-tuple';

/** Python's `str()`: what the reference prints for a value (`True`, `None`, `[1, 2]`, `{'a': 'b'}`). */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's `repr()` of the JSON-like values a context document holds. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Number)
    return pythonNumberStr(value);
  if (typeof value === 'string') return reprString(value);
  if (isNamespace(value))
    return `<Namespace {${Object.entries(value)
      .map(([k, v]) => `${reprString(k)}: ${pythonRepr(v)}`)
      .join(', ')}}>`;
  if (isTuple(value))
    return value.length === 1 ? `(${pythonRepr(value[0])},)` : `(${value.map(pythonRepr).join(', ')})`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isPlainObject(value)) {
    const items = Object.entries(value).map(([k, v]) => `${reprString(k)}: ${pythonRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return String(value);
}

// What Python's str.isprintable() calls unprintable (repr escapes it): controls, format characters,
// surrogates, private use, unassigned code points, and every separator but the ASCII space.
const NOT_PRINTABLE = /^(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function escapeCodePoint(code: number): string {
  const hex = code.toString(16);
  if (code < 0x100) return `\\x${hex.padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (NOT_PRINTABLE.test(ch)) out += escapeCodePoint(ch.codePointAt(0) as number);
    else out += ch;
  }
  return out + quote;
}
