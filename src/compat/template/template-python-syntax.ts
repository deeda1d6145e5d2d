/**
 * Jinja2 syntax that nunjucks reads differently or not at all, patched into nunjucks' lexer, parser and
 * compiler (template-environment.ts installs it once; nothing else in the process uses nunjucks):
 * Python number literals (`1e3`, `1_000`, `2.0`, 20-digit ints), tuples (`(1, 2)`, `(1,)`, `()`),
 * `a.b` (attribute first) apart from `a['b']` (item first), Python operators, chained comparisons,
 * tests with an argument and no parentheses (`is divisibleby 3`), `{% with %}`, and Jinja2's scoping
 * (a `{% set %}` inside a loop does not change the variable outside).
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- nunjucks' internals are untyped JavaScript */
type Any = any;

interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

// Jinja2's integer and float literals (digits may be grouped with `_`); a float has a fraction or an exponent.
const NUMBER =
  /^[0-9]+(?:_[0-9]+)*(?:(\.[0-9]+(?:_[0-9]+)*)(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?|([eE][+-]?[0-9]+(?:_[0-9]+)*))?/;

const BINARY_HELPERS: Record<string, string> = {
  compileAdd: 'pyAdd',
  compileSub: 'pySub',
  compileMul: 'pyMul',
  compileDiv: 'pyTrueDiv',
  compileFloorDiv: 'pyFloorDiv',
  compileMod: 'pyMod',
  compilePow: 'pyPow',
};

// Words after `is <test>` that end the test rather than being its argument.
const NOT_AN_ARGUMENT = new Set(['else', 'or', 'and', 'if', 'in', 'is', 'not']);

export function installPythonSyntax(nunjucks: Any): void {
  const { lexer, nodes, runtime } = nunjucks;
  const Parser = nunjucks.parser.Parser.prototype;
  const Compiler = nunjucks.compiler.Compiler.prototype;
  const Tokenizer = Object.getPrototypeOf(lexer.lex(''));

  // ---- number literals ----
  const nextToken = Tokenizer.nextToken;
  Tokenizer.nextToken = function (this: Any): Token | null {
    if (this.in_code && !this.isFinished() && /[0-9]/.test(this.current()) && this.previous() !== '.') {
      const match = NUMBER.exec(this.str.slice(this.index, this.index + 500));
      const text = match?.[0] ?? '';
      if (match && !/[A-Za-z_]/.test(this.str.charAt(this.index + text.length))) {
        const token: Token = {
          type: match[1] !== undefined || match[2] !== undefined ? lexer.TOKEN_FLOAT : lexer.TOKEN_INT,
          value: text.replaceAll('_', ''),
          lineno: this.lineno,
          colno: this.colno,
        };
        this.forwardN(text.length);
        return token;
      }
    }
    // Jinja2's lexer balances braces, so `{{ {'a': {'b': 1}} }}` ends at the last `}}`, not the first.
    if (this.in_code && this.pyBraces > 0 && this.current() === '}') {
      const token: Token = {
        type: lexer.TOKEN_RIGHT_CURLY,
        value: '}',
        lineno: this.lineno,
        colno: this.colno,
      };
      this.forward();
      this.pyBraces--;
      return token;
    }
    const token: Token | null = nextToken.call(this);
    if (token?.type === lexer.TOKEN_LEFT_CURLY) this.pyBraces = (this.pyBraces ?? 0) + 1;
    else if (token?.type === lexer.TOKEN_RIGHT_CURLY) this.pyBraces--;
    else if (token?.type === lexer.TOKEN_VARIABLE_START || token?.type === lexer.TOKEN_BLOCK_START)
      this.pyBraces = 0;
    return token;
  };
  const parsePrimary = Parser.parsePrimary;
  Parser.parsePrimary = function (this: Any, noPostfix?: boolean): Any {
    const token: Token | null = this.peekToken();
    const node = parsePrimary.call(this, noPostfix);
    if (node instanceof nodes.Literal && token && (node as Any).lineno === token.lineno) {
      if (token.type === lexer.TOKEN_FLOAT) (node as Any).value = { pyFloat: Number(token.value) };
      if (token.type === lexer.TOKEN_INT && !Number.isSafeInteger(Number(token.value))) {
        (node as Any).value = { pyInt: token.value };
      }
    }
    return node;
  };
  const compileLiteral = Compiler.compileLiteral;
  Compiler.compileLiteral = function (this: Any, node: Any, frame: Any): void {
    const value = node.value;
    if (value && typeof value === 'object' && 'pyFloat' in value) {
      this._emit(`runtime.pyFloat(${String(value.pyFloat)})`);
    } else if (value && typeof value === 'object' && 'pyInt' in value) {
      this._emit(`BigInt("${String(BigInt(value.pyInt))}")`);
    } else {
      compileLiteral.call(this, node, frame);
    }
  };

  // ---- tuples ----
  const parseAggregate = Parser.parseAggregate;
  Parser.parseAggregate = function (this: Any): Any {
    const open: Token | null = this.peekToken();
    if (!open || open.type !== lexer.TOKEN_LEFT_PAREN) return parseAggregate.call(this);
    this.nextToken();
    const items: Any[] = [];
    let sawComma = false;
    while (!this.skip(lexer.TOKEN_RIGHT_PAREN)) {
      if (items.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail('expected "," or ")"', open.lineno, open.colno);
        sawComma = true;
        if (this.skip(lexer.TOKEN_RIGHT_PAREN)) break;
      }
      items.push(this.parseExpression());
    }
    if (!sawComma && items.length === 1) return new nodes.Group(open.lineno, open.colno, items);
    const tuple = new nodes.Array(open.lineno, open.colno, items);
    tuple.pyTuple = true;
    return tuple;
  };
  const compileArray = Compiler.compileArray;
  Compiler.compileArray = function (this: Any, node: Any, frame: Any): void {
    if (!node.pyTuple) return compileArray.call(this, node, frame);
    this._emit('runtime.pyTuple(');
    compileArray.call(this, node, frame);
    this._emit(')');
  };

  // ---- `a.b` is an attribute lookup, `a['b']` an item lookup ----
  Parser.parsePostfix = function (this: Any, node: Any): Any {
    let token: Token | null = this.peekToken();
    while (token) {
      if (token.type === lexer.TOKEN_LEFT_PAREN) {
        node = new nodes.FunCall(token.lineno, token.colno, node, this.parseSignature());
      } else if (token.type === lexer.TOKEN_LEFT_BRACKET) {
        const lookup = this.parseAggregate();
        if (lookup.children.length > 1) this.fail('invalid index');
        node = new nodes.LookupVal(token.lineno, token.colno, node, lookup.children[0]);
      } else if (token.type === lexer.TOKEN_OPERATOR && token.value === '.') {
        this.nextToken();
        const name: Token = this.nextToken();
        if (
          name.type !== lexer.TOKEN_SYMBOL &&
          name.type !== lexer.TOKEN_NONE &&
          name.type !== lexer.TOKEN_BOOLEAN
        ) {
          this.fail(`expected name as lookup value, got ${name.value}`, name.lineno, name.colno);
        }
        node = new nodes.LookupVal(
          token.lineno,
          token.colno,
          node,
          new nodes.Literal(name.lineno, name.colno, name.value),
        );
        node.attribute = true;
      } else {
        break;
      }
      token = this.peekToken();
    }
    return node;
  };
  const compileLookupVal = Compiler.compileLookupVal;
  Compiler.compileLookupVal = function (this: Any, node: Any, frame: Any): void {
    if (!node.attribute) return compileLookupVal.call(this, node, frame);
    this._emit('runtime.attributeLookup((');
    this._compileExpression(node.target, frame);
    this._emit('),');
    this._compileExpression(node.val, frame);
    this._emit(')');
  };

  // The name of a called expression goes into the generated code as a "…" literal, for error messages;
  // nunjucks escapes only `"` in it, so a string with a newline or a backslash (`"a\\n".strip()`) broke
  // the generated code.
  const getNodeName = Compiler._getNodeName;
  Compiler._getNodeName = function (this: Any, node: Any): string {
    return String(getNodeName.call(this, node))
      .replace(/\\/g, '\\\\')
      .replace(/[\n\r\u2028\u2029]/g, ' ');
  };

  // ---- operators ----
  for (const [method, helper] of Object.entries(BINARY_HELPERS)) {
    Compiler[method] = function (this: Any, node: Any, frame: Any): void {
      this._emit(`runtime.${helper}(`);
      this.compile(node.left, frame);
      this._emit(', ');
      this.compile(node.right, frame);
      this._emit(')');
    };
  }
  for (const [method, helper] of [
    ['compileNeg', 'pyNeg'],
    ['compilePos', 'pyPos'],
  ] as const) {
    Compiler[method] = function (this: Any, node: Any, frame: Any): void {
      this._emit(`runtime.${helper}(`);
      this.compile(node.target, frame);
      this._emit(')');
    };
  }
  // `a < b < c` is `a < b and b < c`, each operand evaluated once and only as far as needed.
  Compiler.compileCompare = function (this: Any, node: Any, frame: Any): void {
    this._emit('runtime.pyCompareChain(');
    this.compile(node.expr, frame);
    for (const op of node.ops) {
      this._emit(`, ${JSON.stringify(op.type)}, function () { return `);
      this.compile(op.expr, frame);
      this._emit('; }');
    }
    this._emit(')');
  };

  // ---- `{% set ns.total = … %}` on a namespace() ----
  const compileSet = Compiler.compileSet;
  Compiler.compileSet = function (this: Any, node: Any, frame: Any): void {
    const [target] = node.targets;
    if (node.targets.length === 1 && target instanceof nodes.LookupVal && target.attribute && node.value) {
      this._emit('runtime.pyNamespaceSet(');
      this._compileExpression(target.target, frame);
      this._emit(`, ${JSON.stringify(String(target.val.value))}, `);
      this._compileExpression(node.value, frame);
      this._emitLine(');');
      return;
    }
    compileSet.call(this, node, frame);
  };

  // ---- `a if x else b if y else c`: nunjucks takes no inline if after `else` ----
  Parser.parseInlineIf = function (this: Any): Any {
    let node = this.parseOr();
    if (this.skipSymbol('if')) {
      const cond = this.parseOr();
      const body = node;
      node = new nodes.InlineIf(node.lineno, node.colno);
      node.body = body;
      node.cond = cond;
      node.else_ = this.skipSymbol('else') ? this.parseInlineIf() : null;
    }
    return node;
  };

  // ---- tests: `x is divisibleby 3`, `x is not none` ----
  Parser.parseIs = function (this: Any): Any {
    let node = this.parseCompare();
    while (this.skipSymbol('is')) {
      const negated = this.skipSymbol('not');
      const name: Token = this.nextToken();
      let test: Any = new nodes.Symbol(name.lineno, name.colno, String(name.value));
      const next: Token | null = this.peekToken();
      if (next?.type === lexer.TOKEN_LEFT_PAREN) {
        test = new nodes.FunCall(name.lineno, name.colno, test, this.parseSignature());
      } else if (next && startsArgument(lexer, next)) {
        const argument = this.parsePrimary();
        test = new nodes.FunCall(
          name.lineno,
          name.colno,
          test,
          new nodes.NodeList(name.lineno, name.colno, [argument]),
        );
      }
      node = new nodes.Is(node.lineno, node.colno, node, test);
      if (negated) node = new nodes.Not(node.lineno, node.colno, node);
    }
    return node;
  };

  // ---- `{% for x in items if cond %}`: nunjucks reads `items if cond` as an inline if without else ----
  const LoopFilter = nodes.Node.extend('LoopFilter', { fields: ['arr', 'names', 'cond'] });
  // Every iteration of every loop is charged to the render budget (render-budget.ts).
  const BudgetTick = nodes.Node.extend('BudgetTick', { fields: [] });
  Compiler.compileBudgetTick = function (this: Any): void {
    this._emitLine('runtime.pySpend(1);');
  };
  const parseFor = Parser.parseFor;
  Parser.parseFor = function (this: Any): Any {
    const node = parseFor.call(this);
    node.body.children.unshift(new BudgetTick(node.lineno, node.colno));
    const arr = node.arr;
    if (arr instanceof nodes.InlineIf && !arr.else_) {
      const names =
        node.name instanceof nodes.Array ? node.name.children.map((c: Any) => c.value) : [node.name.value];
      node.arr = new LoopFilter(arr.lineno, arr.colno, arr.body, names, arr.cond);
    }
    return node;
  };
  const assertType = Compiler.assertType;
  Compiler.assertType = function (this: Any, node: Any, ...types: Any[]): void {
    if (!(node instanceof LoopFilter)) assertType.call(this, node, ...types);
  };
  Compiler.compileLoopFilter = function (this: Any, node: Any, frame: Any): void {
    this._emit('runtime.pyLoopFilter(');
    this._compileExpression(node.arr, frame);
    this._emit(`, ${JSON.stringify(node.names)}, frame, function (frame) { return `);
    this._compileExpression(node.cond, frame.push());
    this._emit('; })');
  };

  // ---- loop.cycle(), loop.previtem and loop.nextitem; `for a, b in items` checks each item's length ----
  const emitLoopBindings = Compiler._emitLoopBindings;
  Compiler._emitLoopBindings = function (this: Any, node: Any, arr: string, i: string, len: string): void {
    emitLoopBindings.call(this, node, arr, i, len);
    this._emitLine(`frame.set("loop.previtem", ${i} > 0 ? ${arr}[${i} - 1] : undefined);`);
    this._emitLine(`frame.set("loop.nextitem", ${i} < ${len} - 1 ? ${arr}[${i} + 1] : undefined);`);
    this._emitLine(`frame.set("loop.cycle", runtime.pyLoopCycle(${i}));`);
    if (node.name instanceof nodes.Array) {
      this._emitLine(
        `if (runtime.isArray(${arr})) runtime.pyUnpack(${arr}[${i}], ${node.name.children.length});`,
      );
    }
  };

  // ---- Jinja2 scoping: loops, macros, `with` and blocks keep their `{% set %}`s to themselves ----
  const push = runtime.Frame.prototype.push;
  runtime.Frame.prototype.push = function (this: Any): Any {
    return push.call(this, true);
  };
}

function startsArgument(lexer: Any, token: Token): boolean {
  if (token.type === lexer.TOKEN_SYMBOL) return !NOT_AN_ARGUMENT.has(token.value);
  return [
    lexer.TOKEN_STRING,
    lexer.TOKEN_INT,
    lexer.TOKEN_FLOAT,
    lexer.TOKEN_BOOLEAN,
    lexer.TOKEN_NONE,
    lexer.TOKEN_LEFT_BRACKET,
    lexer.TOKEN_LEFT_CURLY,
  ].includes(token.type);
}

/** `{% with a = 1, b = 2 %}…{% endwith %}`: the names exist only inside, as in Jinja2. */
export function withStatement(nunjucks: Any): Any {
  const { nodes, lexer } = nunjucks;
  const With = nodes.Node.extend('With', { fields: ['names', 'values', 'body'] });
  nunjucks.compiler.Compiler.prototype.compileWith = function (this: Any, node: Any, frame: Any): void {
    // Every value is evaluated outside, before any name is bound (`{% with a = 1, b = a %}` does not see a).
    const ids = node.values.map((value: Any) => {
      const id = this._tmpid();
      this._emit(`var ${id} = `);
      this._compileExpression(value, frame);
      this._emitLine(';');
      return id;
    });
    const inner = frame.push();
    this._emitLine('frame = frame.push();');
    node.names.forEach((name: string, i: number) =>
      this._emitLine(`frame.set(${JSON.stringify(name)}, ${ids[i]});`),
    );
    this.compile(node.body, inner);
    this._emitLine('frame = frame.pop();');
  };
  return {
    tags: ['with'],
    parse(parser: Any): Any {
      const token: Token = parser.nextToken();
      const names: string[] = [];
      const values: Any[] = [];
      while (!parser.skip(lexer.TOKEN_BLOCK_END)) {
        if (names.length > 0 && !parser.skip(lexer.TOKEN_COMMA))
          parser.fail('expected "," in with', token.lineno);
        const name: Token = parser.nextToken();
        if (name.type !== lexer.TOKEN_SYMBOL) parser.fail('expected a name in with', name.lineno, name.colno);
        if (!parser.skipValue(lexer.TOKEN_OPERATOR, '=')) parser.fail('expected "=" in with', name.lineno);
        names.push(name.value);
        values.push(parser.parseExpression());
      }
      const body = parser.parseUntilBlocks('endwith');
      parser.advanceAfterBlockEnd();
      return new With(token.lineno, token.colno, names, values, body);
    },
  };
}
