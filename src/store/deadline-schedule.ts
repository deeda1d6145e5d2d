import type { ChoiceRef } from '../core/choice/choice-record';

/**
 * When each choice with a ladder of deadline steps (see core/choice/deadline-steps.ts) next needs looking at:
 * one entry per choice, due when its next step is. A claim moves an entry's due time to the end of a lease, as
 * in the outbox: whoever holds it works the steps, and if it dies the entry is due again when the lease ends.
 * Unlike the outbox, times are the caller's clock (the gateway's `now()`), because a step is due at a time the
 * choice record states (when it was offered, plus its `after`), and tests move that clock.
 */
export interface DeadlineSchedule {
  /** Due at `atMs`, replacing any time (or lease) it had. */
  schedule(choice: ChoiceRef, atMs: number): Promise<void>;
  /** Up to `max` entries due at `nowMs`, each leased until `nowMs + leaseMs`. */
  claimDue(nowMs: number, leaseMs: number, max: number): Promise<ChoiceRef[]>;
  /** No step is left: no longer scheduled. */
  done(choice: ChoiceRef): Promise<void>;
  /** Entries scheduled, due or not. */
  size(): Promise<number>;
}

/** The entry's name: JSON, so that ids holding any character round-trip. */
export function deadlineMember(choice: ChoiceRef): string {
  return JSON.stringify([choice.contextId, choice.choiceId]);
}

/** Undefined for a name no version of slackline wrote. */
export function deadlineRef(member: string): ChoiceRef | undefined {
  try {
    const parts: unknown = JSON.parse(member);
    if (Array.isArray(parts) && parts.length === 2 && parts.every((p) => typeof p === 'string'))
      return { contextId: parts[0] as string, choiceId: parts[1] as string };
  } catch {
    // not one of ours
  }
  return undefined;
}
