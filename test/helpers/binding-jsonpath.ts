import { isPlainObject } from '../../src/core/document';

/** One step of a binding's JSONPath: a field name, a list index, or every member (`[*]`, `.*`). */
type Step = { field: string } | { index: number } | { all: true };

/**
 * The path inside a TriggerBinding's `$(…)`, as Tekton Triggers reads it (pkg/template/jsonpath.go hands
 * `{.<path>}` to Kubernetes' JSONPath): dotted fields (`\.` escapes a dot in a key), `[n]` indexes (negative
 * from the end), `['key']` / `["key"]` fields, `[*]` and `.*` wildcards. What Kubernetes' JSONPath also has but
 * this does not model (filters `[?()]`, slices `[a:b]`, unions `[a,b]`, recursive `..`, functions) is refused
 * with an error, never passed through as text.
 */
export function parseBindingPath(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`cannot evaluate the binding path ${JSON.stringify(path)}: ${why} at ${i}`);
  };
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.') fail('recursive descent (..) is not supported');
      i++;
      if (path[i] === '*') {
        steps.push({ all: true });
        i++;
        continue;
      }
      let name = '';
      while (i < path.length && path[i] !== '.' && path[i] !== '[') {
        if (path[i] === '\\' && path[i + 1] === '.') {
          name += '.';
          i += 2;
        } else name += path[i++];
      }
      if (name === '') fail('an empty field name');
      if (/[()?@$,:'" ]/.test(name)) fail(`unsupported characters in ${JSON.stringify(name)}`);
      steps.push({ field: name });
    } else if (c === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) fail('an unclosed [');
      const inside = path.slice(i + 1, end).trim();
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inside);
      if (inside === '*') steps.push({ all: true });
      else if (/^-?\d+$/.test(inside)) steps.push({ index: Number(inside) });
      else if (quoted) steps.push({ field: (quoted[1] ?? quoted[2]) as string });
      else fail(`[${inside}] (filters, slices and unions are not supported)`);
      i = end + 1;
    } else fail(`unexpected ${JSON.stringify(c)}`);
  }
  return steps;
}

/**
 * The values `steps` select from `root`: none (missing), one, or several (after a wildcard; Tekton then
 * inserts them as a JSON array).
 */
export function selectPath(root: unknown, steps: Step[]): { values: unknown[]; multiple: boolean } {
  let nodes: unknown[] = [root];
  let multiple = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if ('all' in step) {
        multiple = true;
        if (Array.isArray(node)) next.push(...node);
        else if (isPlainObject(node)) next.push(...Object.values(node));
      } else if ('index' in step) {
        if (!Array.isArray(node)) continue;
        const at = step.index < 0 ? node.length + step.index : step.index;
        if (at >= 0 && at < node.length) next.push(node[at]);
      } else if (isPlainObject(node) && Object.hasOwn(node, step.field)) next.push(node[step.field]);
    }
    nodes = next;
  }
  return { values: nodes, multiple };
}
