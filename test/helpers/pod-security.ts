import { isPlainObject } from '../../src/core/document';
import type { Doc } from './tekton-manifests';

/** A pod as Kubernetes admits it: its spec's security context and volumes, and its containers. */
export interface PodShape {
  securityContext?: Doc;
  containers: Doc[];
  volumes?: Doc[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}

/** Volume types the `restricted` profile allows. */
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/**
 * What the `restricted` Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards,
 * policy version latest) refuses in a pod, control by control: the baseline controls a manifest can break
 * (host namespaces, privileged, added capabilities, host ports, seccomp Unconfined) and the restricted ones
 * (volume types, privilege escalation, running as non-root and not as UID 0, seccomp RuntimeDefault or
 * Localhost, dropping ALL capabilities and adding only NET_BIND_SERVICE).
 */
export function restrictedProblems(pod: PodShape, where: string): string[] {
  const problems: string[] = [];
  const psc = pod.securityContext ?? {};
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const)
    if (pod[host]) problems.push(`${where}: ${host}`);
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.has(type)) problems.push(`${where}: volume ${v['name']} is ${type}`);
  }
  const seccomp = (sc: Doc | undefined) => sc?.['seccompProfile']?.['type'];
  for (const c of pod.containers) {
    const sc: Doc = c['securityContext'] ?? {};
    const at = `${where} container ${c['name']}`;
    if (sc['privileged']) problems.push(`${at}: privileged`);
    if (sc['allowPrivilegeEscalation'] !== false)
      problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if ((sc['runAsNonRoot'] ?? psc['runAsNonRoot']) !== true)
      problems.push(`${at}: runAsNonRoot is not true`);
    if ((sc['runAsUser'] ?? psc['runAsUser']) === 0) problems.push(`${at}: runAsUser 0`);
    const profile = seccomp(sc) ?? seccomp(psc);
    if (profile !== 'RuntimeDefault' && profile !== 'Localhost')
      problems.push(`${at}: seccompProfile is ${profile ?? 'unset'}, not RuntimeDefault or Localhost`);
    const caps: Doc = isPlainObject(sc['capabilities']) ? sc['capabilities'] : {};
    if (!(caps['drop'] ?? []).includes('ALL')) problems.push(`${at}: capabilities do not drop ALL`);
    for (const added of caps['add'] ?? [])
      if (added !== 'NET_BIND_SERVICE') problems.push(`${at}: adds capability ${added}`);
    for (const p of c['ports'] ?? []) if (p['hostPort']) problems.push(`${at}: hostPort ${p['hostPort']}`);
  }
  return problems;
}

/**
 * What slackline asks beyond `restricted`: a read-only root file system and resources (requests, a memory
 * limit) on every container.
 */
export function hardeningProblems(pod: PodShape, where: string): string[] {
  return pod.containers.flatMap((c) => {
    const at = `${where} container ${c['name']}`;
    const problems: string[] = [];
    if (c['securityContext']?.['readOnlyRootFilesystem'] !== true)
      problems.push(`${at}: writable root file system`);
    const resources = c['resources'] ?? c['computeResources'];
    if (!resources?.['requests'] || !resources?.['limits']?.['memory'])
      problems.push(`${at}: no resource requests or memory limit`);
    return problems;
  });
}

/** The pods a manifest makes: a Deployment's or StatefulSet's template, a Task's TaskRun pod as Tekton builds it. */
export function podsOf(m: { doc: Doc }): PodShape[] {
  const { kind, spec } = m.doc;
  if (kind === 'Deployment' || kind === 'StatefulSet') {
    const pod = spec['template']['spec'];
    return [{ ...pod, containers: [...(pod['initContainers'] ?? []), ...pod['containers']] }];
  }
  if (kind === 'Task') {
    // Tekton makes each step a container, the stepTemplate's fields under the step's own; the Task's volumes
    // are the pod's (with Tekton's own emptyDirs, allowed).
    const template: Doc = spec['stepTemplate'] ?? {};
    const containers = (spec['steps'] ?? []).map((s: Doc) => ({
      ...template,
      ...s,
      securityContext: { ...template['securityContext'], ...s['securityContext'] },
      computeResources: s['computeResources'] ?? template['computeResources'],
    }));
    return [{ containers, volumes: spec['volumes'] }];
  }
  return [];
}
