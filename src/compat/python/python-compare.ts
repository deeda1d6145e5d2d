import { isPlainObject } from '../../core/document';
import { isPyFloat, isPyInt } from './python-number';
import { pythonTypeName } from './python-type-name';

/**
 * Python's `==` and ordering for template values: `==` is deep on lists and mappings and never converts
 * between text and numbers (`1 == '1'` is False, `1 == 1.0 == True` is True); `<` between types that Python
 * cannot order is a TypeError.
 */

function numeric(value: unknown): number | bigint | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isPyInt(value)) return value;
  if (isPyFloat(value)) return Number(value);
  return undefined;
}

export function pyEquals(left: unknown, right: unknown): boolean {
  const a = numeric(left);
  const b = numeric(right);
  if (a !== undefined || b !== undefined) {
    if (a === undefined || b === undefined) return false;
    // number == bigint compares the values exactly.
    return a == b;
  }
  if (left === undefined || right === undefined) return left === right;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, i) => pyEquals(item, right[i]));
  }
  if (isPlainObject(left) || isPlainObject(right)) {
    if (!isPlainObject(left) || !isPlainObject(right)) return false;
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    return keys.every((key) => Object.hasOwn(right, key) && pyEquals(left[key], right[key]));
  }
  return left === right;
}

/** -1, 0 or 1 as Python orders the two, or a TypeError as Python raises one. */
export function pyCompare(left: unknown, right: unknown, operator = '<'): number {
  const a = numeric(left);
  const b = numeric(right);
  if (a !== undefined && b !== undefined) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof left === 'string' && typeof right === 'string') return compareCodePoints(left, right);
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      if (!pyEquals(left[i], right[i])) return pyCompare(left[i], right[i], operator);
    }
    return Math.sign(left.length - right.length);
  }
  throw new TypeError(
    `'${operator}' not supported between instances of '${pythonTypeName(left)}' and '${pythonTypeName(right)}'`,
  );
}

/** Python orders text by code point; JavaScript's `<` compares UTF-16 units, which differs past U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const cx = (x[i] as string).codePointAt(0) as number;
    const cy = (y[i] as string).codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return Math.sign(x.length - y.length);
}
