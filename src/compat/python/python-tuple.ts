/**
 * Python tuples in templates: `(1, 2)`, `dict.items()`, `dictsort` and `groupby` give them, and Jinja2 prints
 * them as `(1, 2)`. A tuple is an array (everything that iterates, indexes or measures an array works) with a
 * mark that printing and equality look at.
 */

const TUPLE = Symbol('python tuple');

export function pyTuple<T>(items: T[]): T[] {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

export function isTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/**
 * Jinja2's groupby result, `(grouper, list)`: a tuple whose items are also named, so `g.grouper` and
 * `g.list` work as they do on Jinja2's namedtuple.
 */
export function groupTuple(grouper: unknown, list: unknown[]): unknown[] {
  const tuple = pyTuple([grouper, list]);
  for (const [name, value] of [
    ['grouper', grouper],
    ['list', list],
  ] as const) {
    Object.defineProperty(tuple, name, { value, enumerable: false });
  }
  return tuple;
}
