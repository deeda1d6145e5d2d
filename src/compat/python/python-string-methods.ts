import { isPyInt } from './python-number';
import { strFormat } from './python-str-format';
import { isCased, isLowerChar, isUpperChar, TITLE_CASE, titleCase } from './python-title-case';
import { pyTuple } from './python-tuple';
import { isPythonWhitespace } from './python-whitespace';

/**
 * More of Python's `str` methods for templates (`x.title()`, `x.rsplit('-', 1)`, `x.zfill(6)`,
 * `'{}-{}'.format(a, b)`), counting code points as Python does. template-filters.ts has the first few.
 */

type StringMethod = (this: string, ...args: unknown[]) => unknown;

function int(value: unknown, name: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (!isPyInt(value)) throw new TypeError(`${name} must be an integer`);
  return Number(value);
}

/** Python's slice bounds `[start:end]` of a str method, in code points. */
function bounds(length: number, start: unknown, end: unknown): [number, number] {
  const clamp = (value: unknown, missing: number): number => {
    if (value === undefined || value === null) return missing;
    const n = int(value, 'slice index');
    return n < 0 ? Math.max(0, n + length) : Math.min(n, length);
  };
  return [clamp(start, 0), clamp(end, length)];
}

function find(s: string, sub: unknown, start: unknown, end: unknown, fromEnd: boolean): number {
  const chars = [...s];
  const [from, to] = bounds(chars.length, start, end);
  const needle = [...String(sub)];
  if (to - from < needle.length) return -1;
  const matches = (i: number) => needle.every((ch, k) => chars[i + k] === ch);
  if (fromEnd) {
    for (let i = to - needle.length; i >= from; i--) if (matches(i)) return i;
  } else {
    for (let i = from; i + needle.length <= to; i++) if (matches(i)) return i;
  }
  return -1;
}

function pad(s: string, width: unknown, fill: unknown, where: 'left' | 'right' | 'center'): string {
  const w = int(width, 'width');
  const f = fill === undefined ? ' ' : String(fill);
  if ([...f].length !== 1) throw new TypeError('The fill character must be exactly one character long');
  const length = [...s].length;
  const margin = w - length;
  if (margin <= 0) return s;
  if (where === 'left') return s + f.repeat(margin);
  if (where === 'right') return f.repeat(margin) + s;
  const left = Math.floor(margin / 2) + (margin & w & 1);
  return f.repeat(left) + s + f.repeat(margin - left);
}

const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g; // eslint-disable-line no-control-regex

function splitWhitespaceFromRight(s: string, max: number): string[] {
  const chars = [...s];
  const parts: string[] = [];
  let end = chars.length;
  for (;;) {
    while (end > 0 && isPythonWhitespace(chars[end - 1] as string)) end--;
    if (end === 0) return parts.reverse();
    if (max >= 0 && parts.length === max) return [chars.slice(0, end).join(''), ...parts.reverse()];
    let start = end;
    while (start > 0 && !isPythonWhitespace(chars[start - 1] as string)) start--;
    parts.push(chars.slice(start, end).join(''));
    end = start;
  }
}

export const MORE_STRING_METHODS: Record<string, StringMethod> = {
  title() {
    let previousCased = false;
    let out = '';
    for (const ch of this) {
      out += previousCased ? ch.toLowerCase() : titleCase(ch);
      previousCased = isCased(ch);
    }
    return out;
  },
  capitalize() {
    const [first = '', ...rest] = [...this];
    return titleCase(first) + rest.join('').toLowerCase();
  },
  swapcase() {
    return [...this]
      .map((ch) => (isUpperChar(ch) ? ch.toLowerCase() : isLowerChar(ch) ? ch.toUpperCase() : ch))
      .join('');
  },
  casefold() {
    return this.toLowerCase().replaceAll('ß', 'ss');
  },
  count(sub, start, end) {
    const chars = [...this];
    const [from, to] = bounds(chars.length, start, end);
    const needle = String(sub);
    const text = chars.slice(from, to).join('');
    if (needle === '') return to - from + 1;
    return text.split(needle).length - 1;
  },
  find(sub, start, end) {
    return find(this, sub, start, end, false);
  },
  rfind(sub, start, end) {
    return find(this, sub, start, end, true);
  },
  index(sub, start, end) {
    const i = find(this, sub, start, end, false);
    if (i < 0) throw new Error('ValueError: substring not found');
    return i;
  },
  rindex(sub, start, end) {
    const i = find(this, sub, start, end, true);
    if (i < 0) throw new Error('ValueError: substring not found');
    return i;
  },
  zfill(width) {
    const sign = this.startsWith('-') || this.startsWith('+') ? (this[0] as string) : '';
    const rest = this.slice(sign.length);
    return sign + pad(rest, int(width, 'width') - sign.length, '0', 'right');
  },
  ljust(width, fill) {
    return pad(this, width, fill, 'left');
  },
  rjust(width, fill) {
    return pad(this, width, fill, 'right');
  },
  center(width, fill) {
    return pad(this, width, fill, 'center');
  },
  partition(sep) {
    const s = String(sep);
    const i = this.indexOf(s);
    return i < 0 ? pyTuple([this, '', '']) : pyTuple([this.slice(0, i), s, this.slice(i + s.length)]);
  },
  rpartition(sep) {
    const s = String(sep);
    const i = this.lastIndexOf(s);
    return i < 0 ? pyTuple(['', '', this]) : pyTuple([this.slice(0, i), s, this.slice(i + s.length)]);
  },
  rsplit(sep, maxsplit) {
    const max = maxsplit === undefined || maxsplit === null ? -1 : int(maxsplit, 'maxsplit');
    if (sep === undefined || sep === null) return splitWhitespaceFromRight(this, max);
    const s = String(sep);
    if (s === '') throw new Error('ValueError: empty separator');
    const parts = this.split(s);
    if (max < 0 || parts.length <= max + 1) return parts;
    return [parts.slice(0, parts.length - max).join(s), ...parts.slice(parts.length - max)];
  },
  splitlines(keepends) {
    const lines: string[] = [];
    let start = 0;
    for (const match of this.matchAll(LINE_BREAK)) {
      const end = (match.index as number) + match[0].length;
      lines.push(this.slice(start, keepends ? end : match.index));
      start = end;
    }
    if (start < this.length) lines.push(this.slice(start));
    return lines;
  },
  isdigit() {
    return /^[\p{Nd}\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089]+$/u.test(this);
  },
  isdecimal() {
    return /^\p{Nd}+$/u.test(this);
  },
  isnumeric() {
    return /^\p{N}+$/u.test(this);
  },
  isalpha() {
    return /^\p{L}+$/u.test(this);
  },
  isalnum() {
    return /^[\p{L}\p{N}]+$/u.test(this);
  },
  isspace() {
    return this.length > 0 && [...this].every(isPythonWhitespace);
  },
  isupper() {
    const cased = [...this].filter(isCased);
    // A title-case letter (ǅ) is neither upper nor lower case.
    return cased.length > 0 && cased.every((ch) => !isLowerChar(ch) && TITLE_CASE[ch] !== ch);
  },
  islower() {
    const cased = [...this].filter(isCased);
    return cased.length > 0 && cased.every((ch) => !isUpperChar(ch) && TITLE_CASE[ch] !== ch);
  },
  istitle() {
    let previousCased = false;
    let sawCased = false;
    for (const ch of this) {
      if (isUpperChar(ch) || (Object.hasOwn(TITLE_CASE, ch) && TITLE_CASE[ch] === ch)) {
        if (previousCased) return false;
        previousCased = sawCased = true;
      } else if (isLowerChar(ch)) {
        if (!previousCased) return false;
        previousCased = sawCased = true;
      } else {
        previousCased = false;
      }
    }
    return sawCased;
  },
  removeprefix(prefix) {
    const p = String(prefix);
    return p !== '' && this.startsWith(p) ? this.slice(p.length) : this;
  },
  removesuffix(suffix) {
    const x = String(suffix);
    return x !== '' && this.endsWith(x) ? this.slice(0, -x.length) : this;
  },
  expandtabs(tabsize) {
    const size = tabsize === undefined ? 8 : int(tabsize, 'tabsize');
    let column = 0;
    let out = '';
    for (const ch of this) {
      if (ch === '\t') {
        const spaces = size > 0 ? size - (column % size) : 0;
        out += ' '.repeat(spaces);
        column += spaces;
      } else {
        out += ch;
        column = ch === '\n' || ch === '\r' ? 0 : column + 1;
      }
    }
    return out;
  },
  format(...args) {
    return strFormat(this, args);
  },
  isidentifier() {
    return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(this);
  },
};
