import { isFalsy } from '../../core/document';
import type { Lookup } from './jinja-filter-arguments';
import { pyCompare } from '../python/python-compare';
import { pythonStr } from '../python/python-str';

/** The keys the sorting, grouping and summing filters take from items: Jinja2's attribute getters. */

/** Jinja2's make_attrgetter: `a.b` and `0` reach into items; undefined where nothing is there. */
export function attributeGetter(
  lookup: Lookup,
  attribute: unknown,
  lower = false,
): (item: unknown) => unknown {
  const parts = typeof attribute === 'number' ? [attribute] : String(attribute).split('.');
  return (item) => {
    let value = item;
    for (const part of parts) {
      const key = typeof part === 'string' && /^[0-9]+$/.test(part) ? Number(part) : part;
      value = lookup.attribute(value, key as string);
    }
    return lower && typeof value === 'string' ? value.toLowerCase() : value;
  };
}

export function keyFunction(
  lookup: Lookup,
  attribute: unknown,
  caseSensitive: unknown,
): (item: unknown) => unknown {
  const lower = isFalsy(caseSensitive);
  if (attribute === undefined || attribute === null) {
    return (item) => (lower && typeof item === 'string' ? item.toLowerCase() : item);
  }
  // `sort(attribute='team,age')` sorts by several attributes.
  const getters = String(attribute)
    .split(',')
    .map((part) => attributeGetter(lookup, part.trim(), lower));
  return getters.length === 1
    ? (getters[0] as (item: unknown) => unknown)
    : (item) => getters.map((g) => g(item));
}

export function requireDefined(filter: string, value: unknown, item: unknown): unknown {
  if (value === undefined)
    throw new Error(`UndefinedError: ${filter}: ${pythonStr(item)} has no such attribute`);
  return value;
}

export function sorted(items: unknown[], key: (item: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  // Jinja2's Undefined keys (a missing attribute) compare as equal, so the order stays as it was.
  // Python's sort is stable in both directions: equal keys keep their order even with reverse=True.
  const direction = reverse ? -1 : 1;
  keyed.sort((a, b) =>
    a.key === undefined && b.key === undefined ? 0 : direction * pyCompare(a.key, b.key),
  );
  return keyed.map(({ item }) => item);
}
