import { randomUUID } from 'node:crypto';

/**
 * CloudEvents shaped as Tekton Pipelines' controller sends them (pkg/reconciler/events/cloudevent): type
 * `dev.tekton.event.<pipelinerun|taskrun>.<state>.v1`, a fresh uuid id, the run's name as subject, a source
 * built from the object's (empty, on the controller's informer copies) group/version/kind, the time of sending,
 * and as data `{"pipelineRun": …}` or `{"taskRun": …}`, the object converted to tekton.dev/v1beta1. Binary
 * mode is what its sender uses; structured mode is accepted too.
 */
export interface SampleRun {
  namespace: string;
  name: string;
  uid: string;
  pipeline: string;
  /** Set as the annotation the example TriggerTemplates set; undefined: a run not linked to any context. */
  contextId: string | undefined;
}

export type SampleState = 'queued' | 'started' | 'running' | 'unknown' | 'successful' | 'failed';

export interface SampleTimes {
  /** When Tekton sent the event (ce-time) and the condition's lastTransitionTime. */
  at: string;
  startTime?: string;
  completionTime?: string;
  /** The Succeeded condition's reason; defaults follow Tekton's (Started, Running, Succeeded, Failed). */
  reason?: string;
  message?: string;
}

export interface SampleEvent {
  type: string;
  subject: string;
  source: string;
  time: string;
  data: Record<string, unknown>;
}

export function sampleRun(
  contextId: string | undefined,
  name = `example-build-${randomUUID().slice(0, 5)}`,
): SampleRun {
  return { namespace: 'slackline', name, uid: randomUUID(), pipeline: 'example-build', contextId };
}

export function pipelineRunEvent(run: SampleRun, state: SampleState, times: SampleTimes): SampleEvent {
  const object = {
    apiVersion: 'tekton.dev/v1beta1',
    kind: 'PipelineRun',
    metadata: {
      name: run.name,
      namespace: run.namespace,
      uid: run.uid,
      generateName: `${run.pipeline}-`,
      labels: { 'tekton.dev/pipeline': run.pipeline, 'app.kubernetes.io/part-of': 'slackline' },
      annotations: annotations(run),
    },
    spec: { pipelineRef: { name: run.pipeline }, serviceAccountName: 'default', timeout: '1h0m0s' },
    status: status(state, times, 'PipelineRun'),
  };
  return event('pipelinerun', state, run.name, run.namespace, times.at, { pipelineRun: object });
}

export function taskRunEvent(
  run: SampleRun,
  task: string,
  state: SampleState,
  times: SampleTimes,
): SampleEvent {
  const name = `${run.name}-${task}`;
  const object = {
    apiVersion: 'tekton.dev/v1beta1',
    kind: 'TaskRun',
    metadata: {
      name,
      namespace: run.namespace,
      uid: randomUUID(),
      // Tekton copies the PipelineRun's labels and annotations to its TaskRuns, and adds its own.
      labels: {
        'app.kubernetes.io/managed-by': 'tekton-pipelines',
        'app.kubernetes.io/part-of': 'slackline',
        'tekton.dev/memberOf': 'tasks',
        'tekton.dev/pipeline': run.pipeline,
        'tekton.dev/pipelineRun': run.name,
        'tekton.dev/pipelineRunUID': run.uid,
        'tekton.dev/pipelineTask': task,
        'tekton.dev/task': `example-${task}`,
      },
      annotations: annotations(run),
      ownerReferences: [
        {
          apiVersion: 'tekton.dev/v1',
          kind: 'PipelineRun',
          name: run.name,
          uid: run.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      taskRef: { name: `example-${task}`, kind: 'Task' },
      serviceAccountName: 'default',
      timeout: '1h0m0s',
    },
    status: { ...status(state, times, 'TaskRun'), podName: `${name}-pod` },
  };
  return event('taskrun', state, name, run.namespace, times.at, { taskRun: object });
}

/** Binary content mode, as Tekton's sender (cloudevents/sdk-go over HTTP) posts it. */
export function binaryRequest(e: SampleEvent): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'ce-specversion': '1.0',
      'ce-id': randomUUID(),
      'ce-source': e.source,
      'ce-type': e.type,
      'ce-subject': e.subject,
      'ce-time': e.time,
      'content-type': 'application/json',
    },
    body: JSON.stringify(e.data),
  };
}

export function structuredRequest(e: SampleEvent): { headers: Record<string, string>; body: string } {
  const envelope = {
    specversion: '1.0',
    id: randomUUID(),
    source: e.source,
    type: e.type,
    subject: e.subject,
    time: e.time,
    datacontenttype: 'application/json',
    data: e.data,
  };
  return { headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(envelope) };
}

function event(
  kind: string,
  state: SampleState,
  name: string,
  namespace: string,
  at: string,
  data: Record<string, unknown>,
): SampleEvent {
  return {
    type: `dev.tekton.event.${kind}.${state}.v1`,
    subject: name,
    source: `/apis///namespaces/${namespace}//${name}`,
    time: at,
    data,
  };
}

function annotations(run: SampleRun): Record<string, string> {
  return run.contextId === undefined ? {} : { 'slackline.dev/context-id': run.contextId };
}

const CONDITION: Record<SampleState, { status: string; reason: string } | undefined> = {
  queued: undefined,
  started: { status: 'Unknown', reason: 'Started' },
  running: { status: 'Unknown', reason: 'Running' },
  unknown: { status: 'Unknown', reason: 'Pending' },
  successful: { status: 'True', reason: 'Succeeded' },
  failed: { status: 'False', reason: 'Failed' },
};

function status(state: SampleState, times: SampleTimes, kind: string): Record<string, unknown> {
  const condition = CONDITION[state];
  if (!condition) return {};
  return {
    conditions: [
      {
        type: 'Succeeded',
        status: condition.status,
        reason: times.reason ?? condition.reason,
        message: times.message ?? `${kind} is ${state}`,
        lastTransitionTime: times.at,
      },
    ],
    ...(times.startTime ? { startTime: times.startTime } : {}),
    ...(times.completionTime ? { completionTime: times.completionTime } : {}),
  };
}
