import { inInsertionOrder, isFalsy } from '../../core/document';
import type { CompileMethod, Frame, Nunjucks, Runtime } from './nunjucks-internals';
import { installDictLiterals } from './template-dict-literals';
import { pyCompare, pyEquals } from '../python/python-compare';
import { pyFloat } from '../python/python-number';
import { pyAdd, pyFloorDiv, pyMod, pyMul, pyNeg, pyPos, pyPow, pySub, pyTrueDiv } from '../python/python-ops';
import { isNamespace } from '../python/python-namespace';
import { pythonStr } from '../python/python-str';
import { spendRenderBudget } from './render-budget';
import { isTuple, pyTuple } from '../python/python-tuple';
import { isDict } from './template-dict';
import { assertAllowedName } from './template-sandbox-keys';

/**
 * Python's semantics in nunjucks' runtime and compiler: str() when printing, Python's operators, truthiness
 * and `in`, and the helpers the code template-python-syntax.ts compiles calls.
 */

/** Values with nunjucks' safe strings (macro output) turned back into strings, for filters and printing. */
export function plain(value: unknown, SafeString: Runtime['SafeString']): unknown {
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
    return inInsertionOrder(
      Object.fromEntries(entries),
      entries.map(([k]) => k),
    );
  }
  return value;
}

export function addPythonSemantics(nunjucks: Nunjucks): void {
  installPrinting(nunjucks.runtime);
  installOperators(nunjucks.runtime);
  installLoopHelpers(nunjucks.runtime);
  installTruthiness(nunjucks.runtime);
  installConditions(nunjucks);
  installDictLiterals(nunjucks);
}

// `{{ x }}` prints str(x): True, None, ['a'], {'k': 1}. A function has no text a template could rely on.
function installPrinting(runtime: Runtime): void {
  const { SafeString } = runtime;
  const suppressValue = runtime.suppressValue;
  const text = (value: unknown): unknown => {
    if (value === undefined || typeof value === 'string' || value instanceof SafeString) return value;
    if (typeof value === 'function') throw new Error('a function cannot be printed');
    return pythonStr(plain(value, SafeString));
  };
  runtime.suppressValue = (value, autoescape) => suppressValue(text(value), autoescape);
  runtime.pyConcat = (left, right) => `${text(left) ?? ''}${text(right) ?? ''}`;
}

// Python's operators (template-python-syntax.ts compiles `+`, `%`, `==`, … to these).
function installOperators(runtime: Runtime): void {
  const unwrap = (value: unknown) => plain(value, runtime.SafeString);
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
}

// What the compiled `{% for %}`, `{% set ns.x %}` and `loop.cycle` call.
function installLoopHelpers(runtime: Runtime): void {
  const unwrap = (value: unknown) => plain(value, runtime.SafeString);
  Object.assign(runtime, {
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
  });
}

function installTruthiness(runtime: Runtime): void {
  const { SafeString } = runtime;
  const unwrap = (value: unknown) => plain(value, SafeString);
  const inOperator = runtime.inOperator;
  const fromIterator = runtime.fromIterator;

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
}

// `not`, `and`, `or`, `~` and the conditions of `if` compiled to the Python-truthiness helpers above.
function installConditions(nunjucks: Nunjucks): void {
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
