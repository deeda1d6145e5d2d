import { isPlainObject } from '../../src/core/document';
import type { Doc } from './tekton-manifests';

/** What a TriggerBinding's `$(…)` can read, as Tekton Triggers gives it. */
export interface TriggerEvent {
  body: unknown;
  header?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

const BINDING_REFERENCE = /\$\(((?:body|header|extensions)(?:\.[\w-]+)*)\)/g;

/**
 * A TriggerBinding's params for one event: `$(body.a.b)` inserts a string as it is and anything else as JSON
 * text, as Tekton does. A param whose path is missing is left out (Tekton then takes the TriggerTemplate's
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
    const value = String(p['value']).replace(BINDING_REFERENCE, (whole, path: string) => {
      const found = lookupPath(event, path);
      if (found === undefined) {
        absent = true;
        missing.push(`${p['name']}: ${whole}`);
        return '';
      }
      return typeof found === 'string' ? found : JSON.stringify(found);
    });
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

export function lookupPath(event: TriggerEvent, path: string): unknown {
  let node: unknown = event;
  for (const part of path.split('.')) {
    if (!isPlainObject(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}
