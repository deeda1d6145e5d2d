import { inInsertionOrder, isPlainObject, reordersKeys } from '../../core/document';

/**
 * PyYAML builds dicts, which keep the order keys are written in; js-yaml builds plain objects, which put
 * integer-like keys (`11318: …`, `'7': …`) first. This recovers the written order from js-yaml's node events
 * (its `listener` option) and puts each mapping whose order differs back as an ordered mapping
 * (core/document.ts). Only texts that may have such a key pay for it: mayHaveIntegerKeys is one regular
 * expression over the text.
 */

// A key that starts like a number, as the first thing on a line (after `- ` / `? ` markers, tags and anchors)
// or after `{`/`,` in a flow mapping, followed on its line by `:` and a space, a line end or a flow indicator.
// An explicit key (`? 5`) needs no `:` on its line. It may find more than keys; it must not miss one.
const NUMBER_LIKE_KEY =
  /(?:^|[{,])[ \t]*(?:[-?][ \t]+)*(?:[!&][^ \t\n]*[ \t]+)*['"]?[-+]?\.?[0-9][^\n]*?:(?:[ \t\n,}\]]|$)|^[ \t]*(?:-[ \t]+)*\?[ \t]+(?:[!&][^ \t\n]*[ \t]+)*['"]?[-+]?\.?[0-9]/m;

export function mayHaveIntegerKeys(text: string): boolean {
  return NUMBER_LIKE_KEY.test(text);
}

/** What js-yaml's loader state shows its listener (lib/loader.js). */
interface LoaderState {
  input: string;
  position: number;
  kind: string | null;
  result: unknown;
}

interface Frame {
  results: unknown[];
  ends: number[];
}

/** A listener for yaml.load, and what puts the recorded orders into the value it loaded. */
export function keyOrderRecorder(): {
  listener: (event: 'open' | 'close', state: LoaderState) => void;
  apply: (value: unknown) => unknown;
} {
  const stack: Frame[] = [];
  const orders = new Map<object, string[]>();
  // A mapping closes once per node that ends with it (the document's node wraps the top mapping's).
  const checked = new Set<object>();
  const listener = (event: 'open' | 'close', state: LoaderState): void => {
    if (event === 'open') {
      stack.push({ results: [], ends: [] });
      return;
    }
    const frame = stack.pop() as Frame;
    const result = state.result;
    if (
      state.kind === 'mapping' &&
      isPlainObject(result) &&
      frame.results.length > 0 &&
      !checked.has(result)
    ) {
      checked.add(result);
      const order = writtenOrder(result, frame, state.input, orders);
      if (order && reordersKeys(order)) orders.set(result, order);
    }
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.results.push(result);
      parent.ends.push(state.position);
    }
  };
  return { listener, apply: (value) => (orders.size === 0 ? value : putInOrder(value, orders, new Map())) };
}

/**
 * The keys of a mapping in the order its node's children (keys and values, in the text's order) give them,
 * merged keys (`<<`) first as PyYAML puts them; undefined when that does not account for exactly its keys.
 */
function writtenOrder(
  mapping: Record<string, unknown>,
  frame: Frame,
  input: string,
  orders: Map<object, string[]>,
): string[] | undefined {
  const own: string[] = [];
  const merged: string[] = [];
  let pendingKey: string | undefined;
  frame.results.forEach((result, i) => {
    if (pendingKey === undefined) {
      const key = String(result);
      // A key without `:` after it (`? a`, `{a, b: c}`) has no value node: the next child is a key.
      if (followedByColon(input, frame.ends[i] as number)) pendingKey = key;
      else own.push(key);
      return;
    }
    if (pendingKey === '<<' && !Object.hasOwn(mapping, '<<')) {
      // PyYAML merges a sequence's mappings last first (flatten_mapping), each before the keys written here.
      const sources = Array.isArray(result) ? [...result].reverse() : [result];
      for (const source of sources) if (isPlainObject(source)) merged.push(...keysOf(source, orders));
    } else {
      own.push(pendingKey);
    }
    pendingKey = undefined;
  });
  if (pendingKey !== undefined) own.push(pendingKey);
  const order = [...new Set([...merged, ...own])];
  const keys = Object.keys(mapping);
  return order.length === keys.length && keys.every((key) => order.includes(key)) ? order : undefined;
}

function keysOf(mapping: Record<string, unknown>, orders: Map<object, string[]>): string[] {
  return orders.get(mapping) ?? Object.keys(mapping);
}

/** Whether the next thing after `at`, past spaces, line breaks and comments, is `:`. */
function followedByColon(input: string, at: number): boolean {
  for (let i = at; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x3a) return true;
    if (c === 0x23) {
      const end = input.indexOf('\n', i);
      if (end === -1) return false;
      i = end;
    } else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
      return false;
    }
  }
  return false;
}

/** `value` with each recorded mapping replaced by its ordered view, wherever (an alias: more than once) it is. */
function putInOrder(value: unknown, orders: Map<object, string[]>, done: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (done.has(value)) return done.get(value);
  if (Array.isArray(value)) {
    done.set(value, value);
    value.forEach((item, i) => (value[i] = putInOrder(item, orders, done)));
    return value;
  }
  if (!isPlainObject(value)) return value;
  const order = orders.get(value);
  const view = order ? inInsertionOrder(value, order) : value;
  done.set(value, view);
  for (const key of Object.keys(value)) {
    const item = value[key];
    const replaced = putInOrder(item, orders, done);
    if (replaced !== item) Object.defineProperty(value, key, { value: replaced });
  }
  return view;
}
