import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isPlainObject } from '../../src/core/document';

/** A validator compiled from a real OpenAPI schema, as kubernetes-models ships them (ajv standalone code). */
type CompiledValidate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; params: unknown }[] | null;
};

const load = createRequire(__filename);
// The packages export their models, not the _schemas/ the models validate with: those are loaded by file path.
const schemasOf = (model: string, depth: number) => {
  let dir = dirname(load.resolve(model));
  for (let i = 0; i < depth; i++) dir = dirname(dir);
  return join(dir, '_schemas');
};
const SCHEMAS = {
  api: schemasOf('kubernetes-models/apps/v1/Deployment', 2),
  apimachinery: schemasOf('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta', 3),
  monitoring: schemasOf('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', 2),
};

/**
 * The compiled schema validator of one OpenAPI definition, e.g. `IoK8sApiAppsV1Deployment` (kubernetes-models),
 * `IoK8sApimachineryPkgApisMetaV1ObjectMeta` (@kubernetes-models/apimachinery) or
 * `MonitoringCoreosComV1ServiceMonitor` (@kubernetes-models/prometheus-operator, from the operator's CRDs).
 */
export function schemaValidator(definition: string): CompiledValidate {
  const dir = definition.startsWith('IoK8sApimachinery')
    ? SCHEMAS.apimachinery
    : definition.startsWith('MonitoringCoreosCom')
      ? SCHEMAS.monitoring
      : SCHEMAS.api;
  return (load(join(dir, `${definition}.js`)) as { validate: CompiledValidate }).validate;
}

/**
 * Validates `data` against a compiled schema and refuses unknown fields too, as `kubectl apply
 * --validate=strict` does. The schemas kubernetes-models ships allow additional properties, but their validators
 * read every property the schema defines and enumerate only the keys of maps (labels, data): so `data` is
 * watched through a Proxy while it is validated, and a key that was never read, in an object that was read and
 * not enumerated as a map, is a field the schema does not define.
 */
export function strictProblems(validate: CompiledValidate, data: unknown, where = ''): string[] {
  const reads = new Map<object, { keys: Set<string>; enumerated: boolean }>();
  const proxies = new WeakMap<object, object>();
  const record = (target: object) => {
    let r = reads.get(target);
    if (!r) reads.set(target, (r = { keys: new Set(), enumerated: false }));
    return r;
  };
  const watch = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const known = proxies.get(node);
    if (known) return known;
    const proxy = new Proxy(node, {
      get(target, key, receiver) {
        if (typeof key === 'string') record(target).keys.add(key);
        return watch(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === 'string') record(target).keys.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        record(target).enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(node, proxy);
    return proxy;
  };
  const problems: string[] = [];
  if (!validate(watch(data)))
    for (const e of validate.errors ?? [])
      problems.push(`${where}${e.instancePath || '/'}: ${e.keyword} ${JSON.stringify(e.params)}`);
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}/${i}`));
    if (!isPlainObject(node)) return;
    const r = reads.get(node);
    if (!r) return; // the schema does not look inside (free-form, or under a field already reported)
    for (const key of Object.keys(node)) {
      if (!r.enumerated && !r.keys.has(key)) problems.push(`${where}${path}/${key}: unknown field`);
      else walk(node[key], `${path}/${key}`);
    }
  };
  walk(data, '');
  return problems;
}
