import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpYaml } from '../../src/compat/yaml/yaml';
import { schemaValidator, strictProblems } from './strict-schema';
import { fieldProblems, TEKTON_TYPES } from './tekton-types';
import { label, type Doc, type Manifest } from './tekton-manifests';

/** The OpenAPI definition of each Kubernetes kind the manifests use (kubernetes-models, prometheus-operator). */
const SCHEMAS: Record<string, string> = {
  'v1/ConfigMap': 'IoK8sApiCoreV1ConfigMap',
  'v1/Secret': 'IoK8sApiCoreV1Secret',
  'v1/Service': 'IoK8sApiCoreV1Service',
  'v1/ServiceAccount': 'IoK8sApiCoreV1ServiceAccount',
  'v1/PersistentVolumeClaim': 'IoK8sApiCoreV1PersistentVolumeClaim',
  'apps/v1/Deployment': 'IoK8sApiAppsV1Deployment',
  'apps/v1/StatefulSet': 'IoK8sApiAppsV1StatefulSet',
  'networking.k8s.io/v1/NetworkPolicy': 'IoK8sApiNetworkingV1NetworkPolicy',
  'policy/v1/PodDisruptionBudget': 'IoK8sApiPolicyV1PodDisruptionBudget',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'IoK8sApiRbacV1RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'IoK8sApiRbacV1ClusterRoleBinding',
  'monitoring.coreos.com/v1/ServiceMonitor': 'MonitoringCoreosComV1ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule': 'MonitoringCoreosComV1PrometheusRule',
};

/**
 * Every problem the maintained schemas find in one object, unknown fields included: Kubernetes kinds with the
 * real OpenAPI schemas, Tekton kinds with the fields of Tekton's Go types (and a TriggerTemplate's resource
 * templates as objects of their own). A kind with neither is a problem too: nothing goes unchecked.
 */
export function schemaProblems(m: Manifest): string[] {
  const doc = m.doc;
  const key = `${doc['apiVersion']}/${doc['kind']}`;
  const where = `${label(m)} `;
  if (SCHEMAS[key]) return strictProblems(schemaValidator(SCHEMAS[key]), doc, where);
  const tekton = TEKTON_TYPES[key];
  if (!tekton) return [`${label(m)}: no schema for ${key}`];
  const problems = fieldProblems(tekton, doc, where);
  if (doc['kind'] === 'TriggerTemplate')
    for (const [i, r] of (doc['spec']?.['resourcetemplates'] ?? []).entries()) {
      const key = `${r['apiVersion']}/${r['kind']}`;
      const type = TEKTON_TYPES[key];
      if (!type) problems.push(`${where}/spec/resourcetemplates/${i}: no schema for ${key}`);
      // A resource template's metadata has generateName and no name yet: Triggers names it.
      else problems.push(...fieldProblems(type, r, `${where}/spec/resourcetemplates/${i}`));
    }
  return problems;
}

/**
 * Rules of @ibm/tekton-lint (Tekton's maintained linter) this project does not follow, and why. Every other rule
 * applies at its default level, and a warning fails as an error does.
 */
export const TEKTON_LINT_RULES: Record<string, 'off'> = {
  // The Tasks' params keep cicdstatemgr's camelCase names (cicdContextDataId, …): existing Pipelines pass them.
  'prefer-kebab-case': 'off',
};

/** tekton-lint's findings on `manifests` (written to a temp file, as the linter reads files), as text. */
export async function tektonLintProblems(manifests: Manifest[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'slackline-tekton-lint-'));
  try {
    const file = join(dir, 'manifests.yaml');
    writeFileSync(file, manifests.map((m) => dumpYaml(m.doc)).join('---\n'));
    writeFileSync(join(dir, '.tektonlintrc.yaml'), dumpYaml({ rules: TEKTON_LINT_RULES }));
    // Its cache of external Tasks (none are configured, so nothing is fetched) goes to the temp dir too.
    process.env['TL_CACHE_DIR'] = join(dir, 'cache');
    const { Config, Linter } = await import('@ibm/tekton-lint');
    const problems: Doc[] = await Linter.run(new Config({ _: [file], config: dir, format: 'json' }));
    return problems.map((p) => `${p['level']} ${p['rule']}: ${p['message']}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
