import { isPlainObject } from '../../core/document';

/**
 * What every Jinja2 filter here is handed: the environment's filters, tests and attribute lookup, and its
 * arguments bound to Python parameter names.
 */

export interface Lookup {
  filter(name: string): (value: unknown, ...args: unknown[]) => unknown;
  test(name: string): (value: unknown, ...args: unknown[]) => boolean;
  /** Jinja2's environment.getattr/getitem on a template value. */
  attribute(value: unknown, name: string): unknown;
}

export type JinjaFilter = (lookup: Lookup, value: unknown, ...args: unknown[]) => unknown;

interface Bound {
  named: Record<string, unknown>;
  rest: unknown[];
}

/** Binds positional and keyword arguments to Python parameter names; leftovers stay in `rest` (for *args). */
export function bind(
  filter: string,
  args: unknown[],
  names: string[],
  defaults: Record<string, unknown> = {},
): Bound {
  const last = args[args.length - 1];
  const keywords = isPlainObject(last) && last['__keywords'] === true ? last : undefined;
  const positional = keywords ? args.slice(0, -1) : args;
  const named: Record<string, unknown> = { ...defaults };
  names.forEach((name, i) => {
    if (i < positional.length) named[name] = positional[i];
  });
  for (const [name, value] of Object.entries(keywords ?? {})) {
    if (name === '__keywords') continue;
    if (!names.includes(name))
      throw new TypeError(`${filter}() got an unexpected keyword argument '${name}'`);
    named[name] = value;
  }
  return { named, rest: positional.slice(names.length) };
}

export function iterate(value: unknown, filter: string): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isPlainObject(value)) return Object.keys(value);
  throw new TypeError(`${filter}: '${typeof value}' object is not iterable`);
}
