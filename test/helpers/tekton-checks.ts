import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { isPlainObject } from '../../src/core/document';
import { parseYaml } from '../../src/compat/yaml/yaml';
import {
  filesUnder,
  isKustomizeFile,
  label,
  nameOf,
  ofKind,
  type Doc,
  type Manifest,
} from './tekton-manifests';

/**
 * slackline's own checks of its manifests: how its objects fit together (namespaces, references, ports, the
 * triggers' bindings and templates, images, Secret templates, the ClusterInterceptor's TLS, kustomizations).
 * Whether each object is well-formed is for the schemas and Tekton's linter (manifest-validators.ts). Each check
 * returns the problems it found (empty: none), so a test can show on a small bad fixture that it finds them.
 */

const CLUSTER_SCOPED = new Set(['ClusterInterceptor', 'ClusterRoleBinding', 'ClusterRole']);

/**
 * Everything is in `namespace`: namespaced objects say so and cluster-scoped ones do not, and every other
 * namespace they spell (a subject's, a Service reference's, an in-cluster `svc.ns.svc` host) is the same.
 */
export function checkNamespaces(manifests: Manifest[], namespace: string): string[] {
  const problems: string[] = [];
  for (const m of manifests) {
    const { namespace: ns, ...metadata } = m.doc['metadata'] ?? {};
    // kustomize cannot know that a custom kind (ClusterInterceptor) is cluster-scoped, so `namespace:` writes
    // one on it too; the API server drops it. Only a namespaced object without the namespace is wrong.
    if (!CLUSTER_SCOPED.has(m.doc['kind']) && ns !== namespace)
      problems.push(`${label(m)} is in namespace ${ns}, not ${namespace}`);
    const text = JSON.stringify({ ...m.doc, metadata });
    const spelled = [
      ...[...text.matchAll(/"namespace":"([^"]*)"/g)].map((x) => x[1]),
      ...serviceHosts(text).map((h) => h.namespace),
    ];
    for (const other of spelled)
      if (other !== namespace) problems.push(`${label(m)} names namespace ${other}, not ${namespace}`);
  }
  return problems;
}

const refs = (text: string, prefix: string) =>
  new Set(
    [...text.matchAll(new RegExp(`\\$\\(${prefix.replaceAll('.', '\\.')}\\.([\\w-]+)`, 'g'))].map(
      (m) => m[1] as string,
    ),
  );
const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((x) => String(x?.['name'])) : []);
const difference = (a: Iterable<string>, b: Iterable<string>) => [...a].filter((x) => !new Set(b).has(x));

/**
 * `$(tt.params.x)` in a TriggerTemplate names a param it declares, and every declared param is used (an unused
 * one is a binding that does nothing). Tasks and Pipelines are tekton-lint's (manifest-validators.ts); it does
 * not read Triggers' objects.
 */
export function checkTemplateParams(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  for (const m of ofKind(manifests, 'TriggerTemplate')) {
    const { params, ...body } = m.doc['spec'] ?? {};
    const used = refs(JSON.stringify(body), 'tt.params');
    for (const x of difference(used, names(params)))
      problems.push(`${label(m)} uses $(tt.params.${x}), not declared`);
    for (const x of difference(names(params), used))
      problems.push(`${label(m)} declares param ${x}, never used`);
  }
  return problems;
}

/**
 * A PipelineRun that a TriggerTemplate makes fits its Pipeline: every given param is declared, every declared
 * param without a default is given, every required workspace is bound and every bound one declared. (A Pipeline
 * and its Tasks: tekton-lint.)
 */
export function checkTemplateRuns(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const specOf = (kind: string, name: string) =>
    ofKind(manifests, kind).find((m) => nameOf(m) === name)?.doc['spec'];
  const fit = (where: string, callee: Doc, given: Doc[] = [], bound: Doc[] = []) => {
    const declared: Doc[] = callee['params'] ?? [];
    for (const x of difference(names(given), names(declared)))
      problems.push(`${where} passes undeclared param ${x}`);
    for (const p of declared)
      if (p['default'] === undefined && !names(given).includes(p['name']))
        problems.push(`${where} does not pass required param ${p['name']}`);
    const workspaces: Doc[] = callee['workspaces'] ?? [];
    for (const x of difference(names(bound), names(workspaces)))
      problems.push(`${where} binds undeclared workspace ${x}`);
    for (const w of workspaces)
      if (!w['optional'] && !names(bound).includes(w['name']))
        problems.push(`${where} does not bind workspace ${w['name']}`);
  };
  for (const m of ofKind(manifests, 'TriggerTemplate')) {
    for (const r of m.doc['spec']?.['resourcetemplates'] ?? []) {
      const pipeline =
        r['kind'] === 'PipelineRun' ? specOf('Pipeline', r['spec']?.['pipelineRef']?.name) : undefined;
      if (pipeline) fit(`${label(m)} PipelineRun`, pipeline, r['spec']['params'], r['spec']['workspaces']);
    }
  }
  return problems;
}

/**
 * Each EventListener trigger's bindings and template go together: every binding param is a param of the
 * template (else it is dropped), and every template param without a default comes from a binding.
 */
export function checkTriggers(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string) => ofKind(manifests, kind).find((m) => nameOf(m) === name);
  for (const el of ofKind(manifests, 'EventListener')) {
    for (const trigger of el.doc['spec']?.['triggers'] ?? []) {
      const where = `${label(el)} trigger ${trigger['name']}`;
      const template = find('TriggerTemplate', trigger['template']?.ref);
      const bound: string[] = [];
      for (const b of trigger['bindings'] ?? [])
        bound.push(...names(find('TriggerBinding', b['ref'])?.doc['spec']?.params));
      if (!template) continue; // checkReferences reports it
      const params: Doc[] = template.doc['spec']?.['params'] ?? [];
      for (const x of difference(bound, names(params)))
        problems.push(`${where}: binding param ${x} is not a param of TriggerTemplate ${nameOf(template)}`);
      for (const p of params)
        if (p['default'] === undefined && !bound.includes(p['name']))
          problems.push(
            `${where}: TriggerTemplate ${nameOf(template)} param ${p['name']} has no binding and no default`,
          );
    }
  }
  return problems;
}

export interface Reference {
  kind: string;
  name: string;
  from: string;
}

/** Every object one of `manifests` refers to by name, found by the fields Kubernetes and Tekton use. */
export function referencesOf(manifests: Manifest[]): Reference[] {
  const found: Reference[] = [];
  for (const m of manifests) {
    const add = (kind: string, name: unknown) => {
      if (typeof name === 'string') found.push({ kind, name, from: label(m) });
    };
    const walk = (node: unknown, key: string): void => {
      if (Array.isArray(node)) {
        for (const item of node) {
          walk(item, key);
          if (key === 'interceptors' && isPlainObject(item) && isPlainObject(item['ref']))
            add(String(item['ref']['kind'] ?? 'ClusterInterceptor'), item['ref']['name']);
          if (key === 'bindings' && isPlainObject(item)) add('TriggerBinding', item['ref']);
          if (key === 'subjects' && isPlainObject(item) && item['kind'] === 'ServiceAccount')
            add('ServiceAccount', item['name']);
        }
        return;
      }
      if (!isPlainObject(node)) {
        if (typeof node === 'string' && m.doc['kind'] === 'ConfigMap')
          serviceHosts(node).forEach((host) => add('Service', host.name));
        return;
      }
      // envFrom's secretRef has a name; a Tekton interceptor param's secretRef a secretName.
      if (key === 'secretRef' || key === 'secretKeyRef') add('Secret', node['name'] ?? node['secretName']);
      if (key === 'secret') add('Secret', node['secretName']);
      if (key === 'configMapRef' || key === 'configMapKeyRef' || key === 'configMap')
        add('ConfigMap', node['name']);
      if (key === 'taskRef') add('Task', node['name']);
      if (key === 'pipelineRef') add('Pipeline', node['name']);
      if (key === 'roleRef') add(String(node['kind']), node['name']);
      if (key === 'objectRef') add(String(node['kind']), node['name']);
      if (key === 'template' && m.doc['kind'] === 'EventListener') add('TriggerTemplate', node['ref']);
      if (key === 'clientConfig' && isPlainObject(node['service'])) add('Service', node['service']['name']);
      if (key === 'webhook' && typeof node['url'] === 'string')
        serviceHosts(node['url']).forEach((host) => add('Service', host.name));
      for (const [k, v] of Object.entries(node)) {
        if (k === 'serviceAccountName') add('ServiceAccount', v);
        walk(v, k);
      }
    };
    walk(m.doc, '');
  }
  return found;
}

/** In-cluster host names (`svc.ns.svc`, in URLs or alone) and their parts. */
export function serviceHosts(text: string): { name: string; namespace: string }[] {
  return [...text.matchAll(/\b([a-z0-9][a-z0-9-]*)\.([a-z0-9][a-z0-9-]*)\.svc\b/g)].map((m) => ({
    name: m[1] as string,
    namespace: m[2] as string,
  }));
}

/**
 * Every reference resolves to an object of tekton/ (an EventListener `x` also defines its Service `el-x`), or
 * to a name the README lists as a prerequisite.
 */
export function checkReferences(manifests: Manifest[], prerequisites: Set<string>): string[] {
  const defined = new Set(manifests.map((m) => `${m.doc['kind']}/${nameOf(m)}`));
  for (const el of ofKind(manifests, 'EventListener')) defined.add(`Service/el-${nameOf(el)}`);
  return referencesOf(manifests)
    .filter((r) => !defined.has(`${r.kind}/${r.name}`) && !prerequisites.has(r.name))
    .map(
      (r) => `${r.from} refers to ${r.kind} ${r.name}, defined nowhere in tekton/ nor a README prerequisite`,
    );
}

/** The names in backquotes of a README section (the prerequisites an operator installs or creates). */
export function backquotedNames(text: string): Set<string> {
  return new Set([...text.matchAll(/`([\w.-]+)`/g)].map((m) => m[1] as string));
}

/**
 * Ports line up: a Service selects a Deployment whose container has each targetPort (by name or number),
 * probes use a container port, and a ClusterInterceptor calls a port its Service has.
 */
export function checkPorts(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const deployments = ofKind(manifests, 'Deployment');
  const podPorts = (d: Manifest): Doc[] =>
    (d.doc['spec']['template']['spec']['containers'] ?? []).flatMap((c: Doc) => c['ports'] ?? []);
  const matches = (ports: Doc[], target: unknown) =>
    ports.some((p) => p['name'] === target || p['containerPort'] === target);
  for (const s of ofKind(manifests, 'Service')) {
    const selector = s.doc['spec']?.['selector'] ?? {};
    const selected = deployments.filter((d) =>
      Object.entries(selector).every(([k, v]) => d.doc['spec']['template']['metadata']['labels']?.[k] === v),
    );
    if (selected.length === 0) problems.push(`${label(s)} selects no Deployment`);
    for (const d of selected)
      for (const p of s.doc['spec']['ports'] ?? [])
        if (!matches(podPorts(d), p['targetPort'] ?? p['port']))
          problems.push(
            `${label(s)} port ${p['name']} targets ${p['targetPort']}, which ${label(d)} does not expose`,
          );
  }
  for (const d of deployments)
    for (const c of d.doc['spec']['template']['spec']['containers'] ?? [])
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'])
        for (const kind of ['httpGet', 'tcpSocket'])
          if (c[probe]?.[kind] && !matches(c['ports'] ?? [], c[probe][kind]['port']))
            problems.push(
              `${label(d)} ${probe} uses port ${c[probe][kind]['port']}, not a port of ${c['name']}`,
            );
  for (const ci of ofKind(manifests, 'ClusterInterceptor')) {
    const svc = ci.doc['spec']?.['clientConfig']?.['service'];
    if (!svc) continue;
    const service = ofKind(manifests, 'Service').find((s) => nameOf(s) === svc['name']);
    const https = ci.doc['metadata']?.['labels']?.['server/type'] === 'https';
    const port = svc['port'] ?? (https ? 8443 : 80);
    if (service && !(service.doc['spec']['ports'] ?? []).some((p: Doc) => p['port'] === port))
      problems.push(`${label(ci)} calls port ${port}, which ${label(service)} does not have`);
  }
  return problems;
}

/** Paths of the HTTP probes of a Deployment's containers. */
export function probePaths(deployment: Manifest): string[] {
  return (deployment.doc['spec']['template']['spec']['containers'] ?? []).flatMap((c: Doc) =>
    ['readinessProbe', 'livenessProbe', 'startupProbe'].flatMap((p) =>
      c[p]?.httpGet ? [c[p].httpGet.path] : [],
    ),
  );
}

/**
 * Every image is slackline's own (which the overlay's `images:` sets) or a third-party image pinned by digest
 * with the tag it was taken from beside it (`redis:7.4-alpine@sha256:…`), in every container, init container
 * and Task step.
 */
export function checkImages(manifests: Manifest[], ownImages: string[]): string[] {
  const problems: string[] = [];
  for (const m of manifests) {
    const kind = m.doc['kind'];
    const spec =
      kind === 'Deployment' || kind === 'StatefulSet' ? m.doc['spec']['template']['spec'] : m.doc['spec'];
    for (const c of [
      ...(spec?.['initContainers'] ?? []),
      ...(spec?.['containers'] ?? []),
      ...(spec?.['steps'] ?? []),
    ]) {
      const image = String(c['image']);
      if (ownImages.includes(image)) continue;
      if (!/^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/.test(image))
        problems.push(`${label(m)} ${c['name']}: image ${image} is not pinned by digest (name:tag@sha256:…)`);
    }
  }
  return problems;
}

/**
 * Secrets in the repository are templates: in a `*.template.yaml` file (which no kustomization applies), every
 * value (and every value of a YAML document held in one) empty or PLACEHOLDER-….
 */
export function checkSecretTemplates(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  for (const s of ofKind(manifests, 'Secret')) {
    if (!s.file.endsWith('.template.yaml'))
      problems.push(`${label(s)}: a Secret outside a *.template.yaml file`);
    if (s.doc['data']) problems.push(`${label(s)}: use stringData with placeholders, not data`);
    const leaves = (node: unknown): string[] =>
      isPlainObject(node) ? Object.values(node).flatMap(leaves) : [String(node ?? '')];
    for (const [key, value] of Object.entries(s.doc['stringData'] ?? {})) {
      const parsed = typeof value === 'string' && value.includes('\n') ? parseYaml(value) : value;
      for (const leaf of leaves(parsed))
        if (leaf !== '' && !leaf.startsWith('PLACEHOLDER'))
          problems.push(`${label(s)} ${key}: a value that is not a PLACEHOLDER`);
    }
  }
  return problems;
}

/**
 * A ClusterInterceptor labelled `server/type: https` must carry its caBundle in the same object: with an empty
 * one, every EventListener in the cluster fails to start. In an overlay, the caBundle may come from a
 * `replacements` entry targeting it.
 */
export function checkInterceptorTls(manifests: Manifest[], caBundleReplaced = false): string[] {
  return ofKind(manifests, 'ClusterInterceptor')
    .filter((ci) => ci.doc['metadata']?.['labels']?.['server/type'] === 'https')
    .filter((ci) => !ci.doc['spec']?.['clientConfig']?.['caBundle'] && !caBundleReplaced)
    .map((ci) => `${label(ci)} is labelled server/type: https without a caBundle`);
}

/**
 * Kustomizations under `dir`: what they list exists; every manifest file is listed by one of them, except
 * `*.template.yaml` files, which none may list (they hold placeholders) and the README must name.
 */
export function checkKustomizations(dir: string, readme: string): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  const kustomizations = filesUnder(dir, ['.yaml', '.yml']).filter((f) =>
    /(^|\/)kustomization\.ya?ml$/.test(f),
  );
  for (const k of kustomizations) {
    const doc = parseYaml(readFileSync(join(dir, k), 'utf8')) as Doc;
    const base = dirname(k);
    const entries: string[] = [
      ...(doc['resources'] ?? []),
      ...(doc['components'] ?? []),
      ...(doc['configurations'] ?? []),
      ...(doc['patches'] ?? []).flatMap((p: Doc) => (p['path'] ? [p['path']] : [])),
    ];
    for (const entry of entries) {
      const path = normalize(join(base, entry));
      const isDir = existsSync(join(dir, path, 'kustomization.yaml'));
      if (!isDir && !existsSync(join(dir, path))) problems.push(`${k} lists ${entry}, which does not exist`);
      listed.add(path);
    }
    // Generator inputs an operator creates (ca-bundle.b64) are not in the repository: the README says how.
    for (const gen of [...(doc['configMapGenerator'] ?? []), ...(doc['secretGenerator'] ?? [])])
      for (const file of gen['files'] ?? []) {
        const name = String(file).split('=').pop() as string;
        if (!readme.includes(name))
          problems.push(`${k} generates from ${name}, which the README does not explain`);
      }
  }
  for (const file of filesUnder(dir, ['.yaml', '.yml'])) {
    if (isKustomizeFile(file) && !file.endsWith('kustomizeconfig.yaml')) continue;
    if (file.endsWith('.template.yaml')) {
      if (listed.has(file))
        problems.push(`${file} is a template with placeholders, yet a kustomization applies it`);
      if (!readme.includes(file.split('/').pop() as string))
        problems.push(`${file}: the README does not say what to do with it`);
    } else if (!listed.has(file)) problems.push(`${file} is in no kustomization`);
  }
  return problems;
}
