import type { RunCardRecord, RunStatus } from './run-card-record';
import { isNewer, type RunEvent } from './run-event';

/**
 * Lays one event onto a card. Each run keeps only its newest report (run-event.ts's isNewer), so events that
 * arrive late, or twice, leave the card as the newest one made it: a finished run stays finished.
 */
export function mergeRunEvent(card: RunCardRecord, event: RunEvent): RunCardRecord {
  const status: RunStatus = {
    state: event.state,
    reason: event.reason,
    message: event.message,
    startTime: event.startTime,
    completionTime: event.completionTime,
    order: event.order,
  };
  const next: RunCardRecord = { ...card, tasks: { ...card.tasks } };
  next.pipeline ??= event.pipeline;
  if (event.kind === 'pipelinerun') {
    if (isNewer(event.order, card.run?.order)) next.run = status;
  } else if (event.task) {
    if (isNewer(event.order, card.tasks[event.task]?.order)) next.tasks[event.task] = status;
  }
  return next;
}

export function newRunCard(event: RunEvent): RunCardRecord {
  return {
    pipelineRun: event.pipelineRunName,
    pipeline: event.pipeline,
    run: null,
    tasks: {},
    channel: null,
    threadTs: null,
    ts: null,
    claim: null,
  };
}
