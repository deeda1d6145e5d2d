import { keptInInsertionOrder } from '../../core/document';
import type { CompileMethod, Nunjucks } from './nunjucks-internals';
import { assertAllowedName } from './template-sandbox-keys';

interface PairNode {
  key: { typename: string; value: unknown };
  value: unknown;
}

/**
 * Jinja2's dict literals on nunjucks: the keys keep the order they are written in (`{'b': 1, '5': 2}`), and so
 * does a key update() or setdefault() adds later, as in Python's dicts (a JavaScript object literal puts '5'
 * first); and a key may be an expression (`{name: 1}` is keyed by the value of `name`, where nunjucks would
 * take the word). An expression key must come out as text: a number would be a key of another type in Python.
 */
export function installDictLiterals(nunjucks: Nunjucks): void {
  const proto = nunjucks.compiler.Compiler.prototype;
  const compileDict = proto['compileDict'] as CompileMethod;
  proto['compileDict'] = function (node, frame, ...rest) {
    const pairs = node['children'] as PairNode[];
    // A call's keyword arguments (`f(indent=2)`) are a Dict to nunjucks too: their names are names, not lookups.
    if (node['typename'] !== 'Dict') return compileDict.call(this, node, frame, ...rest);
    if (pairs.every((pair) => pair.key.typename === 'Literal')) {
      const keys = [...new Set(pairs.map((pair) => String(pair.key.value)))];
      this._emit('runtime.pyOrderedDict(');
      compileDict.call(this, node, frame, ...rest);
      this._emit(`, ${JSON.stringify(keys)})`);
      return;
    }
    this._emit('runtime.pyDictFromPairs([');
    for (const [i, pair] of pairs.entries()) {
      this._emit(i === 0 ? '[' : ', [');
      this._compileExpression(pair.key, frame);
      this._emit(', ');
      this._compileExpression(pair.value, frame);
      this._emit(']');
    }
    this._emit('])');
  };
  Object.assign(nunjucks.runtime, { pyOrderedDict: keptInInsertionOrder, pyDictFromPairs: dictFromPairs });
}

function dictFromPairs(pairs: [unknown, unknown][]): Record<string, unknown> {
  const dict: Record<string, unknown> = {};
  const order: string[] = [];
  for (const [key, value] of pairs) {
    if (typeof key !== 'string') {
      throw new Error(`a dict key must be a string here, not ${key === null ? 'None' : typeof key}`);
    }
    assertAllowedName(key);
    if (!Object.hasOwn(dict, key)) order.push(key);
    Object.defineProperty(dict, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return keptInInsertionOrder(dict, order);
}
