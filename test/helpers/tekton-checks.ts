import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { isPlainObject } from '../../src/core/document';
import { parseYaml } from '../../src/core/yaml';
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
 * Static checks of Kubernetes and Tekton manifests. Each returns the problems it found (empty: none), so a test
 * can show on a small bad fixture that it does find them.
 */

/** The apiVersion of every kind slackline's manifests may use: the current one, nothing older. */
export const API_VERSIONS: Record<string, string> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  PersistentVolumeClaim: 'v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
  ServiceMonitor: 'monitoring.coreos.com/v1',
  PrometheusRule: 'monitoring.coreos.com/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Task: 'tekton.dev/v1',
  Pipeline: 'tekton.dev/v1',
  PipelineRun: 'tekton.dev/v1',
  EventListener: 'triggers.tekton.dev/v1beta1',
  TriggerBinding: 'triggers.tekton.dev/v1beta1',
  TriggerTemplate: 'triggers.tekton.dev/v1beta1',
  ClusterInterceptor: 'triggers.tekton.dev/v1alpha1',
};
const CLUSTER_SCOPED = new Set(['ClusterInterceptor', 'ClusterRoleBinding', 'ClusterRole']);

export function checkApiVersions(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const check = (doc: Doc, where: string) => {
    const expected = API_VERSIONS[doc['kind']];
    if (!expected) problems.push(`${where}: unknown kind ${doc['kind']}`);
    else if (doc['apiVersion'] !== expected)
      problems.push(`${where}: ${doc['kind']} is ${expected}, not ${doc['apiVersion']}`);
  };
  for (const m of manifests) {
    check(m.doc, label(m));
    if (!nameOf(m)) problems.push(`${m.file}: a ${m.doc['kind']} without metadata.name`);
    for (const r of m.doc['spec']?.['resourcetemplates'] ?? []) check(r, `${label(m)} resourcetemplate`);
  }
  return problems;
}

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
 * `$(params.x)`, `$(workspaces.x.path)` and `$(results.x.path)` in a Task name what it declares, and
 * `$(tt.params.x)` in a TriggerTemplate; declared params are all used (an unused one is a binding that does
 * nothing). In a Pipeline: params, and `$(tasks.t.results.r)` / `$(tasks.t.status)` name its tasks and their
 * Tasks' results.
 */
export function checkParams(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const usage = (m: Manifest, prefix: string, declared: string[], noun: string, body: unknown) => {
    const used = refs(JSON.stringify(body), prefix);
    for (const x of difference(used, declared))
      problems.push(`${label(m)} uses $(${prefix}.${x}), not declared`);
    if (noun === 'param')
      for (const x of difference(declared, used))
        problems.push(`${label(m)} declares ${noun} ${x}, never used`);
  };
  for (const m of ofKind(manifests, 'Task')) {
    const { params, workspaces, results, ...body } = m.doc['spec'] ?? {};
    usage(m, 'params', names(params), 'param', body);
    usage(m, 'workspaces', names(workspaces), 'workspace', body);
    usage(m, 'results', names(results), 'result', body);
  }
  for (const m of ofKind(manifests, 'TriggerTemplate')) {
    const { params, ...body } = m.doc['spec'] ?? {};
    usage(m, 'tt.params', names(params), 'param', body);
  }
  const tasks = new Map(ofKind(manifests, 'Task').map((t) => [nameOf(t), t.doc['spec']]));
  for (const m of ofKind(manifests, 'Pipeline')) {
    const { params, workspaces, ...body } = m.doc['spec'] ?? {};
    usage(m, 'params', names(params), 'param', body);
    const ordinary = new Map<string, Doc>((body.tasks ?? []).map((t: Doc) => [t['name'], t]));
    const text = JSON.stringify(body);
    for (const [, task, what, result] of text.matchAll(/\$\(tasks\.([\w-]+)\.(results|status)\.?([\w-]*)/g)) {
      const ref = ordinary.get(task as string);
      if (!ref) problems.push(`${label(m)} reads $(tasks.${task}.${what}), but has no such task`);
      else if (
        what === 'results' &&
        !names(tasks.get(ref['taskRef']?.name)?.results).includes(result as string)
      )
        problems.push(`${label(m)} reads result ${result} of ${task}, which its Task does not declare`);
    }
    for (const t of [...(body.tasks ?? []), ...(body.finally ?? [])]) {
      for (const after of t['runAfter'] ?? [])
        if (!ordinary.has(after)) problems.push(`${label(m)}: ${t['name']} runs after unknown task ${after}`);
      for (const w of t['workspaces'] ?? [])
        if (!names(workspaces).includes(w['workspace']))
          problems.push(`${label(m)}: ${t['name']} binds undeclared workspace ${w['workspace']}`);
    }
  }
  return problems;
}

/**
 * What one object passes another fits what that one declares: a Pipeline's tasks and their Tasks, a
 * PipelineRun (in a TriggerTemplate) and its Pipeline. Every given param is declared, every declared param
 * without a default is given, every required workspace is bound and every bound one declared.
 */
export function checkCalls(manifests: Manifest[]): string[] {
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
  for (const m of ofKind(manifests, 'Pipeline')) {
    for (const t of [...(m.doc['spec']?.['tasks'] ?? []), ...(m.doc['spec']?.['finally'] ?? [])]) {
      const task = specOf('Task', t['taskRef']?.name);
      if (task) fit(`${label(m)} task ${t['name']}`, task, t['params'], t['workspaces']);
    }
  }
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
 * Every image is `slackline` (which the kustomization's `images:` points at the real one) or a third-party
 * image pinned to a tag other than latest.
 */
export function checkImages(manifests: Manifest[], ownImages: string[]): string[] {
  const problems: string[] = [];
  for (const m of manifests) {
    const spec = m.doc['kind'] === 'Deployment' ? m.doc['spec']['template']['spec'] : m.doc['spec'];
    for (const c of [...(spec?.['containers'] ?? []), ...(spec?.['steps'] ?? [])]) {
      const image = String(c['image']);
      if (ownImages.includes(image)) continue;
      const tag = /:([\w.-]+)$/.exec(image.split('/').pop() as string)?.[1];
      if (!tag || tag === 'latest')
        problems.push(`${label(m)} ${c['name']}: image ${image} is not pinned to a tag`);
    }
  }
  return problems;
}

/**
 * Hardened pods: non-root, no privilege escalation, every capability dropped, a read-only root file system and
 * resource requests and a memory limit for Deployments; non-root, no escalation and no capabilities for Task
 * steps (their results and workspaces need a writable file system).
 */
export function checkSecurity(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  for (const d of ofKind(manifests, 'Deployment')) {
    const pod = d.doc['spec']['template']['spec'];
    for (const c of pod['containers'] ?? []) {
      const sc = { ...pod['securityContext'], ...c['securityContext'] };
      const where = `${label(d)} container ${c['name']}`;
      if (sc['runAsNonRoot'] !== true) problems.push(`${where} may run as root`);
      if (sc['readOnlyRootFilesystem'] !== true) problems.push(`${where} has a writable root file system`);
      problems.push(...containerHardening(where, sc));
      if (!c['resources']?.['requests'] || !c['resources']?.['limits']?.['memory'])
        problems.push(`${where} has no resource requests or memory limit`);
    }
  }
  for (const t of ofKind(manifests, 'Task')) {
    for (const s of t.doc['spec']['steps'] ?? []) {
      const sc = { ...t.doc['spec']['stepTemplate']?.['securityContext'], ...s['securityContext'] };
      const where = `${label(t)} step ${s['name']}`;
      if (sc['runAsNonRoot'] !== true) problems.push(`${where} may run as root`);
      problems.push(...containerHardening(where, sc));
    }
  }
  return problems;
}

function containerHardening(where: string, sc: Doc): string[] {
  const problems: string[] = [];
  if (sc['allowPrivilegeEscalation'] !== false) problems.push(`${where} allows privilege escalation`);
  if (!(sc['capabilities']?.['drop'] ?? []).includes('ALL')) problems.push(`${where} keeps capabilities`);
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
