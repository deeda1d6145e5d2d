import { article, setOwn, valueKind } from './dict-merge';
import { isFalsy, isPlainObject, setKeyInOrder } from '../../core/document';
import { SetValueError } from '../../core/errors';
import { pythonStrip } from '../python/python-whitespace';

export interface SetValueOptions {
  /** resolves a file:// path; returns undefined when the file does not exist (then the literal is kept) */
  loadFile?: (path: string) => unknown;
}

/**
 * cicdstatemgr's `set_value_in_dict_via_prop_path` + `recursive_set`, quirks included: the path is a plain
 * `.`-split (no JSONPath), a `[]` or `{}` suffix appends comma-separated items to a list or an ordered set,
 * and a segment without a hint that already exists is overwritten even when more segments follow.
 */
export function setValue(
  doc: Record<string, unknown>,
  path: string,
  value: unknown,
  options: SetValueOptions = {},
): void {
  const propPath = pythonStrip(path);
  const resolved = resolveValue(value, options);
  assertNoNul(propPath, propPath);
  assertNoNul(resolved, propPath);
  // A new integer-like key at the top goes last only if the caller keeps the document in insertion order
  // (keptInInsertionOrder): nothing here can swap the document for its ordered view.
  recursiveSet(doc, propPath, resolved, propPath);
}

/**
 * A NUL cannot be held by a shell variable: cicdstatemgr wrote it raw into the shellfile, where `source` drops
 * it (or the text after it), so a step read another value than the one stored. Refused at the only door
 * values come in by.
 */
function assertNoNul(value: unknown, fullPath: string): void {
  const holdsNul = (v: unknown): boolean => {
    if (typeof v === 'string') return v.includes('\u0000');
    if (Array.isArray(v)) return v.some(holdsNul);
    if (isPlainObject(v))
      return Object.entries(v).some(([key, item]) => key.includes('\u0000') || holdsNul(item));
    return false;
  };
  if (holdsNul(value)) {
    throw new SetValueError(
      `cannot set ${JSON.stringify(fullPath)}: the value holds a NUL character, which no shell variable can hold`,
    );
  }
}

function resolveValue(value: unknown, { loadFile }: SetValueOptions): unknown {
  if (typeof value !== 'string') return value;
  const stripped = pythonStrip(value);
  if (!stripped.startsWith('file://') || !loadFile) return stripped;
  // The reference removes every `file://`, not only the prefix.
  const filePath = stripped.replaceAll('file://', '');
  if (filePath === '') return stripped;
  const loaded = loadFile(filePath);
  return loaded === undefined ? stripped : loaded;
}

/** Returns the mapping to keep in `mapp`'s place: an ordered view of it when a new key must go last. */
function recursiveSet(
  mapp: Record<string, unknown>,
  propPath: string,
  value: unknown,
  fullPath: string,
): Record<string, unknown> {
  const [first = '', ...remaining] = propPath.split('.');
  let key = first;
  const intentIsList = key.includes('[]');
  key = key.replaceAll('[]', '');
  const intentIsSet = key.includes('{}');
  key = key.replaceAll('{}', '');
  const hinted = intentIsList || intentIsSet;

  if (Object.hasOwn(mapp, key)) {
    let existing = mapp[key];
    if (hinted && isFalsy(existing)) {
      existing = [];
      setOwn(mapp, key, existing);
    }
    if (isPlainObject(existing) && !hinted && remaining.length > 0) {
      const kept = recursiveSet(existing, remaining.join('.'), value, fullPath);
      if (kept !== existing) setOwn(mapp, key, kept);
    } else if (Array.isArray(existing) && hinted) {
      if (value === '[]') {
        setOwn(mapp, key, []);
      } else {
        // In place, as the reference extends the list it found (a YAML alias of it sees the new items too).
        existing.push(...splitItems(value, fullPath));
        // A list hint wins over a set hint on the same segment.
        if (!intentIsList) setOwn(mapp, key, dedupe(existing, fullPath));
      }
    } else if (!hinted) {
      setOwn(mapp, key, value);
    } else {
      throw new SetValueError(
        `cannot set ${JSON.stringify(fullPath)}: "${key}" is marked as a list[] or set{}, but it holds ${article(valueKind(existing))}`,
      );
    }
    return mapp;
  }
  if (remaining.length > 0) {
    const child: Record<string, unknown> = {};
    const kept = setKeyInOrder(mapp, key, child);
    const keptChild = recursiveSet(child, remaining.join('.'), value, fullPath);
    if (keptChild !== child) setOwn(kept, key, keptChild);
    return kept;
  }
  if (hinted) {
    const items = value === '[]' ? [] : splitItems(value, fullPath);
    return setKeyInOrder(mapp, key, intentIsSet ? dedupe(items, fullPath) : items);
  }
  return setKeyInOrder(mapp, key, value);
}

/** Items are not trimmed: `a, b` adds `" b"`. */
function splitItems(value: unknown, fullPath: string): string[] {
  if (typeof value !== 'string') {
    throw new SetValueError(
      `cannot set ${JSON.stringify(fullPath)}: a list[] or set{} takes comma-separated text, not ${article(valueKind(value))}`,
    );
  }
  return value.split(',');
}

/** First occurrence wins, with Python's equality (`1`, `1.0` and `true` are the same set member). */
function dedupe(items: unknown[], fullPath: string): unknown[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const identity = hashKey(item, fullPath);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

function hashKey(item: unknown, fullPath: string): string {
  if (typeof item === 'string') return `s:${item}`;
  if (typeof item === 'number' || typeof item === 'boolean') return `n:${Number(item)}`;
  if (item === null || item === undefined) return 'null';
  throw new SetValueError(
    `cannot set ${JSON.stringify(fullPath)}: the existing list holds ${article(valueKind(item))}, which a set{} cannot de-duplicate`,
  );
}
