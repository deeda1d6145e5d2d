import { isPyFloat, isPyInt, pyFloat, pyInt } from './python-number';
import { pyPercentFormat } from './python-format';
import { isTuple, pyTuple } from './python-tuple';
import { pythonTypeName } from './python-type-name';
import { spendRenderBudget } from '../template/render-budget';

/**
 * Python's arithmetic operators for template values: ints are exact at any size, `/` always gives a float,
 * `//` and `%` floor, `'ab' * 3` repeats, `'%s' % x` formats, and what Python refuses (`1 / 0`, `'a' + 1`) is
 * an error, which makes the template fail as it fails in Jinja2.
 */

export class ZeroDivisionError extends Error {
  override name = 'ZeroDivisionError';
}

type Operand = { int: bigint } | { float: number };

function operand(value: unknown): Operand | undefined {
  if (typeof value === 'boolean') return { int: value ? 1n : 0n };
  if (isPyInt(value)) return { int: BigInt(value) };
  if (isPyFloat(value)) return { float: Number(value) };
  return undefined;
}

function toFloat(x: Operand): number {
  return 'int' in x ? Number(x.int) : x.float;
}

function unsupported(operator: string, left: unknown, right: unknown): TypeError {
  return new TypeError(
    `unsupported operand type(s) for ${operator}: '${pythonTypeName(left)}' and '${pythonTypeName(right)}'`,
  );
}

function arithmetic(
  operator: string,
  left: unknown,
  right: unknown,
  ints: (a: bigint, b: bigint) => bigint | number,
  floats: (a: number, b: number) => number,
): unknown {
  const a = operand(left);
  const b = operand(right);
  if (!a || !b) throw unsupported(operator, left, right);
  if ('int' in a && 'int' in b) {
    const result = ints(a.int, b.int);
    return typeof result === 'bigint' ? pyInt(result) : pyFloat(result);
  }
  return pyFloat(floats(toFloat(a), toFloat(b)));
}

function concatenable(value: unknown): boolean {
  return typeof value === 'string' || Array.isArray(value);
}

export function pyAdd(left: unknown, right: unknown): unknown {
  if (typeof left === 'string' || typeof right === 'string') {
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    if (typeof left === 'string')
      throw new TypeError(`can only concatenate str (not "${pythonTypeName(right)}") to str`);
    throw unsupported('+', left, right);
  }
  if (Array.isArray(left)) {
    const kind = isTuple(left) ? 'tuple' : 'list';
    if (!Array.isArray(right) || isTuple(right) !== isTuple(left)) {
      throw new TypeError(`can only concatenate ${kind} (not "${pythonTypeName(right)}") to ${kind}`);
    }
    const joined = [...left, ...right];
    return isTuple(left) ? pyTuple(joined) : joined;
  }
  return arithmetic(
    '+',
    left,
    right,
    (a, b) => a + b,
    (a, b) => a + b,
  );
}

export function pySub(left: unknown, right: unknown): unknown {
  return arithmetic(
    '-',
    left,
    right,
    (a, b) => a - b,
    (a, b) => a - b,
  );
}

export function pyMul(left: unknown, right: unknown): unknown {
  if (concatenable(left) || concatenable(right)) {
    const [sequence, count] = concatenable(left) ? [left, right] : [right, left];
    const n = operand(count);
    if (!n || !('int' in n)) {
      throw new TypeError(`can't multiply sequence by non-int of type '${pythonTypeName(count)}'`);
    }
    const times = n.int > 0n ? Number(n.int) : 0;
    spendRenderBudget(
      times * (typeof sequence === 'string' ? sequence.length : (sequence as unknown[]).length),
    );
    if (typeof sequence === 'string') return sequence.repeat(times);
    const items = sequence as unknown[];
    const repeated = Array.from({ length: times }, () => items).flat();
    return isTuple(items) ? pyTuple(repeated) : repeated;
  }
  return arithmetic(
    '*',
    left,
    right,
    (a, b) => a * b,
    (a, b) => a * b,
  );
}

export function pyTrueDiv(left: unknown, right: unknown): unknown {
  const a = operand(left);
  const b = operand(right);
  if (!a || !b) throw unsupported('/', left, right);
  if (toFloat(b) === 0) {
    throw new ZeroDivisionError('int' in a && 'int' in b ? 'division by zero' : 'float division by zero');
  }
  return pyFloat(toFloat(a) / toFloat(b));
}

export function pyFloorDiv(left: unknown, right: unknown): unknown {
  return arithmetic(
    '//',
    left,
    right,
    (a, b) => {
      if (b === 0n) throw new ZeroDivisionError('integer division or modulo by zero');
      const q = a / b;
      return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
    },
    (a, b) => {
      if (b === 0) throw new ZeroDivisionError('float floor division by zero');
      return Math.floor(a / b);
    },
  );
}

export function pyMod(left: unknown, right: unknown): unknown {
  if (typeof left === 'string') return pyPercentFormat(left, right);
  return arithmetic(
    '%',
    left,
    right,
    (a, b) => {
      if (b === 0n) throw new ZeroDivisionError('integer modulo by zero');
      const r = a % b;
      return r !== 0n && r < 0n !== b < 0n ? r + b : r;
    },
    (a, b) => {
      if (b === 0) throw new ZeroDivisionError('float modulo');
      const r = a % b;
      return r !== 0 && r < 0 !== b < 0 ? r + b : r;
    },
  );
}

/** Past this many bits an int power is refused: Python would compute it, then fail to print it. */
const MAX_POWER_BITS = 1_000_000;

export function pyPow(left: unknown, right: unknown): unknown {
  const a = operand(left);
  const b = operand(right);
  if (!a || !b) throw unsupported('** or pow()', left, right);
  if ('int' in a && 'int' in b && b.int >= 0n) {
    const magnitude = a.int < 0n ? -a.int : a.int;
    const bits = magnitude > 1n ? Number(b.int) * magnitude.toString(2).length : 0;
    if (bits > MAX_POWER_BITS) throw new OverflowError(`${a.int} ** ${b.int} is too large to compute here`);
    return pyInt(a.int ** b.int);
  }
  const x = toFloat(a);
  const y = toFloat(b);
  if (x === 0 && y < 0) throw new ZeroDivisionError('0.0 cannot be raised to a negative power');
  if (x < 0 && !Number.isInteger(y))
    throw new TypeError('a negative number to a fractional power is complex');
  const result = Math.pow(x, y);
  if (!Number.isFinite(result)) throw new OverflowError('Numerical result out of range');
  return pyFloat(result);
}

export class OverflowError extends Error {
  override name = 'OverflowError';
}

export function pyNeg(value: unknown): unknown {
  const x = operand(value);
  if (!x) throw new TypeError(`bad operand type for unary -: '${pythonTypeName(value)}'`);
  return 'int' in x ? pyInt(-x.int) : pyFloat(-x.float);
}

export function pyPos(value: unknown): unknown {
  const x = operand(value);
  if (!x) throw new TypeError(`bad operand type for unary +: '${pythonTypeName(value)}'`);
  return 'int' in x ? pyInt(x.int) : pyFloat(x.float);
}
