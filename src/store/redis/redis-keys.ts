/**
 * The gateway's own keys, after any key prefix. They share one hash tag, `{slackline}`, so that the scripts that
 * touch several of them (acknowledging an intake entry and scheduling its delivery) stay in one slot.
 */
export const INTAKE_STREAM = 'slackline:{slackline}:intake';
export const INTAKE_GROUP = 'slackline';
export const OUTBOX = 'slackline:{slackline}:outbox';
/** What left the outbox in the last day, so that a late "unless it is there" does not bring it back. */
export const OUTBOX_DONE = 'slackline:{slackline}:outbox-done';
export const OUTBOX_DONE_MEMORY_MS = 24 * 60 * 60_000;
/** The choices with deadline steps still to do, scored by when the next is due (see deadline-schedule.ts). */
export const DEADLINES = 'slackline:{slackline}:deadlines';

export function seenKey(requestKey: string): string {
  return `slackline:{slackline}:seen:${requestKey}`;
}
