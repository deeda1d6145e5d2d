import type { Frame, RenderContext, Runtime } from './nunjucks-internals';
import { pySlice } from '../python/python-slice';
import { isTuple, pyTuple } from '../python/python-tuple';
import { dictMethod, isDict } from './template-dict';
import { PYTHON_STRING_METHODS } from './template-filters';
import { assertAllowedName, guarded, propertyKey, refused } from './template-sandbox-keys';

/**
 * nunjucks' lookups (members, names, calls) wrapped so that no template reaches JavaScript globals, with
 * Python's answers where they differ: slices, negative indexes, str and dict methods, True/False/None.
 */

// A name is visible only as an own property of a frame, the context or the globals: the context and globals
// are plain objects, so `context.lookup('constructor')` would otherwise return Object itself.
function isVisibleName(context: RenderContext, frame: Frame | null, name: string): boolean {
  for (let f = frame; f; f = f.parent) if (Object.hasOwn(f.variables, name)) return true;
  return Object.hasOwn(context.ctx, name) || Object.hasOwn(context.env.globals, name);
}

const LIST_MUTATORS: ReadonlySet<string> = new Set(['append', 'insert', 'remove']);

const PYTHON_CONSTANTS = new Map<string, unknown>([
  ['True', true],
  ['False', false],
  ['None', null],
]);

export function sandboxRuntime(runtime: Runtime): void {
  const { SafeString } = runtime;
  const memberLookup = runtime.memberLookup;
  const contextOrFrameLookup = runtime.contextOrFrameLookup;
  const callWrap = runtime.callWrap;

  runtime.memberLookup = (obj, key, ...slice) => {
    // Jinja2: any attribute of Undefined raises; an attribute of None is Undefined.
    if (obj === undefined) throw new Error(`cannot read ${describeKey(key)} of an undefined value`);
    if (obj === null) return undefined;
    const target = obj instanceof SafeString ? obj.val : obj;
    if (slice.length > 0) {
      if (typeof target === 'string') return pySlice([...target], key, slice[0], slice[1]).join('');
      if (Array.isArray(target)) {
        const items = pySlice(target, key, slice[0], slice[1]);
        return isTuple(target) ? pyTuple(items) : items;
      }
      return memberLookup(target, key, ...slice);
    }
    if (typeof target === 'function') throw refused(`an attribute of a function (${describeKey(key)})`);
    // Python's list methods that change the list return None (nunjucks' return the new length or a slice).
    if (Array.isArray(target) && typeof key === 'string' && LIST_MUTATORS.has(key)) {
      const method = memberLookup(target, key) as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        method(...args);
        return null;
      };
    }
    const name = propertyKey(key);
    if (name === undefined) return undefined;
    if (
      typeof target === 'string' &&
      typeof name === 'string' &&
      Object.hasOwn(PYTHON_STRING_METHODS, name)
    ) {
      return (PYTHON_STRING_METHODS[name] as (...args: unknown[]) => unknown).bind(target);
    }
    if (typeof name === 'number' && name < 0 && (typeof target === 'string' || Array.isArray(target))) {
      return memberLookup(target, target.length + name);
    }
    if (isDict(target)) {
      // `d['items']` is the data; only a missing key falls back to the dict's methods, as in Jinja2.
      if (Object.hasOwn(target, name)) return guarded(target[name]);
      const method = typeof name === 'string' ? dictMethod(target, name) : undefined;
      if (method) return method;
      if (name in Object.prototype) return undefined;
    }
    guarded((Object(target) as Record<string | number, unknown>)[name]);
    return memberLookup(target, name);
  };

  // `d.items` is the method even when the dict has an `items` key (Jinja2's getattr comes before getitem).
  runtime.attributeLookup = (obj, key) => {
    const target = obj instanceof SafeString ? obj.val : obj;
    if (isDict(target) && typeof key === 'string') {
      const method = dictMethod(target, key);
      if (method) return method;
    }
    return runtime.memberLookup(obj, key);
  };

  runtime.contextOrFrameLookup = (context, frame, name) => {
    assertAllowedName(name);
    if (isVisibleName(context, frame, name)) return guarded(contextOrFrameLookup(context, frame, name));
    if (name in Object.prototype) throw refused(`'${name}'`);
    return PYTHON_CONSTANTS.get(name);
  };

  runtime.callWrap = (fn, name, context, args) => guarded(callWrap(guarded(fn), name, context, args));
}

function describeKey(key: unknown): string {
  return typeof key === 'string' || typeof key === 'number' ? `'${key}'` : `a key of type ${typeof key}`;
}
