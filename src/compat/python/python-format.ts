import { isPlainObject } from '../../core/document';
import { isPyFloat, isPyInt } from './python-number';
import { pythonRepr, pythonStr } from './python-str';
import { isTuple } from './python-tuple';
import { pythonTypeName } from './python-type-name';

/**
 * Python's printf-style `format % args` (and Jinja2's `format` filter, which is the same): conversions
 * s r a d i u o x X e E f F g G c %, flags `-+ #0`, width, precision and `%(name)s` mapping keys.
 */

const SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])?/g;

export function pyPercentFormat(format: string, args: unknown): string {
  const mapping = isPlainObject(args) ? args : undefined;
  const list = isTuple(args) ? [...args] : [args];
  let next = 0;
  const take = (): unknown => {
    if (next >= list.length) throw new TypeError('not enough arguments for format string');
    return list[next++];
  };
  let usedMapping = false;
  const text = format.replace(
    SPEC,
    (whole, key: string | undefined, flags: string, width, precision, type) => {
      if (type === undefined) throw new Error(`ValueError: incomplete format`);
      if (type === '%' && whole === '%%') return '%';
      let value: unknown;
      if (key !== undefined) {
        if (!mapping) throw new TypeError('format requires a mapping');
        if (!Object.hasOwn(mapping, key)) throw new Error(`KeyError: '${key}'`);
        usedMapping = true;
        value = mapping[key];
      }
      const w = width === '*' ? Number(take()) : width === undefined ? 0 : Number(width);
      const p = precision === '*' ? Number(take()) : precision === undefined ? undefined : Number(precision);
      if (key === undefined) value = take();
      return pad(convert(type, value, flags, p), w, flags, type);
    },
  );
  if (!usedMapping && !mapping && next < list.length) {
    throw new TypeError('not all arguments converted during string formatting');
  }
  return text;
}

function pad(text: string, width: number, flags: string, type: string): string {
  if (text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (flags.includes('0') && !'srac'.includes(type)) {
    const sign = /^[-+ ]/.test(text) ? (text[0] as string) : '';
    const prefix =
      /^[-+ ]?0[xXo]/.test(text) && flags.includes('#') ? text.slice(sign.length, sign.length + 2) : '';
    const digits = text.slice(sign.length + prefix.length);
    return sign + prefix + digits.padStart(width - sign.length - prefix.length, '0');
  }
  return text.padStart(width);
}

function signed(text: string, negative: boolean, flags: string): string {
  if (negative) return `-${text}`;
  if (flags.includes('+')) return `+${text}`;
  if (flags.includes(' ')) return ` ${text}`;
  return text;
}

function realNumber(type: string, value: unknown): number | bigint {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (isPyInt(value)) return BigInt(value);
  if (isPyFloat(value)) return Number(value);
  throw new TypeError(`%${type} format: a real number is required, not ${pythonTypeName(value)}`);
}

function convert(type: string, value: unknown, flags: string, precision: number | undefined): string {
  switch (type) {
    case 's':
    case 'r':
    case 'a': {
      const text = type === 's' ? pythonStr(value) : pythonRepr(value);
      return precision === undefined ? text : [...text].slice(0, precision).join('');
    }
    case 'c': {
      if (typeof value === 'string' && [...value].length === 1) return value;
      if (isPyInt(value)) return String.fromCodePoint(Number(value));
      throw new TypeError('%c requires int or char');
    }
    case 'd':
    case 'i':
    case 'u': {
      const n = realNumber(type, value);
      const int = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
      return signed((int < 0n ? -int : int).toString(), int < 0n, flags);
    }
    case 'o':
    case 'x':
    case 'X': {
      if (!isPyInt(value) && typeof value !== 'boolean') {
        throw new TypeError(`%${type} format: an integer is required, not ${pythonTypeName(value)}`);
      }
      const int = BigInt(value);
      const digits = (int < 0n ? -int : int).toString(type === 'o' ? 8 : 16);
      const alt = flags.includes('#') ? (type === 'o' ? '0o' : type === 'x' ? '0x' : '0X') : '';
      const text = alt + (type === 'X' ? digits.toUpperCase() : digits);
      return signed(text, int < 0n, flags);
    }
    default: {
      const n = realNumber(type, value);
      const x = Number(n);
      if (!Number.isFinite(x)) {
        const word = Number.isNaN(x) ? 'nan' : 'inf';
        return signed(type === type.toUpperCase() ? word.toUpperCase() : word, x < 0, flags);
      }
      return signed(
        formatFloat(type, Math.abs(x), precision ?? 6, flags.includes('#')),
        x < 0 || Object.is(x, -0),
        flags,
      );
    }
  }
}

/** `%f`, `%e` and `%g` of a non-negative finite number, rounded half-even on its exact value as Python does. */
export function formatFloat(type: string, x: number, precision: number, alternate: boolean): string {
  const lower = type.toLowerCase();
  if (lower === 'f') return fixed(x, precision);
  if (lower === 'e') return exponential(x, precision, type === 'E');
  const p = precision === 0 ? 1 : precision;
  const exponent = x === 0 ? 0 : Number(exponential(x, p - 1, false).split('e')[1]);
  let text =
    exponent >= -4 && exponent < p ? fixed(x, p - 1 - exponent) : exponential(x, p - 1, type === 'G');
  if (!alternate) {
    text = text.replace(/(\.\d*?)0+(?=$|[eE])/, '$1').replace(/\.(?=$|[eE])/, '');
  }
  return text;
}

/**
 * The exact value of a finite non-negative double as int / 10**scale: a double is m * 2**k, and
 * m * 2**k = m * 5**-k / 10**-k when k < 0. Python rounds %-formatting and round() half-even on this exact
 * value; JavaScript's toFixed and toExponential round exact ties up.
 */
function exactDecimal(x: number): { int: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let k = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    k = biased - 1075;
  }
  return k >= 0 ? { int: mantissa << BigInt(k), scale: 0 } : { int: mantissa * 5n ** BigInt(-k), scale: -k };
}

function divideHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return r * 2n > d || (r * 2n === d && q % 2n === 1n) ? q + 1n : q;
}

function fixed(x: number, digits: number): string {
  const { int, scale } = exactDecimal(x);
  const scaled =
    digits >= scale
      ? int * 10n ** BigInt(digits - scale)
      : divideHalfEven(int, 10n ** BigInt(scale - digits));
  const text = scaled.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function exponential(x: number, digits: number, upper: boolean): string {
  let mantissa: string;
  let e = 0;
  if (x === 0) {
    mantissa = digits > 0 ? `0.${'0'.repeat(digits)}` : '0';
  } else {
    const { int, scale } = exactDecimal(x);
    const all = int.toString();
    e = all.length - 1 - scale;
    const keep = digits + 1;
    let q =
      all.length > keep
        ? divideHalfEven(int, 10n ** BigInt(all.length - keep))
        : int * 10n ** BigInt(keep - all.length);
    if (q.toString().length > keep) {
      q /= 10n;
      e += 1;
    }
    const text = q.toString();
    mantissa = digits > 0 ? `${text[0]}.${text.slice(1)}` : text;
  }
  const result = `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return upper ? result.toUpperCase() : result;
}

/** Python's round(n, ndigits) for an int: unchanged for ndigits >= 0, else half-even to a multiple of 10**-ndigits. */
export function pyRoundInt(n: bigint, digits: number): bigint {
  if (digits >= 0) return n;
  const unit = 10n ** BigInt(-digits);
  const magnitude = n < 0n ? -n : n;
  let q = magnitude / unit;
  const r = magnitude % unit;
  if (r * 2n > unit || (r * 2n === unit && q % 2n === 1n)) q += 1n;
  return (n < 0n ? -q : q) * unit;
}

/** Python's round(x, ndigits) for a float: half-even on the exact value. */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (digits >= 0) return Number(sign + fixed(Math.abs(x), digits));
  const factor = 10 ** -digits;
  return Number(fixed(Math.abs(x) / factor, 0)) * factor * Math.sign(x);
}
