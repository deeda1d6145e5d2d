/** A cicdContextData document: the JSON-like state of one delivery, as cicdstatemgr stores it. */
export type ContextDocument = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  // A boxed Number is a whole float (python-number.ts), a scalar.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Number);
}

/** Python truthiness, which the reference's merge, set and output rules are written in. */
export function isFalsy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Number) return value.valueOf() === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** The id a document says it belongs to (`state.cicdContextDataId`), if any. */
export function documentId(doc: ContextDocument): string | undefined {
  const state = doc['state'];
  if (!isPlainObject(state)) return undefined;
  const id = state['cicdContextDataId'];
  return typeof id === 'string' ? id : undefined;
}

/**
 * A copy sharing nothing with `value`. Documents are JSON-like (what YAML and JSON parse to), which a plain
 * recursive copy handles five times faster than structuredClone; anything else goes to structuredClone.
 */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // An own `__proto__` key (JSON.parse makes them) must stay a key, not become the copy's prototype.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: deepCopy(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = deepCopy(item);
    }
  }
  return copy as T;
}
