import { isPlainObject } from '../../core/document';
import { pyCompare, pyEquals } from '../python/python-compare';
import { isPyFloat, isPyInt } from '../python/python-number';
import { pyMod } from '../python/python-ops';

/**
 * Jinja2's built-in tests (`x is defined`, `x is divisibleby 3`, `select('gt', 1)`), with Python's types:
 * nunjucks' own are missing several and test JavaScript types.
 */

export type TemplateTest = (value: unknown, ...args: unknown[]) => boolean;

function isCased(s: string, lower: boolean): boolean {
  const cased = [...s].filter((ch) => ch.toLowerCase() !== ch.toUpperCase());
  return cased.length > 0 && cased.every((ch) => (lower ? ch === ch.toLowerCase() : ch === ch.toUpperCase()));
}

function isNumber(value: unknown): boolean {
  return typeof value === 'boolean' || isPyInt(value) || isPyFloat(value);
}

const eq: TemplateTest = (a, b) => pyEquals(a, b);
const ne: TemplateTest = (a, b) => !pyEquals(a, b);
const lt: TemplateTest = (a, b) => pyCompare(a, b, '<') < 0;
const le: TemplateTest = (a, b) => pyCompare(a, b, '<=') <= 0;
const gt: TemplateTest = (a, b) => pyCompare(a, b, '>') > 0;
const ge: TemplateTest = (a, b) => pyCompare(a, b, '>=') >= 0;

export const JINJA_TESTS: Record<string, TemplateTest> = {
  defined: (value) => value !== undefined,
  undefined: (value) => value === undefined,
  none: (value) => value === null,
  boolean: (value) => typeof value === 'boolean',
  true: (value) => value === true,
  false: (value) => value === false,
  integer: (value) => isPyInt(value),
  float: (value) => isPyFloat(value),
  number: isNumber,
  string: (value) => typeof value === 'string',
  mapping: (value) => isPlainObject(value),
  iterable: (value) => typeof value === 'string' || Array.isArray(value) || isPlainObject(value),
  sequence: (value) => typeof value === 'string' || Array.isArray(value) || isPlainObject(value),
  callable: (value) => typeof value === 'function',
  sameas: (value, other) => value === other,
  escaped: () => false,
  in: (value, container) => {
    if (typeof container === 'string') return typeof value === 'string' && container.includes(value);
    if (Array.isArray(container)) return container.some((item) => pyEquals(item, value));
    if (isPlainObject(container)) return typeof value === 'string' && Object.hasOwn(container, value);
    throw new TypeError(`argument of type '${typeof container}' is not iterable`);
  },
  lower: (value) => typeof value === 'string' && isCased(value, true),
  upper: (value) => typeof value === 'string' && isCased(value, false),
  odd: (value) => pyEquals(pyMod(value, 2), 1),
  even: (value) => pyEquals(pyMod(value, 2), 0),
  divisibleby: (value, divisor) => pyEquals(pyMod(value, divisor), 0),
  eq,
  equalto: eq,
  '==': eq,
  ne,
  '!=': ne,
  lt,
  lessthan: lt,
  '<': lt,
  le,
  '<=': le,
  gt,
  greaterthan: gt,
  '>': gt,
  ge,
  '>=': ge,
};
