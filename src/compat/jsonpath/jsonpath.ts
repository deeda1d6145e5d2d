import { isPlainObject } from '../../core/document';
import { JsonPathEvaluationError, JsonPathSyntaxError } from '../../core/errors';

/**
 * JSONPath as jsonpath-ng 1.8.0's base parser reads it (what cicdstatemgr's `--get`, `--generate` and
 * tmpl-ctx-vars accept). The parser is our own so that the accepted dialect, and the errors for what it rejects,
 * match the reference exactly, and our own evaluator so that matching follows jsonpath-ng's rules too.
 */

type BinaryKind = 'child' | 'descendants' | 'union' | 'where' | 'wherenot';

export type JsonPathNode =
  | { readonly kind: 'root' }
  | { readonly kind: 'this' }
  /** `*` among the names selects every key, as in jsonpath-ng (so `['*']` is a wildcard too). */
  | { readonly kind: 'fields'; readonly names: readonly string[] }
  | { readonly kind: 'index'; readonly indices: readonly number[] }
  | {
      readonly kind: 'slice';
      readonly start: number | null;
      readonly end: number | null;
      readonly step: number | null;
    }
  | { readonly kind: BinaryKind; readonly left: JsonPathNode; readonly right: JsonPathNode };

export interface JsonPath {
  readonly expression: string;
  readonly ast: JsonPathNode;
}

export function parseJsonPath(expression: string): JsonPath {
  return { expression, ast: new Parser(expression, tokenize(expression)).parse() };
}

/**
 * The values `path` matches in `doc`, in jsonpath-ng's order (a match can occur more than once). Where
 * jsonpath-ng raises (an index into a mapping or a number) this throws a JsonPathEvaluationError.
 */
export function findValues(doc: unknown, path: JsonPath | string): unknown[] {
  const parsed = typeof path === 'string' ? parseJsonPath(path) : path;
  try {
    return evaluate(parsed.ast, doc, doc);
  } catch (error) {
    if (!(error instanceof IndexFailure)) throw error;
    throw new JsonPathEvaluationError(`JSONPath ${JSON.stringify(parsed.expression)}: ${error.message}`);
  }
}

class IndexFailure extends Error {}

// ---------------------------------------------------------------------------------------------------------
// Lexer: the token rules of jsonpath_ng/lexer.py.

interface Token {
  /** `op` covers punctuation and the words `where`/`wherenot`; a quoted word is always an `id`. */
  readonly kind: 'id' | 'number' | 'named' | 'op';
  readonly value: string;
  readonly pos: number;
  readonly end: number;
}

const ID_CHARS = 'a-zA-Z_@\\u4E00-\\u9FA5\\u{1F600}-\\u{1F64F}';
const ID = new RegExp(`[${ID_CHARS}][${ID_CHARS}0-9\\-]*`, 'uy');
const NUMBER = /-?[0-9]+/y;
const PUNCTUATION = new Set(['*', '.', '[', ']', '(', ')', '$', ',', ':', '|', '&', '~']);
const QUOTES: Record<string, Token['kind']> = { "'": 'id', '"': 'id', '`': 'named' };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    return re.exec(expression)?.[0];
  };
  while (pos < expression.length) {
    const ch = expression[pos]!;
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      pos++;
      continue;
    }
    let kind: Token['kind'];
    let value: string | undefined;
    let end: number;
    if ((value = sticky(ID)) !== undefined) {
      kind = value === 'where' || value === 'wherenot' ? 'op' : 'id';
      end = pos + value.length;
    } else if ((value = sticky(NUMBER)) !== undefined) {
      kind = 'number';
      end = pos + value.length;
    } else if (Object.hasOwn(QUOTES, ch)) {
      kind = QUOTES[ch]!;
      [value, end] = readQuoted(expression, pos);
    } else if (PUNCTUATION.has(ch)) {
      kind = 'op';
      value = expression.startsWith('..', pos) ? '..' : ch;
      end = pos + value.length;
    } else {
      throw syntaxError(expression, `unexpected character ${JSON.stringify(ch)} at position ${pos}`);
    }
    tokens.push({ kind, value, pos, end });
    pos = end;
  }
  return tokens;
}

/** A quoted field or backquoted operator; a backslash takes the next character literally (but not a newline). */
function readQuoted(expression: string, start: number): [string, number] {
  const quote = expression[start];
  let value = '';
  for (let pos = start + 1; pos < expression.length; pos++) {
    const ch = expression[pos]!;
    if (ch === quote) return [value, pos + 1];
    if (ch === '\\') {
      const next = expression[++pos];
      if (next === undefined || next === '\n') break;
      value += next;
    } else {
      value += ch;
    }
  }
  throw syntaxError(expression, `unterminated ${quote}...${quote} starting at position ${start}`);
}

// ---------------------------------------------------------------------------------------------------------
// Parser: the grammar and operator precedence of jsonpath_ng/parser.py, as its LALR tables resolve them.

/** Binding strength, weakest first; all are left-associative. */
const BINARY_LEVEL: Record<string, number> = { '..': 1, '.': 2, '|': 3, '&': 4, where: 5, wherenot: 6 };
const BINARY_KIND: Record<string, BinaryKind> = {
  '..': 'descendants',
  '.': 'child',
  '|': 'union',
  where: 'where',
  wherenot: 'wherenot',
};

class Parser {
  private index = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): JsonPathNode {
    const node = this.binary(1);
    if (this.peek()) this.unexpected();
    return node;
  }

  /**
   * A `[...]` after an expression applies to everything before it up to the enclosing parenthesis
   * (`a|b[0]` is `(a|b)[0]`), because jsonpath-ng's tables reduce every pending operator before shifting `[`.
   */
  private binary(minLevel: number): JsonPathNode {
    let left = this.primary();
    for (;;) {
      const token = this.peek();
      if (token?.kind !== 'op') return left;
      if (token.value === '[') {
        if (minLevel > 1) return left;
        this.index++;
        left = { kind: 'child', left, right: this.bracket() };
        continue;
      }
      const level = BINARY_LEVEL[token.value];
      if (level === undefined || level < minLevel) return left;
      if (token.value === '&') {
        // jsonpath-ng parses the intersection but raises NotImplementedError when it is evaluated.
        throw this.error(`the intersection operator "&" at position ${token.pos} is not supported`);
      }
      this.index++;
      left = { kind: BINARY_KIND[token.value]!, left, right: this.binary(level + 1) };
    }
  }

  private primary(): JsonPathNode {
    const token = this.next();
    if (token.kind === 'id') return { kind: 'fields', names: [token.value, ...this.moreFieldNames()] };
    // Python's int() then str(): `007` is the field "7".
    if (token.kind === 'number') return { kind: 'fields', names: [BigInt(token.value).toString()] };
    if (token.kind === 'named') {
      if (token.value === 'this') return { kind: 'this' };
      const reason = token.value === 'parent' ? 'is not supported' : 'is unknown';
      throw this.error(`the operator \`${token.value}\` at position ${token.pos} ${reason}`);
    }
    switch (token.value) {
      case '$':
        return { kind: 'root' };
      case '*':
        return { kind: 'fields', names: ['*'] };
      case '[':
        return this.bracket();
      case '(': {
        const inner = this.binary(1);
        this.expect(')');
        return inner;
      }
      default:
        return this.unexpected(token);
    }
  }

  private moreFieldNames(): string[] {
    const names: string[] = [];
    while (this.peekOp(',')) {
      this.index++;
      const token = this.next();
      if (token.kind !== 'id') this.unexpected(token);
      names.push(token.value);
    }
    return names;
  }

  /** After `[`: `[*]`, `[name,...]`, `[n,...]` or `[start:end:step]`. */
  private bracket(): JsonPathNode {
    const first = this.peek();
    let node: JsonPathNode;
    if (first?.kind === 'op' && first.value === '*') {
      this.index++;
      node = { kind: 'slice', start: null, end: null, step: null };
    } else if (first?.kind === 'id') {
      this.index++;
      node = { kind: 'fields', names: [first.value, ...this.moreFieldNames()] };
    } else {
      const start = this.optionalNumber();
      if (start !== null && !this.peekOp(':')) {
        const indices = [start];
        while (this.peekOp(',')) {
          this.index++;
          indices.push(this.requiredNumber());
        }
        node = { kind: 'index', indices };
      } else {
        this.expect(':');
        const end = this.optionalNumber();
        let step: number | null = null;
        if (this.peekOp(':')) {
          this.index++;
          step = this.optionalNumber();
        }
        if (step === 0) throw this.error('a slice step cannot be zero');
        node = { kind: 'slice', start, end, step };
      }
    }
    this.expect(']');
    return node;
  }

  private optionalNumber(): number | null {
    return this.peek()?.kind === 'number' ? this.requiredNumber() : null;
  }

  private requiredNumber(): number {
    const token = this.next();
    if (token.kind !== 'number') this.unexpected(token);
    return Number(token.value);
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private peekOp(value: string): boolean {
    const token = this.peek();
    return token?.kind === 'op' && token.value === value;
  }

  private next(): Token {
    const token = this.peek();
    if (!token) return this.unexpected();
    this.index++;
    return token;
  }

  private expect(value: string): void {
    const token = this.next();
    if (token.kind !== 'op' || token.value !== value) this.unexpected(token);
  }

  private unexpected(token = this.peek()): never {
    if (!token) throw this.error(`unexpected end at position ${this.expression.length}`);
    const shown = this.expression.slice(token.pos, token.end);
    throw this.error(`unexpected ${JSON.stringify(shown)} at position ${token.pos}`);
  }

  private error(detail: string): JsonPathSyntaxError {
    return syntaxError(this.expression, detail);
  }
}

function syntaxError(expression: string, detail: string): JsonPathSyntaxError {
  return new JsonPathSyntaxError(`cannot parse JSONPath ${JSON.stringify(expression)}: ${detail}`);
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation: jsonpath_ng/jsonpath.py semantics.

function evaluate(node: JsonPathNode, value: unknown, root: unknown): unknown[] {
  switch (node.kind) {
    case 'root':
      return [root];
    case 'this':
      return [value];
    case 'fields': {
      if (!isPlainObject(value)) return [];
      const names = node.names.includes('*') ? Object.keys(value) : node.names;
      return names.filter((name) => Object.hasOwn(value, name)).map((name) => value[name]);
    }
    case 'index':
      if (Array.isArray(value)) return node.indices.flatMap((i) => itemAt(value, i));
      assertIndexable(value, node.indices);
      // jsonpath-ng would also index into a string's characters; here only lists are indexed.
      return [];
    case 'slice':
      return slice(value, node);
    case 'child':
      return evaluate(node.left, value, root).flatMap((left) => evaluate(node.right, left, root));
    case 'descendants':
      return evaluate(node.left, value, root).flatMap((left) => descend(node.right, left, root));
    case 'union':
      return [...evaluate(node.left, value, root), ...evaluate(node.right, value, root)];
    case 'where':
      return evaluate(node.left, value, root).filter((left) => evaluate(node.right, left, root).length > 0);
    case 'wherenot':
      return evaluate(node.left, value, root).filter((left) => evaluate(node.right, left, root).length === 0);
  }
}

/**
 * jsonpath-ng 1.8.0 indexes anything truthy whose len() exceeds the index: a mapping then raises KeyError
 * (`state[0]`, `$..[0]` over any mapping) and a number TypeError. cicdstatemgr fails with it, and so do we.
 */
function assertIndexable(value: unknown, indices: readonly number[]): void {
  if (isPlainObject(value)) {
    const size = Object.keys(value).length;
    const index = indices.find((i) => size > i);
    if (size > 0 && index !== undefined) {
      throw new IndexFailure(`[${index}] indexes a mapping, where jsonpath-ng fails (KeyError: ${index})`);
    }
  } else if (
    ((typeof value === 'number' || value instanceof Number) && Number(value) !== 0) ||
    value === true
  ) {
    throw new IndexFailure(`[${indices[0]}] indexes a number, where jsonpath-ng fails (TypeError)`);
  }
}

/** jsonpath-ng would crash on an index out of range from the end; here it matches nothing. */
function itemAt(list: unknown[], index: number): unknown[] {
  const i = index < 0 ? index + list.length : index;
  return i >= 0 && i < list.length ? [list[i]] : [];
}

/** Matches of `node` in `value` and in everything below it, parents before children. */
function descend(node: JsonPathNode, value: unknown, root: unknown): unknown[] {
  const children = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  return [...evaluate(node, value, root), ...children.flatMap((child) => descend(node, child, root))];
}

/** Python slicing; jsonpath-ng treats a mapping or a scalar as a one-element list, and null as empty. */
function slice(
  value: unknown,
  { start, end, step }: { start: number | null; end: number | null; step: number | null },
): unknown[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const by = step ?? 1;
  const clamp = (bound: number | null, whenNull: number): number => {
    if (bound === null) return whenNull;
    if (bound < 0) return Math.max(bound + list.length, by < 0 ? -1 : 0);
    return Math.min(bound, by < 0 ? list.length - 1 : list.length);
  };
  const out: unknown[] = [];
  if (by > 0) {
    for (let i = clamp(start, 0); i < clamp(end, list.length); i += by) out.push(list[i]);
  } else {
    for (let i = clamp(start, list.length - 1); i > clamp(end, -1); i += by) out.push(list[i]);
  }
  return out;
}
