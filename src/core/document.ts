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
 * A mapping kept in insertion order (inInsertionOrder) is copied in that order.
 */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => deepCopy(item)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  // Object.keys, not entries: the copy of a document is made on every change, and entries makes an array a key.
  for (const key of Object.keys(source)) {
    const item = source[key];
    // An own `__proto__` key (JSON.parse makes them) must stay a key, not become the copy's prototype.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: deepCopy(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = typeof item === 'object' && item !== null ? deepCopy(item) : item;
    }
  }
  return (ordered.has(value) ? inInsertionOrder(copy, Object.keys(value)) : copy) as T;
}

/*
 * Python's dicts keep insertion order for every key; JavaScript objects put integer-like keys ("0", "11318",
 * not "01" or "-1") first, ascending. A mapping whose insertion order differs from that is held as a Proxy
 * whose own keys come in insertion order, so every Object.keys, for…in, JSON.stringify and js-yaml dump sees
 * Python's order without knowing about it; a key defined later is appended, a deleted one removed, as in a
 * dict. Mappings without such keys stay plain objects and cost nothing, except those kept in insertion order
 * from the start (keptInInsertionOrder: a document's top level as the CLI changes it, a template's dicts).
 */

/** The target of each ordered mapping → its own string keys, in insertion order. */
const orders = new WeakMap<object, string[]>();
/** The ordered mappings (the proxies) → their targets. */
const ordered = new WeakMap<object, Record<string, unknown>>();

const keepInsertionOrder: ProxyHandler<Record<string, unknown>> = {
  ownKeys(target) {
    const order = orders.get(target) as string[];
    const symbols = Object.getOwnPropertySymbols(target);
    return symbols.length === 0 ? order : [...order, ...symbols];
  },
  defineProperty(target, key, descriptor) {
    const added = typeof key === 'string' && !Object.hasOwn(target, key);
    const done = Reflect.defineProperty(target, key, descriptor);
    if (done && added) (orders.get(target) as string[]).push(key);
    return done;
  },
  deleteProperty(target, key) {
    const present = typeof key === 'string' && Object.hasOwn(target, key);
    const done = Reflect.deleteProperty(target, key);
    if (done && present) {
      const order = orders.get(target) as string[];
      order.splice(order.indexOf(key), 1);
    }
    return done;
  },
};

/** A key JavaScript enumerates before the others, in numeric order: an array index (0 … 2**32 - 2). */
export function isIntegerKey(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39) || key.length > 10) return false;
  if (first === 0x30) return key.length === 1;
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return key.length < 10 || Number(key) < 4294967295;
}

/** Whether a plain object given `keys` in this order would enumerate them in another order. */
export function reordersKeys(keys: readonly string[]): boolean {
  let seenOther = false;
  let lastInteger = -1;
  for (const key of keys) {
    if (!isIntegerKey(key)) {
      seenOther = true;
      continue;
    }
    const n = Number(key);
    if (seenOther || n < lastInteger) return true;
    lastInteger = n;
  }
  return false;
}

/**
 * `mapping` with its keys enumerated in the order `keys` gives (all its own keys, each once): the mapping
 * itself when that is already JavaScript's order, else an ordered view of it, which is what to store in its
 * place. Given an ordered mapping, sets its order.
 */
export function inInsertionOrder<T extends Record<string, unknown>>(mapping: T, keys: readonly string[]): T {
  const target = ordered.get(mapping);
  if (target) {
    (orders.get(target) as string[]).splice(0, Infinity, ...keys);
    return mapping;
  }
  return reordersKeys(keys) ? orderedView(mapping, keys) : mapping;
}

/**
 * `mapping` as an ordered view whatever its keys are now (`keys`: all of them, in insertion order), so that a
 * key added later goes last: for a mapping nothing can swap for its ordered view when that key comes, as a
 * document's top level or a template's dict, which its variable holds.
 */
export function keptInInsertionOrder<T extends Record<string, unknown>>(
  mapping: T,
  keys: readonly string[] = Object.keys(mapping),
): T {
  return ordered.has(mapping) ? inInsertionOrder(mapping, keys) : orderedView(mapping, keys);
}

function orderedView<T extends Record<string, unknown>>(mapping: T, keys: readonly string[]): T {
  orders.set(mapping, [...keys]);
  const view = new Proxy(mapping, keepInsertionOrder);
  ordered.set(view, mapping);
  return view as T;
}

/** Whether `value` is a mapping inInsertionOrder made. */
export function isInsertionOrdered(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ordered.has(value);
}

/**
 * Sets `mapping[key]` as a Python dict would (a new key goes last, an existing one keeps its place) and
 * returns the mapping to keep in its place: itself, or an ordered view when a new integer-like key would
 * otherwise jump ahead of the keys before it.
 */
export function setKeyInOrder(
  mapping: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const added = !Object.hasOwn(mapping, key);
  const keys =
    added && isIntegerKey(key) && !ordered.has(mapping) ? [...Object.keys(mapping), key] : undefined;
  Object.defineProperty(mapping, key, { value, writable: true, enumerable: true, configurable: true });
  return keys ? inInsertionOrder(mapping, keys) : mapping;
}
