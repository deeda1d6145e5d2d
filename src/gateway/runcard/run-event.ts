/** The states in Tekton's event types, `dev.tekton.event.<kind>.<state>.v1`. */
export type RunState = 'queued' | 'started' | 'running' | 'unknown' | 'successful' | 'failed';

/** What one Tekton CloudEvent says about a PipelineRun, or about one TaskRun of it. */
export interface RunEvent {
  kind: 'pipelinerun' | 'taskrun';
  state: RunState;
  /** The PipelineRun the card is about (for a TaskRun, its owner). */
  pipelineRunUid: string;
  pipelineRunName: string;
  /** The context document the run is linked to, from a label or annotation; undefined: not linked. */
  contextId: string | undefined;
  /** Which of two reports about the same run is newer: the condition's transition, then the event's time. */
  order: EventOrder;
  /** The Succeeded condition's reason and message (Failed, PipelineRunTimeout, Cancelled…). */
  reason: string | null;
  message: string | null;
  startTime: string | null;
  completionTime: string | null;
  pipeline: string | null;
  /** For a TaskRun: the pipeline task it runs. */
  task: string | null;
}

/** Compared in order: the state's rank (a finished run never goes back), the condition's time, the event's. */
export interface EventOrder {
  rank: number;
  transitionAt: number;
  eventAt: number;
}

const RANK: Record<RunState, number> = {
  queued: 0,
  started: 1,
  running: 2,
  unknown: 2,
  successful: 3,
  failed: 3,
};

export function stateRank(state: RunState): number {
  return RANK[state];
}

export function isTerminal(state: RunState): boolean {
  return RANK[state] === 3;
}

/** True when `a` is a later report than `b` (or the same one repeated, which changes nothing). */
export function isNewer(a: EventOrder, b: EventOrder | undefined): boolean {
  if (!b) return true;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (a.transitionAt !== b.transitionAt) return a.transitionAt > b.transitionAt;
  return a.eventAt >= b.eventAt;
}
