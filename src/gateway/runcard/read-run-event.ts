import { isPlainObject } from '../../core/document';
import type { EventOrder, RunEvent, RunState } from './run-event';
import { stateRank } from './run-event';
import { BadCloudEvent, type TektonCloudEvent } from './tekton-cloud-event';

type Raw = Record<string, unknown>;

const TYPE =
  /^dev\.tekton\.event\.(pipelinerun|taskrun)\.(queued|started|running|unknown|successful|failed)\.v1$/;

/**
 * Where a run names its context: slackline's own key, then cicdstatemgr's parameter name, as a label or an
 * annotation (an annotation when the id is longer than a label value may be). Tekton copies a PipelineRun's
 * labels and annotations to its TaskRuns, so both carry it.
 */
export const CONTEXT_ID_KEYS = ['slackline.dev/context-id', 'cicdContextDataId'];

/** The run a Tekton event reports on; undefined for a type the card does not show (CustomRuns). */
export function readRunEvent(event: TektonCloudEvent): RunEvent | undefined {
  const match = TYPE.exec(event.type);
  if (!match) return undefined;
  const kind = match[1] as RunEvent['kind'];
  const state = match[2] as RunState;
  const data = isPlainObject(event.data) ? event.data : {};
  const object = data[kind === 'pipelinerun' ? 'pipelineRun' : 'taskRun'];
  if (!isPlainObject(object)) {
    throw new BadCloudEvent(
      `a ${event.type} event must carry {"${kind === 'pipelinerun' ? 'pipelineRun' : 'taskRun'}": {...}}`,
    );
  }
  const metadata = raw(object['metadata']);
  const labels = raw(metadata['labels']);
  const status = raw(object['status']);
  const condition = succeeded(status);
  const owner = kind === 'taskrun' ? pipelineRunOwner(metadata, labels) : undefined;
  const uid = kind === 'pipelinerun' ? text(metadata['uid']) : owner?.uid;
  const name = kind === 'pipelinerun' ? text(metadata['name']) : owner?.name;
  // A TaskRun outside any PipelineRun has no card to be on.
  if (!uid || !name) {
    if (kind === 'pipelinerun')
      throw new BadCloudEvent('the PipelineRun has no metadata.uid or metadata.name');
    return undefined;
  }
  const order: EventOrder = {
    rank: stateRank(state),
    transitionAt: timeOf(condition['lastTransitionTime']),
    eventAt: timeOf(event.time),
  };
  return {
    kind,
    state,
    pipelineRunUid: uid,
    pipelineRunName: name,
    contextId: contextIdOf(labels, raw(metadata['annotations'])),
    order,
    reason: text(condition['reason']) ?? null,
    message: text(condition['message'])?.slice(0, 500) ?? null,
    startTime: text(status['startTime']) ?? null,
    completionTime: text(status['completionTime']) ?? null,
    pipeline:
      text(labels['tekton.dev/pipeline']) ?? text(raw(raw(object['spec'])['pipelineRef'])['name']) ?? null,
    task:
      kind === 'taskrun' ? (text(labels['tekton.dev/pipelineTask']) ?? text(metadata['name']) ?? null) : null,
  };
}

function pipelineRunOwner(metadata: Raw, labels: Raw): { uid?: string; name?: string } {
  const refs = Array.isArray(metadata['ownerReferences']) ? metadata['ownerReferences'] : [];
  const ref = refs.map(raw).find((r) => r['kind'] === 'PipelineRun');
  return {
    uid: text(ref?.['uid']) ?? text(labels['tekton.dev/pipelineRunUID']),
    name: text(ref?.['name']) ?? text(labels['tekton.dev/pipelineRun']),
  };
}

function contextIdOf(labels: Raw, annotations: Raw): string | undefined {
  for (const key of CONTEXT_ID_KEYS) {
    const id = text(labels[key]) ?? text(annotations[key]);
    if (id) return id;
  }
  return undefined;
}

function succeeded(status: Raw): Raw {
  const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];
  return conditions.map(raw).find((c) => c['type'] === 'Succeeded') ?? {};
}

function timeOf(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function raw(value: unknown): Raw {
  return isPlainObject(value) ? value : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
