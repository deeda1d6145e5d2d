import { isPlainObject } from '../../src/core/document';
import { schemaValidator, strictProblems } from './strict-schema';

/**
 * The fields of Tekton's objects, from their Go types' json tags: Pipelines' tekton.dev/v1
 * (pkg/apis/pipeline/v1, as of v1.0) and Triggers' triggers.tekton.dev/v1beta1 and the v1alpha1
 * ClusterInterceptor (pkg/apis/triggers, as of v0.37). No npm package carries Tekton's schemas; these are
 * transcribed, and what Tekton embeds from Kubernetes (a step's env, securityContext, resources, volumes …) is
 * checked with the Kubernetes schemas themselves. Unknown fields are refused, required ones demanded.
 */
export type FieldType =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'any' // free-form: a param value, a taskSpec, a resource template (checked on its own)
  | { k8s: string } // an OpenAPI definition of kubernetes-models
  | { list: FieldType }
  | Shape;
export interface Shape {
  fields: Record<string, FieldType>;
  required?: string[];
}

const S = 'string' as const;
const list = (of: FieldType) => ({ list: of });
const k8s = (name: string) => ({ k8s: `IoK8sApiCoreV1${name}` });
const objectMeta = { k8s: 'IoK8sApimachineryPkgApisMetaV1ObjectMeta' };

const paramSpec: Shape = {
  fields: { name: S, type: S, description: S, properties: 'any', default: 'any', enum: list(S) },
  required: ['name'],
};
const param: Shape = { fields: { name: S, value: 'any' }, required: ['name', 'value'] };
const containerish = {
  image: S,
  command: list(S),
  args: list(S),
  workingDir: S,
  env: list(k8s('EnvVar')),
  envFrom: list(k8s('EnvFromSource')),
  computeResources: k8s('ResourceRequirements'),
  volumeMounts: list(k8s('VolumeMount')),
  volumeDevices: list(k8s('VolumeDevice')),
  imagePullPolicy: S,
  securityContext: k8s('SecurityContext'),
};
const step: Shape = {
  fields: {
    ...containerish,
    name: S,
    script: S,
    timeout: S,
    workspaces: list({ fields: { name: S, mountPath: S }, required: ['name'] }),
    onError: S,
    stdoutConfig: { fields: { path: S } },
    stderrConfig: { fields: { path: S } },
    params: list(param),
    results: list('any'),
    ref: 'any',
    when: 'any',
  },
};
const taskSpec: Shape = {
  fields: {
    displayName: S,
    description: S,
    params: list(paramSpec),
    steps: list(step),
    stepTemplate: { fields: containerish },
    sidecars: list('any'),
    volumes: list(k8s('Volume')),
    workspaces: list({
      fields: { name: S, description: S, mountPath: S, readOnly: 'boolean', optional: 'boolean' },
      required: ['name'],
    }),
    results: list({
      fields: { name: S, type: S, properties: 'any', description: S, value: 'any' },
      required: ['name'],
    }),
  },
  required: ['steps'],
};
const when = list({ fields: { input: S, operator: S, values: list(S), cel: S } });
const pipelineTask: Shape = {
  fields: {
    name: S,
    displayName: S,
    description: S,
    taskRef: { fields: { name: S, kind: S, apiVersion: S, resolver: S, params: list(param) } },
    taskSpec: 'any',
    pipelineRef: 'any',
    pipelineSpec: 'any',
    when,
    retries: 'integer',
    runAfter: list(S),
    params: list(param),
    matrix: 'any',
    workspaces: list({ fields: { name: S, workspace: S, subPath: S }, required: ['name'] }),
    timeout: S,
    onError: S,
  },
  required: ['name'],
};
const pipelineSpec: Shape = {
  fields: {
    displayName: S,
    description: S,
    params: list(paramSpec),
    tasks: list(pipelineTask),
    finally: list(pipelineTask),
    workspaces: list({ fields: { name: S, description: S, optional: 'boolean' }, required: ['name'] }),
    results: list('any'),
  },
};
const pipelineRunSpec: Shape = {
  fields: {
    pipelineRef: { fields: { name: S, apiVersion: S, resolver: S, params: list(param) } },
    pipelineSpec: 'any',
    params: list(param),
    status: S,
    timeouts: 'any',
    taskRunTemplate: 'any',
    taskRunSpecs: list('any'),
    workspaces: list({
      fields: {
        name: S,
        subPath: S,
        volumeClaimTemplate: k8s('PersistentVolumeClaim'),
        persistentVolumeClaim: k8s('PersistentVolumeClaimVolumeSource'),
        emptyDir: k8s('EmptyDirVolumeSource'),
        configMap: k8s('ConfigMapVolumeSource'),
        secret: k8s('SecretVolumeSource'),
        projected: k8s('ProjectedVolumeSource'),
        csi: k8s('CSIVolumeSource'),
      },
      required: ['name'],
    }),
  },
};
const interceptor: Shape = {
  fields: {
    name: S,
    ref: { fields: { name: S, kind: S, apiVersion: S } },
    params: list(param),
    webhook: {
      fields: {
        objectRef: k8s('ObjectReference'),
        url: S,
        header: list(param),
      },
    },
  },
};
const eventListenerSpec: Shape = {
  fields: {
    serviceAccountName: S,
    triggers: list({
      fields: {
        name: S,
        bindings: list({ fields: { name: S, value: S, ref: S, kind: S, apiversion: S } }),
        template: { fields: { ref: S, apiversion: S, spec: 'any' } },
        triggerRef: S,
        interceptors: list(interceptor),
        serviceAccountName: S,
      },
    }),
    triggerGroups: list('any'),
    namespaceSelector: 'any',
    labelSelector: 'any',
    resources: 'any',
    cloudEventURI: S,
  },
};

const object = (spec: Shape): Shape => ({
  fields: { apiVersion: S, kind: S, metadata: objectMeta, spec },
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
});

/** The Tekton kinds slackline's manifests use, by `apiVersion/kind`. */
export const TEKTON_TYPES: Record<string, Shape> = {
  'tekton.dev/v1/Task': object(taskSpec),
  'tekton.dev/v1/Pipeline': object(pipelineSpec),
  'tekton.dev/v1/PipelineRun': object(pipelineRunSpec),
  'triggers.tekton.dev/v1beta1/EventListener': object(eventListenerSpec),
  'triggers.tekton.dev/v1beta1/TriggerBinding': object({ fields: { params: list(param) } }),
  'triggers.tekton.dev/v1beta1/TriggerTemplate': object({
    fields: {
      params: list({ fields: { name: S, description: S, default: S }, required: ['name'] }),
      resourcetemplates: list('any'),
    },
  }),
  'triggers.tekton.dev/v1alpha1/ClusterInterceptor': object({
    fields: {
      clientConfig: {
        fields: {
          caBundle: S,
          url: S,
          service: {
            fields: { namespace: S, name: S, path: S, port: 'integer' },
            required: ['namespace', 'name'],
          },
        },
      },
    },
  }),
};

/** What is wrong with `value` as a `type`: unknown or missing fields, wrong types, embedded Kubernetes types. */
export function fieldProblems(type: FieldType, value: unknown, path: string): string[] {
  if (type === 'any') return [];
  if (type === 'string' || type === 'boolean') return typeof value === type ? [] : [`${path}: not a ${type}`];
  if (type === 'integer') return Number.isInteger(value) ? [] : [`${path}: not an integer`];
  if ('k8s' in type) return strictProblems(schemaValidator(type.k8s as string), value, path);
  if ('list' in type)
    return Array.isArray(value)
      ? value.flatMap((item, i) => fieldProblems(type.list, item, `${path}/${i}`))
      : [`${path}: not a list`];
  if (!isPlainObject(value)) return [`${path}: not a mapping`];
  const problems = (type.required ?? [])
    .filter((f) => value[f] === undefined)
    .map((f) => `${path}/${f}: required`);
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields[key];
    if (!field) problems.push(`${path}/${key}: unknown field`);
    else problems.push(...fieldProblems(field, v, `${path}/${key}`));
  }
  return problems;
}
