import { formatFloat } from './python-format';
import { isPyFloat, isPyInt, pythonFloatRepr } from './python-number';
import { pythonRepr, pythonStr } from './python-str';
import { pyTuple } from './python-tuple';
import { pythonTypeName } from './python-type-name';
import { isPythonWhitespace } from './python-whitespace';

/**
 * More of Python's `str` methods for templates (`x.title()`, `x.rsplit('-', 1)`, `x.zfill(6)`,
 * `'{}-{}'.format(a, b)`), counting code points as Python does. template-filters.ts has the first few.
 */

type StringMethod = (this: string, ...args: unknown[]) => unknown;

// Characters whose title case is not their upper case (Unicode's digraphs and the ligatures that title-case
// to two letters); everything else title-cases as it upper-cases.
const TITLE_CASE: Record<string, string> = {
  ß: 'Ss',
  Ǆ: 'ǅ',
  ǅ: 'ǅ',
  ǆ: 'ǅ',
  Ǉ: 'ǈ',
  ǈ: 'ǈ',
  ǉ: 'ǈ',
  Ǌ: 'ǋ',
  ǋ: 'ǋ',
  ǌ: 'ǋ',
  Ǳ: 'ǲ',
  ǲ: 'ǲ',
  ǳ: 'ǲ',
  ﬀ: 'Ff',
  ﬁ: 'Fi',
  ﬂ: 'Fl',
  ﬃ: 'Ffi',
  ﬄ: 'Ffl',
  ﬅ: 'St',
  ﬆ: 'St',
};

export function titleCase(ch: string): string {
  return Object.hasOwn(TITLE_CASE, ch) ? (TITLE_CASE[ch] as string) : ch.toUpperCase();
}

function isCased(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase() || Object.hasOwn(TITLE_CASE, ch);
}

function isUpperChar(ch: string): boolean {
  return isCased(ch) && ch === ch.toUpperCase() && ch !== ch.toLowerCase();
}

function isLowerChar(ch: string): boolean {
  return isCased(ch) && ch === ch.toLowerCase() && ch !== ch.toUpperCase();
}

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

/** `str.format`'s mini-language for one field: [[fill]align][sign][0][width][,][.precision][type]. */
function formatField(value: unknown, spec: string, conversion: string | undefined): string {
  if (conversion === 'r') value = pythonRepr(value);
  else if (conversion === 's') value = pythonStr(value);
  const match = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su.exec(
    spec,
  );
  if (!match) throw new Error(`ValueError: Invalid format specifier '${spec}'`);
  const [, fill, align, sign, alternate, zero, widthText, grouping, precisionText, type] = match;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let text: string;
  // format(x, '') is str(x) for every type; a non-empty spec is only for text and numbers.
  if (spec === '') return pythonStr(value);
  const numeric = typeof value === 'boolean' || isPyInt(value) || isPyFloat(value);
  if (!numeric && typeof value !== 'string') {
    throw new TypeError(`unsupported format string passed to ${pythonTypeName(value)}.__format__`);
  }
  if (typeof value === 'string' && (grouping || sign || zero)) {
    throw new Error(`ValueError: Cannot specify '${grouping ?? sign ?? '0'}' with 's'.`);
  }
  if ((isPyFloat(value) && type !== undefined && 'dxXobc'.includes(type)) || (numeric && type === 's')) {
    throw new Error(
      `ValueError: Unknown format code '${type}' for object of type '${pythonTypeName(value)}'`,
    );
  }
  const integral = !isPyFloat(value) && (type === undefined || 'dxXobcn'.includes(type));
  if (numeric && integral && precision !== undefined) {
    throw new Error('ValueError: Precision not allowed in integer format specifier');
  }
  if ((type === undefined || type === 's') && !numeric) {
    text = pythonStr(value);
    if (precision !== undefined) text = [...text].slice(0, precision).join('');
  } else if (!numeric) {
    throw new Error(`ValueError: Unknown format code '${type}' for object of type 'str'`);
  } else {
    const n = Number(value);
    const negative = n < 0 || Object.is(n, -0);
    const magnitude = Math.abs(n);
    let body: string;
    if (type === undefined || type === 'd' || type === 'n') {
      if (isPyFloat(value) && type === 'n') {
        body = formatFloat('g', magnitude, precision ?? 6, false);
      } else if (isPyFloat(value)) {
        // No type on a float: repr, or with a precision 'g' that keeps a digit after the point.
        body =
          precision === undefined
            ? pythonFloatRepr(magnitude)
            : formatFloat('g', magnitude, precision, false);
        if (precision !== undefined && /^\d+$/.test(body)) body += '.0';
      } else {
        const int = typeof value === 'bigint' ? value : BigInt(Math.trunc(n));
        body = (int < 0n ? -int : int).toString();
      }
    } else if ('xXob'.includes(type)) {
      body = BigInt(Math.trunc(magnitude)).toString(type === 'o' ? 8 : type === 'b' ? 2 : 16);
      if (type === 'X') body = body.toUpperCase();
      if (alternate) body = `0${type}${body}`;
    } else if (type === 'c') {
      if (negative || magnitude > 0x10ffff) throw new Error('OverflowError: %c arg not in range(0x110000)');
      body = String.fromCodePoint(magnitude);
    } else if (type === '%') {
      body = `${formatFloat('f', magnitude * 100, precision ?? 6, false)}%`;
    } else {
      body = formatFloat(type, magnitude, precision ?? 6, false);
    }
    if (grouping) {
      const [whole = '', fraction] = body.split('.');
      body =
        whole.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (fraction === undefined ? '' : `.${fraction}`);
    }
    const signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    const width = widthText === undefined ? 0 : Number(widthText);
    if ((zero && !align) || align === '=') {
      const f = align === '=' ? (fill ?? ' ') : '0';
      return signText + body.padStart(Math.max(0, width - signText.length), f);
    }
    text = signText + body;
  }
  const width = widthText === undefined ? 0 : Number(widthText);
  const f = fill ?? ' ';
  const direction = align ?? (numeric ? '>' : '<');
  const margin = width - [...text].length;
  if (margin <= 0) return text;
  // format()'s centring puts the odd space on the right (str.center's rule differs).
  const left = Math.floor(margin / 2);
  if (direction === '^') return f.repeat(left) + text + f.repeat(margin - left);
  return direction === '<' ? text + f.repeat(margin) : f.repeat(margin) + text;
}

function strFormat(format: string, args: unknown[]): string {
  const last = args[args.length - 1];
  const keywords =
    typeof last === 'object' && last !== null && (last as Record<string, unknown>)['__keywords'] === true
      ? (last as Record<string, unknown>)
      : {};
  const positional = keywords === last ? args.slice(0, -1) : args;
  let auto = 0;
  return format.replace(
    /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g,
    (whole, field: string, conversion, spec) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      let value: unknown;
      if (field === '') value = positional[auto++];
      else if (/^\d+$/.test(field)) value = positional[Number(field)];
      else if (Object.hasOwn(keywords, field) && field !== '__keywords') value = keywords[field];
      else throw new Error(`KeyError: '${field}'`);
      if (value === undefined && (field === '' || /^\d+$/.test(field))) {
        throw new Error('IndexError: Replacement index out of range for positional args tuple');
      }
      return formatField(value, spec ?? '', conversion);
    },
  );
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
