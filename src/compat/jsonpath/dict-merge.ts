import { inInsertionOrder, isFalsy, isPlainObject } from '../../core/document';
import { MergeTypeError } from '../../core/errors';

/**
 * cicdstatemgr's `utils.dict_merge(a, b)` (bases, then the app config; config then secrets datasources):
 * a falsy value in `a` is simply replaced, mappings merge recursively, anything else (lists included) is
 * replaced by `b`'s value, and the same key holding different types is an error. Existing keys keep their
 * position and new keys are appended. Neither input is modified.
 */
export function dictMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  return mergeAt(a, b, []);
}

function mergeAt(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  keyPath: string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  // Python's order: a's keys, then b's new ones (integer-like keys included, which a plain object would not keep).
  const order = Object.keys(a);
  for (const key of order) setOwn(result, key, a[key]);
  for (const [key, value] of Object.entries(b)) {
    if (!Object.hasOwn(result, key)) order.push(key);
    const existing = Object.hasOwn(result, key) ? result[key] : undefined;
    if (isFalsy(existing)) {
      setOwn(result, key, value);
      continue;
    }
    const path = [...keyPath, key];
    const [earlier, later] = [valueKind(existing), valueKind(value)];
    if (earlier !== later) {
      throw new MergeTypeError(
        `cannot merge ${JSON.stringify(path.join('.'))}: the earlier file has ${article(earlier)}, the later one ${article(later)}`,
      );
    }
    const merged = isPlainObject(existing) && isPlainObject(value) ? mergeAt(existing, value, path) : value;
    setOwn(result, key, merged);
  }
  return inInsertionOrder(result, order);
}

export type ValueKind = 'mapping' | 'list' | 'string' | 'number' | 'boolean' | 'null';

/** A document value's Python type in the words of a YAML author (ints and floats are both numbers). */
export function valueKind(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (isPlainObject(value)) return 'mapping';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'number';
}

/** `a list`, `a mapping`, but plain `null`. */
export function article(kind: ValueKind): string {
  return kind === 'null' ? 'null' : `a ${kind}`;
}

/** A plain assignment would change the prototype for a YAML key named `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
