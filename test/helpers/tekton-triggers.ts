import { isPlainObject } from '../../src/core/document';
import { parseBindingPath, selectPath } from './binding-jsonpath';
import type { Doc } from './tekton-manifests';

/** What a TriggerBinding's `$(…)` can read, as Tekton Triggers gives it. */
export interface TriggerEvent {
  body: unknown;
  /** As the EventListener received them: one value or several per name. */
  header?: Record<string, string | string[]>;
  extensions?: Record<string, unknown>;
  /** `$(context.eventID)`, `$(context.eventURL)`. */
  context?: { eventID?: string; eventURL?: string };
}

/** Every `$(…)` of a binding value; what is inside is checked by evaluateReference, so none passes as text. */
const REFERENCE = /\$\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g;

/** Go's http.CanonicalHeaderKey: x-slack-signature -> X-Slack-Signature. */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * One `$(…)` of a binding: `body…` and `extensions…` are JSONPath into the event's body and extensions;
 * `header` is the header map and `header.<name>` one header, its name canonicalized and its values joined with
 * `,` (Triggers' event.go); `context.eventID` / `context.eventURL`. `undefined`: the path selects nothing.
 * Anything else throws: a binding this cannot evaluate must fail the test, not bind its own text.
 */
export function evaluateReference(event: TriggerEvent, reference: string): unknown {
  const [, root, rest = ''] = /^(\w+)(.*)$/s.exec(reference) ?? [];
  const headers = Object.fromEntries(
    Object.entries(event.header ?? {}).map(([k, v]) => [
      canonicalHeader(k),
      Array.isArray(v) ? v.join(',') : v,
    ]),
  );
  if (root === 'header') {
    if (rest === '') return headers;
    const [first, ...more] = parseBindingPath(rest);
    if (!first || !('field' in first) || more.length > 0)
      throw new Error(`cannot evaluate $(${reference}): a header is $(header.<name>)`);
    return headers[canonicalHeader(first.field)];
  }
  if (root === 'context') {
    if (rest !== '.eventID' && rest !== '.eventURL')
      throw new Error(`cannot evaluate $(${reference}): only context.eventID and context.eventURL exist`);
    return event.context?.[rest.slice(1) as 'eventID' | 'eventURL'];
  }
  if (root !== 'body' && root !== 'extensions')
    throw new Error(`cannot evaluate $(${reference}): a binding reads body, header, extensions or context`);
  const { values, multiple } = selectPath(event[root] ?? {}, parseBindingPath(rest));
  if (multiple) return values;
  return values[0];
}

/**
 * A TriggerBinding's params for one event: a string result is inserted as it is, anything else as JSON text,
 * as Tekton does. A param whose path selects nothing is left out (Tekton then takes the TriggerTemplate's
 * default, or fails the trigger); `missing` names those paths.
 */
export function bindParams(
  binding: Doc,
  event: TriggerEvent,
): { params: Record<string, string>; missing: string[] } {
  const params: Record<string, string> = {};
  const missing: string[] = [];
  for (const p of binding['spec']['params'] ?? []) {
    let absent = false;
    const value = String(p['value']).replace(REFERENCE, (whole, reference: string) => {
      const found = evaluateReference(event, reference);
      if (found === undefined) {
        absent = true;
        missing.push(`${p['name']}: ${whole}`);
        return '';
      }
      return typeof found === 'string' ? found : JSON.stringify(found);
    });
    if (value.includes('$(')) throw new Error(`${p['name']}: a $( that is no reference in ${p['value']}`);
    if (!absent) params[p['name']] = value;
  }
  return { params, missing };
}

/** The TriggerTemplate's resources with `$(tt.params.x)` replaced; a param without value or default throws. */
export function instantiate(template: Doc, given: Record<string, string>): Doc[] {
  const values: Record<string, string> = {};
  for (const p of template['spec']['params'] ?? []) {
    const value = given[p['name']] ?? p['default'];
    if (value === undefined)
      throw new Error(`TriggerTemplate ${template['metadata'].name}: no value for ${p['name']}`);
    values[p['name']] = String(value);
  }
  const replace = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\$\(tt\.params\.([\w-]+)\)/g, (whole, name: string) => {
        if (values[name] === undefined) throw new Error(`${whole} is not a param of the TriggerTemplate`);
        return values[name];
      });
    }
    if (Array.isArray(node)) return node.map(replace);
    if (isPlainObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replace(v)]));
    return node;
  };
  return replace(template['spec']['resourcetemplates']) as Doc[];
}

/** What `body.a.b` / `extensions.x[0]` (a CEL-style path, as a binding reads it) selects; undefined: nothing. */
export function lookupPath(event: TriggerEvent, path: string): unknown {
  return evaluateReference(event, path);
}
