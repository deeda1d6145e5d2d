import type { Environment, Extension } from 'nunjucks';
import { isFalsy, isPlainObject } from './document';
import type { Lookup } from './jinja-filter-arguments';
import { JINJA_FILTERS } from './jinja-filters';
import { JINJA_TESTS } from './jinja-tests';
import { pyCompare, pyEquals } from './python-compare';
import { pyFloat } from './python-number';
import { pyAdd, pyFloorDiv, pyMod, pyMul, pyNeg, pyPos, pyPow, pySub, pyTrueDiv } from './python-ops';
import { isNamespace, pyNamespace } from './python-namespace';
import { pythonStr } from './python-str';
import { endRenderBudget, spendRenderBudget, startRenderBudget } from './render-budget';
import { pySlice } from './python-slice';
import { isTuple, pyTuple } from './python-tuple';
import { PYTHON_STRING_METHODS, SAFE_OUTPUT_FILTERS, TEMPLATE_FILTERS } from './template-filters';
import { installPythonSyntax, withStatement } from './template-python-syntax';

/**
 * The one nunjucks Environment, set up so that the Jinja2 templates written for cicdstatemgr render the same
 * text, and sandboxed so that no template reaches JavaScript globals (templates and the data they print come
 * from app repositories, Slack and HTTP responses). The only importer of nunjucks.
 *
 * nunjucks has no sandbox and no hook for Python semantics, so this module patches its runtime and compiler
 * once, when the environment is created. That is acceptable only because nothing else in the process uses
 * nunjucks.
 */

let environment: Environment | undefined;

/** Renders template source (macro prefix and newline handling already applied) against a context. */
export function renderSource(source: string, context: Record<string, unknown>): string {
  environment ??= createEnvironment();
  startRenderBudget();
  let text: string;
  try {
    text = environment.renderString(source, withoutProtoKey(context));
  } catch (error) {
    // nunjucks wraps what a render throws; a budget failure is rethrown as itself.
    throw endRenderBudget() ?? error;
  }
  endRenderBudget();
  return text;
}

// ---- nunjucks internals this module touches (not declared by @types/nunjucks) ----

interface SafeString {
  val: string;
}
interface Frame {
  variables: Record<string, unknown>;
  parent: Frame | null;
  push(): Frame;
  set(name: string, value: unknown): void;
}
interface RenderContext {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}
interface Runtime {
  SafeString: new (value: string) => SafeString;
  markSafe(value: unknown): unknown;
  suppressValue(value: unknown, autoescape: boolean): unknown;
  memberLookup(obj: unknown, key: unknown, ...slice: unknown[]): unknown;
  contextOrFrameLookup(context: RenderContext, frame: Frame, name: string): unknown;
  callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown;
  inOperator(key: unknown, container: unknown): boolean;
  fromIterator(value: unknown): unknown;
  // Ours: called by the code the patched compiler emits.
  pyTruthy(value: unknown): boolean;
  pyOr(left: unknown, right: () => unknown): unknown;
  pyAnd(left: unknown, right: () => unknown): unknown;
  pyConcat(left: unknown, right: unknown): string;
  attributeLookup(obj: unknown, key: unknown): unknown;
  [helper: `py${string}`]: unknown;
}
interface TemplateNode {
  lineno: number;
  colno: number;
  [field: string]: unknown;
}
type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => TemplateNode;
interface CompilerInstance {
  _emit(code: string): void;
  _emitLine(code: string): void;
  compile(node: unknown, frame: unknown): void;
}
type CompileMethod = (this: CompilerInstance, node: TemplateNode, frame: unknown, ...rest: unknown[]) => void;
interface Token {
  value: string;
  lineno: number;
  colno: number;
}
interface TemplateParser {
  nextToken(): Token;
  advanceAfterBlockEnd(name: string): void;
}
interface NunjucksEnvironment extends Environment {
  addTest(name: string, test: (...args: unknown[]) => boolean): void;
  getFilter(name: string): (...args: unknown[]) => unknown;
  getTest(name: string): (...args: unknown[]) => boolean;
}
interface Nunjucks {
  Environment: new (
    loaders: [],
    options: { autoescape: boolean; throwOnUndefined: boolean },
  ) => NunjucksEnvironment;
  installJinjaCompat(): void;
  runtime: Runtime;
  compiler: { Compiler: { prototype: Record<string, CompileMethod> } };
  nodes: { Node: { extend(name: string, props: object): NodeClass }; Not: NodeClass };
}

function createEnvironment(): Environment {
  // Loaded on first render, not at import: requiring nunjucks costs ~20 ms of every CLI start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nunjucks = require('nunjucks') as Nunjucks;
  // Jinja2's True/False/None, `.items()`, `.keys()`, list methods and slices; our wrappers go on top of its.
  nunjucks.installJinjaCompat();
  installPythonSyntax(nunjucks);
  sandboxRuntime(nunjucks.runtime);
  addPythonSemantics(nunjucks);

  // No loaders: like the reference's loader-less Environment, `{% include %}` and `{% import %}` read no files.
  const env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false });
  env.addExtension('loopcontrols', loopControls(nunjucks));
  env.addExtension('with', withStatement(nunjucks));
  env.addGlobal('namespace', pyNamespace);
  env.addGlobal('dict', pyDict);
  // range() builds its whole list at once: its items count against the render budget before they exist.
  const range = (env as unknown as { globals: Record<string, (...args: number[]) => unknown[]> }).globals[
    'range'
  ];
  env.addGlobal('range', (...args: number[]) => {
    const [start, stop, step = 1] = args.length === 1 ? [0, args[0] as number] : args;
    spendRenderBudget(Math.max(0, Math.ceil(((stop as number) - (start as number)) / (step as number))));
    return range?.(...args);
  });
  const { SafeString, markSafe } = nunjucks.runtime;
  const unwrapped = (args: unknown[]) => args.map((arg) => plain(arg, SafeString)) as [unknown, ...unknown[]];
  for (const [name, test] of Object.entries(JINJA_TESTS)) {
    env.addTest(name, (...args: unknown[]) => test(...unwrapped(args)));
  }
  const lookup: Lookup = {
    filter: (name) => {
      assertAllowedName(name);
      return env.getFilter(name);
    },
    test: (name) => {
      if (!Object.hasOwn(JINJA_TESTS, name)) throw new Error(`no test named '${name}'`);
      return env.getTest(name);
    },
    attribute: (value, name) =>
      value === undefined || value === null ? undefined : nunjucks.runtime.memberLookup(value, name),
  };
  for (const [name, filter] of Object.entries(JINJA_FILTERS)) {
    env.addFilter(name, (...args: unknown[]) => filter(lookup, ...unwrapped(args)));
  }
  for (const [name, filter] of Object.entries(TEMPLATE_FILTERS)) {
    env.addFilter(name, (...args: unknown[]) => {
      const output = filter(...unwrapped(args));
      return SAFE_OUTPUT_FILTERS.has(name) ? markSafe(output) : output;
    });
  }
  return env;
}

// ---- sandbox ----

// Calling any of these with a string compiles it as code; a template must never get hold of one.
const CODE_RUNNERS: ReadonlySet<unknown> = new Set([
  Function,
  Object.getPrototypeOf(async function () {}).constructor,
  Object.getPrototypeOf(function* () {}).constructor,
  Object.getPrototypeOf(async function* () {}).constructor,
  eval,
]);

function refused(what: string): Error {
  return new Error(`${what} is not available in templates`);
}

// `constructor` leads from any value to Function; `__proto__`, `prototype` and the other dunders to prototypes.
function assertAllowedName(name: string): void {
  if (name === 'constructor' || name === 'prototype' || name.startsWith('__')) throw refused(`'${name}'`);
}

function guarded<T>(value: T): T {
  if (CODE_RUNNERS.has(value)) throw refused('a function constructor');
  return value;
}

/** What a subscript may be: a string or number, never an object whose toString a template controls. */
function propertyKey(key: unknown): string | number | undefined {
  if (typeof key === 'number') return key;
  if (typeof key === 'boolean') return Number(key); // Python's bool is an int
  if (key === null || key === undefined) return undefined;
  if (typeof key !== 'string') throw new Error(`a key of type ${typeof key} is not supported`);
  assertAllowedName(key);
  return key;
}

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

function sandboxRuntime(runtime: Runtime): void {
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

/** The dict methods templates call; `items()` gives tuples, as Python's does. */
function dictMethod(
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
      return () => ({ ...dict });
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

function describeKey(key: unknown): string {
  return typeof key === 'string' || typeof key === 'number' ? `'${key}'` : `a key of type ${typeof key}`;
}

// ---- Python semantics ----

function isDict(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Values with nunjucks' safe strings (macro output) turned back into strings, for filters and printing. */
function plain(value: unknown, SafeString: Runtime['SafeString']): unknown {
  if (value instanceof SafeString) return value.val;
  // Unchanged values are returned as they are: a tuple (and groupby's named one) keeps what marks it.
  if (Array.isArray(value)) {
    const items = value.map((item) => plain(item, SafeString));
    if (items.every((item, i) => item === value[i])) return value;
    return isTuple(value) ? pyTuple(items) : items;
  }
  if (isDict(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, plain(v, SafeString)] as const);
    if (entries.every(([k, v]) => v === value[k])) return value;
    return Object.fromEntries(entries);
  }
  return value;
}

function addPythonSemantics(nunjucks: Nunjucks): void {
  const { runtime } = nunjucks;
  const { SafeString } = runtime;
  const suppressValue = runtime.suppressValue;
  const inOperator = runtime.inOperator;
  const fromIterator = runtime.fromIterator;

  // `{{ x }}` prints str(x): True, None, ['a'], {'k': 1}. A function has no text a template could rely on.
  const text = (value: unknown): unknown => {
    if (value === undefined || typeof value === 'string' || value instanceof SafeString) return value;
    if (typeof value === 'function') throw new Error('a function cannot be printed');
    return pythonStr(plain(value, SafeString));
  };
  runtime.suppressValue = (value, autoescape) => suppressValue(text(value), autoescape);
  runtime.pyConcat = (left, right) => `${text(left) ?? ''}${text(right) ?? ''}`;

  // Python's operators (template-python-syntax.ts compiles `+`, `%`, `==`, … to these).
  const unwrap = (value: unknown) => plain(value, SafeString);
  const binary = (op: (a: unknown, b: unknown) => unknown) => (a: unknown, b: unknown) =>
    op(unwrap(a), unwrap(b));
  Object.assign(runtime, {
    pyFloat,
    pyTuple,
    pyAdd: binary(pyAdd),
    pySub: binary(pySub),
    pyMul: binary(pyMul),
    pyTrueDiv: binary(pyTrueDiv),
    pyFloorDiv: binary(pyFloorDiv),
    pyMod: binary(pyMod),
    pyPow: binary(pyPow),
    pyNeg: (a: unknown) => pyNeg(unwrap(a)),
    pyPos: (a: unknown) => pyPos(unwrap(a)),
    pySpend: spendRenderBudget,
    pyLoopCycle:
      (index: number) =>
      (...values: unknown[]) => {
        if (values.length === 0) throw new TypeError('no items for cycling given');
        return values[index % values.length];
      },
    // Python's unpacking: `for a, b in [[1, 2], [3]]` fails on [3].
    pyUnpack(item: unknown, names: number) {
      const value = unwrap(item);
      const length = Array.isArray(value)
        ? value.length
        : typeof value === 'string'
          ? [...value].length
          : undefined;
      if (length === undefined) throw new TypeError(`cannot unpack non-iterable ${typeof value} object`);
      if (length < names)
        throw new Error(`ValueError: not enough values to unpack (expected ${names}, got ${length})`);
      if (length > names) throw new Error(`ValueError: too many values to unpack (expected ${names})`);
    },
    pyNamespaceSet(target: unknown, name: string, value: unknown) {
      if (!isNamespace(target)) throw new TypeError('cannot assign attribute on non-namespace object');
      assertAllowedName(name);
      target[name] = value;
    },
    // The items of `{% for names in items if cond %}` for which cond holds, cond seeing each item's names.
    pyLoopFilter(items: unknown, names: string[], frame: Frame, cond: (frame: Frame) => unknown) {
      const list = runtime.fromIterator(items);
      if (!Array.isArray(list)) return list;
      return list.filter((item) => {
        const inner = frame.push();
        if (names.length === 1) inner.set(names[0] as string, item);
        else names.forEach((name, i) => inner.set(name, (item as unknown[])[i]));
        return runtime.pyTruthy(cond(inner));
      });
    },
    pyCompareChain(first: unknown, ...rest: unknown[]) {
      let left = unwrap(first);
      for (let i = 0; i < rest.length; i += 2) {
        const right = unwrap((rest[i + 1] as () => unknown)());
        if (!compareOnce(rest[i] as string, left, right)) return false;
        left = right;
      }
      return true;
    },
  });

  // Python truthiness: empty lists and dicts are false.
  runtime.pyTruthy = (value) => (value instanceof SafeString ? value.val !== '' : !isFalsy(value));
  runtime.pyOr = (left, right) => (runtime.pyTruthy(left) ? left : right());
  runtime.pyAnd = (left, right) => (runtime.pyTruthy(left) ? right() : left);

  // `'k' in dict` looks at keys only; `in` on Undefined is False.
  runtime.inOperator = (key, container) => {
    const k = unwrap(key);
    const c = unwrap(container);
    if (c === undefined) return false;
    if (typeof c === 'string' && typeof k !== 'string') {
      throw new TypeError(`'in <string>' requires string as left operand, not ${typeof k}`);
    }
    if (Array.isArray(c)) return c.some((item) => pyEquals(item, k));
    return isDict(c) ? typeof k === 'string' && Object.hasOwn(c, k) : inOperator(k, c);
  };
  // Iterating a dict yields its keys.
  runtime.fromIterator = (value) =>
    isDict(value) ? Object.keys(value) : fromIterator(value instanceof SafeString ? value.val : value);

  const proto = nunjucks.compiler.Compiler.prototype;
  const { Not } = nunjucks.nodes;
  proto['compileNot'] = function (node, frame) {
    this._emit('!runtime.pyTruthy(');
    this.compile(node['target'], frame);
    this._emit(')');
  };
  const shortCircuit = (helper: string): CompileMethod =>
    function (node, frame) {
      this._emit(`runtime.${helper}(`);
      this.compile(node['left'], frame);
      this._emit(', function () { return ');
      this.compile(node['right'], frame);
      this._emit('; })');
    };
  proto['compileOr'] = shortCircuit('pyOr');
  proto['compileAnd'] = shortCircuit('pyAnd');
  proto['compileConcat'] = function (node, frame) {
    this._emit('runtime.pyConcat(');
    this.compile(node['left'], frame);
    this._emit(', ');
    this.compile(node['right'], frame);
    this._emit(')');
  };
  // `not not cond` gives conditions Python truthiness through compileNot above, as a node type the compiler accepts.
  for (const method of ['compileIf', 'compileInlineIf']) {
    const original = proto[method] as CompileMethod;
    proto[method] = function (node, frame, ...rest) {
      node['cond'] = new Not(node.lineno, node.colno, new Not(node.lineno, node.colno, node['cond']));
      original.call(this, node, frame, ...rest);
    };
  }
}

/** Jinja2's `dict()` global: Python's dict() of a mapping, a list of pairs and keyword arguments. */
function pyDict(...args: unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const arg of args) {
    if (Array.isArray(arg)) {
      for (const pair of arg) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('dict() needs pairs');
        result[String(propertyKey(pair[0]))] = pair[1];
      }
    } else if (isPlainObject(arg)) {
      for (const [key, value] of Object.entries(arg))
        if (key !== '__keywords') result[String(propertyKey(key))] = value;
    } else {
      throw new TypeError(`'${typeof arg}' object is not iterable`);
    }
  }
  return result;
}

function compareOnce(operator: string, left: unknown, right: unknown): boolean {
  switch (operator) {
    case '==':
    case '===':
      return pyEquals(left, right);
    case '!=':
    case '!==':
      return !pyEquals(left, right);
    case '<':
      return pyCompare(left, right, operator) < 0;
    case '<=':
      return pyCompare(left, right, operator) <= 0;
    case '>':
      return pyCompare(left, right, operator) > 0;
    case '>=':
      return pyCompare(left, right, operator) >= 0;
    default:
      throw new Error(`unknown comparison ${operator}`);
  }
}

/**
 * `{% break %}` and `{% continue %}` (Jinja2's loopcontrols extension, which the reference loads). A loop body
 * compiles to the body of a JavaScript `for`, so the statement itself is all that is needed; outside a loop the
 * generated code does not compile and the render fails, as in Jinja2.
 */
function loopControls(nunjucks: Nunjucks): Extension {
  const LoopControl = nunjucks.nodes.Node.extend('LoopControl', { fields: ['keyword'] });
  nunjucks.compiler.Compiler.prototype['compileLoopControl'] = function (node) {
    this._emitLine(`${node['keyword'] === 'break' ? 'break' : 'continue'};`);
  };
  return {
    tags: ['break', 'continue'],
    parse(parser: TemplateParser) {
      const token = parser.nextToken();
      parser.advanceAfterBlockEnd(token.value);
      return new LoopControl(token.lineno, token.colno, token.value);
    },
  };
}

// A `__proto__` key (JSON.parse makes one an own property) would become the prototype of nunjucks' context copy.
function withoutProtoKey(context: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(context, '__proto__')) return context;
  const copy = { ...context };
  delete copy['__proto__'];
  return copy;
}
