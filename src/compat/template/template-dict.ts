import { isPlainObject, keptInInsertionOrder } from '../../core/document';
import { propertyKey } from './template-sandbox-keys';
import { pyTuple } from '../python/python-tuple';

/** Python's dict in templates: what counts as one, its methods, and the `dict()` global. */

export function isDict(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The dict methods templates call; `items()` gives tuples, as Python's does. */
export function dictMethod(
  dict: Record<string, unknown>,
  name: string,
): ((...args: unknown[]) => unknown) | undefined {
  switch (name) {
    case 'items':
    case 'iteritems':
      return () => Object.entries(dict).map(([k, v]) => pyTuple([k, v]));
    case 'keys':
    case 'iterkeys':
      return () => Object.keys(dict);
    case 'values':
    case 'itervalues':
      return () => Object.values(dict);
    case 'get':
      return (key, fallback = null) =>
        typeof key === 'string' && Object.hasOwn(dict, key) ? dict[key] : fallback;
    case 'copy':
      return () => keptInInsertionOrder({ ...dict }, Object.keys(dict));
    case 'update':
      return (...others) => {
        for (const other of others) {
          if (!isPlainObject(other)) throw new TypeError('update() takes a mapping');
          for (const [key, value] of Object.entries(other)) {
            if (key !== '__keywords') dict[String(propertyKey(key))] = value;
          }
        }
        return null;
      };
    case 'pop':
      return (...args) => {
        const key = String(propertyKey(args[0]));
        if (Object.hasOwn(dict, key)) {
          const value = dict[key];
          delete dict[key];
          return value;
        }
        if (args.length > 1) return args[1];
        throw new Error(`KeyError: '${key}'`);
      };
    case 'setdefault':
      return (key, fallback = null) => {
        const name = String(propertyKey(key));
        if (!Object.hasOwn(dict, name)) dict[name] = fallback;
        return dict[name];
      };
    default:
      return undefined;
  }
}

/** Jinja2's `dict()` global: Python's dict() of a mapping, a list of pairs and keyword arguments. */
export function pyDict(...args: unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  // The keys in the order given, as Python's dict keeps them (a plain object puts integer-like ones first).
  const order: string[] = [];
  const set = (key: string, value: unknown) => {
    if (!Object.hasOwn(result, key)) order.push(key);
    result[key] = value;
  };
  for (const arg of args) {
    if (Array.isArray(arg)) {
      for (const pair of arg) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('dict() needs pairs');
        set(String(propertyKey(pair[0])), pair[1]);
      }
    } else if (isPlainObject(arg)) {
      for (const [key, value] of Object.entries(arg))
        if (key !== '__keywords') set(String(propertyKey(key)), value);
    } else {
      throw new TypeError(`'${typeof arg}' object is not iterable`);
    }
  }
  return keptInInsertionOrder(result, order);
}
