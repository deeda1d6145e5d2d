import type { Environment, Extension } from 'nunjucks';
import type { Lookup } from './jinja-filter-arguments';
import { JINJA_FILTERS } from './jinja-filters';
import { JINJA_TESTS } from './jinja-tests';
import type { Nunjucks, TemplateParser } from './nunjucks-internals';
import { pyNamespace } from '../python/python-namespace';
import { endRenderBudget, spendRenderBudget, startRenderBudget } from './render-budget';
import { pyDict } from './template-dict';
import { SAFE_OUTPUT_FILTERS, TEMPLATE_FILTERS } from './template-filters';
import { addPythonSemantics, plain } from './template-python-semantics';
import { installPythonSyntax, withStatement } from './template-python-syntax';
import { sandboxRuntime } from './template-sandbox';
import { assertAllowedName } from './template-sandbox-keys';

/**
 * The one nunjucks Environment, set up so that the Jinja2 templates written for cicdstatemgr render the same
 * text, and sandboxed so that no template reaches JavaScript globals (templates and the data they print come
 * from app repositories, Slack and HTTP responses). The only importer of nunjucks.
 *
 * nunjucks has no sandbox and no hook for Python semantics, so creating the environment patches its runtime
 * and compiler once (template-sandbox.ts, template-python-semantics.ts, template-python-syntax.ts). That is
 * acceptable only because nothing else in the process uses nunjucks.
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
