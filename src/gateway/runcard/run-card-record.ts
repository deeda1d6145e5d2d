import type { EventOrder, RunState } from './run-event';

/** Where run cards live in the context document: `state.runCards.<pipelineRunUid>`. */
export const RUN_CARDS_PATH = ['state', 'runCards'] as const;

/** The latest that is known of a PipelineRun or a TaskRun, and how new that knowledge is. */
export interface RunStatus {
  state: RunState;
  reason: string | null;
  message: string | null;
  startTime: string | null;
  completionTime: string | null;
  order: EventOrder;
}

/**
 * One PipelineRun's Slack message and what it shows, kept in the context document so that every replica, and
 * a restarted gateway, update the same message. `claim` is set by whoever is posting it, before the post: a
 * second writer sees it and does not post again.
 */
export interface RunCardRecord {
  pipelineRun: string;
  pipeline: string | null;
  /** Unset until the first event about the PipelineRun itself (TaskRun events may come first). */
  run: RunStatus | null;
  /** Keyed by pipeline task name, in the order first seen. */
  tasks: Record<string, RunStatus>;
  channel: string | null;
  threadTs: string | null;
  ts: string | null;
  claim: { token: string; at: string } | null;
}
