import type { Environment } from 'nunjucks';

/**
 * The parts of nunjucks' runtime, compiler and parser that the template environment patches or calls, which
 * @types/nunjucks does not declare.
 */

interface SafeString {
  val: string;
}
export interface Frame {
  variables: Record<string, unknown>;
  parent: Frame | null;
  push(): Frame;
  set(name: string, value: unknown): void;
}
export interface RenderContext {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}
export interface Runtime {
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
  _compileExpression(node: unknown, frame: unknown): void;
}
export type CompileMethod = (
  this: CompilerInstance,
  node: TemplateNode,
  frame: unknown,
  ...rest: unknown[]
) => void;
interface Token {
  value: string;
  lineno: number;
  colno: number;
}
export interface TemplateParser {
  nextToken(): Token;
  advanceAfterBlockEnd(name: string): void;
}
interface NunjucksEnvironment extends Environment {
  addTest(name: string, test: (...args: unknown[]) => boolean): void;
  getFilter(name: string): (...args: unknown[]) => unknown;
  getTest(name: string): (...args: unknown[]) => boolean;
}
export interface Nunjucks {
  Environment: new (
    loaders: [],
    options: { autoescape: boolean; throwOnUndefined: boolean },
  ) => NunjucksEnvironment;
  installJinjaCompat(): void;
  runtime: Runtime;
  compiler: { Compiler: { prototype: Record<string, CompileMethod> } };
  nodes: { Node: { extend(name: string, props: object): NodeClass }; Not: NodeClass };
}
