import type { ChoiceRef } from '../../core/choice/choice-record';

/** What an outbox entry points at: a decided choice in a context document, or a slash command's record. */
export type OutboxTarget = ({ kind: 'choice' } & ChoiceRef) | { kind: 'command'; eventId: string };

/** The entry's name in the outbox: JSON, so that ids holding any character round-trip. */
export function outboxRef(target: OutboxTarget): string {
  return target.kind === 'choice'
    ? JSON.stringify(['choice', target.contextId, target.choiceId])
    : JSON.stringify(['command', target.eventId]);
}

/** Undefined for a name no version of slackline wrote. */
export function outboxTarget(ref: string): OutboxTarget | undefined {
  let parts: unknown;
  try {
    parts = JSON.parse(ref);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) return undefined;
  const [kind, first, second] = parts as string[];
  if (kind === 'choice' && first !== undefined && second !== undefined && parts.length === 3) {
    return { kind: 'choice', contextId: first, choiceId: second };
  }
  if (kind === 'command' && first !== undefined && parts.length === 2)
    return { kind: 'command', eventId: first };
  return undefined;
}
