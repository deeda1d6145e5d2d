/**
 * Python's two number types on JavaScript's one. An int is a JavaScript integer (or a bigint past 2**53, only
 * inside template arithmetic); a float is a JavaScript number with a fraction, or, when it is whole (`2.0`), a
 * boxed Number. The box keeps the `.0` that PyYAML, json.dumps and str() print and that tells PyYAML to read
 * the value back as a float, while arithmetic, comparisons, JSON.stringify and structuredClone still see the
 * number it holds.
 */

/** A whole Python float (`2.0`, `1e3`, `-0.0`): a boxed Number. */
// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
export type WholeFloat = Number;

/** The float `n` as the document model holds it: boxed when whole, so it stays a float. */
export function pyFloat(n: number): number | WholeFloat {
  return Number.isInteger(n) ? new Number(n) : n;
}

export function isWholeFloat(value: unknown): value is WholeFloat {
  return value instanceof Number;
}

export function isPyFloat(value: unknown): boolean {
  return value instanceof Number || (typeof value === 'number' && !Number.isInteger(value));
}

export function isPyInt(value: unknown): value is number | bigint {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
}

/** An int result: a plain number while exact, a bigint beyond. */
export function pyInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/**
 * Python's `repr(float)`: the shortest digits that read back as the same double (JavaScript's too), but
 * positional only for exponents -4 to 15, exponents with a sign and at least two digits, and `.0` on whole
 * values: `2.0`, `1e-07`, `1e+16`, `0.0001`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** `str()` of a number in the model: `3`, `2.0`, `0.5`, `1e-07`, `18446744073709551616`. */
export function pythonNumberStr(value: number | bigint | WholeFloat): string {
  if (typeof value === 'bigint') return value.toString();
  // Past 1e21 String() switches to an exponent; an int prints every digit.
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  return pythonFloatRepr(Number(value));
}
