import type { ForwardedEvent } from '../forwarded-event';

/**
 * A choice's life as the context document records it, under `state.offeredChoices.<id>` (offered by
 * manual-choice, src/events/offered-choice.ts) or `state.legacyDecisions.<key>` (a cicdstatemgr 1.2.4 button,
 * see button-choice.ts). The record comes back through YAML and may have been edited by hand: read-choice.ts
 * reads it defensively.
 */
export interface ChoiceRecord {
  id: string;
  pipeline: string;
  event: string;
  handler: string;
  title: string;
  /** Where a decision is forwarded: a gateway route name or a URL; an option's own `route` wins. */
  route: string | null;
  options: (DecidedOption & Record<string, unknown>)[];
  channel: string | null;
  messageTs: string | null;
  threadTs: string | null;
  postedAt: string;
  allowedUsers: string[];
  allowedGroups: string[];
  approvalsNeeded: number;
  excludeInitiator: boolean;
  initiator: string | null;
  expiresAt: string | null;
  status: 'open' | 'decided' | 'expired';
  votes: Vote[];
  decision: Decision | null;
  audit?: AuditEntry[];
  /** The choice's ladder of deadline steps, in order (deadline-steps.ts); absent when it declared none. */
  deadlines?: DeadlineStep[];
}

/**
 * One step of a choice's ladder, due at `at` (when it was offered, plus the step's `after`). `doneAt` is written
 * in the same atomic update as the step's effect, so a step is done once whatever crashes or runs twice.
 */
export interface DeadlineStep {
  at: string;
  action: 'remind' | 'escalate' | 'default' | 'expire';
  /** remind: a note added to the reminder */
  note?: string;
  /** escalate: who may decide from then on, besides those allowed already */
  allowedUsers?: string[];
  allowedGroups?: string[];
  /** default: the option value the deadline decides */
  value?: string;
  doneAt?: string;
  /** a reminder that was due together with the deadline itself, and so not posted */
  skipped?: boolean;
}

/** `Decision.decidedBy` of a choice its deadline decided (no Slack user id looks like it). */
export const DECIDED_BY_DEADLINE = 'deadline';

export interface DecidedOption {
  group: string;
  header: string;
  text: string;
  value: string;
  style: string | null;
}

export interface Vote {
  user: string;
  value: string;
  at: string;
  /** what the voter answered in the option's modal, when it declares inputs (choice-inputs.ts) */
  inputs?: Record<string, string>;
}

/**
 * The decision and its delivery are one record (the outbox): the event to send, and how sending it went. It is
 * sent until delivered or until its deadline, then it is undelivered, and a click on the decided option may ask
 * for it again.
 */
export interface Decision {
  choiceId: string;
  option: DecidedOption;
  /** the user whose vote reached the quorum, or DECIDED_BY_DEADLINE */
  decidedBy: string;
  /** every user whose vote counted for the option, in the order they voted */
  approvers: string[];
  decidedAt: string;
  message: { channel: string; ts: string };
  delivery: Delivery;
  /** What every attempt sends, so that every copy carries the same id; absent in records of earlier versions. */
  event?: ForwardedEvent;
  /** the deciding user's answers to the option's inputs; absent when the option declares none */
  inputs?: Record<string, string>;
}

export type Delivery = PendingDelivery | DeliveredDelivery | UndeliveredDelivery;

export interface PendingDelivery {
  status: 'pending';
  /** attempts made so far */
  attempts: number;
  since: string;
  /** no attempt is started after this; the delivery is then undelivered */
  deadline: string;
  /** when the next attempt is due, after a failed one */
  nextAttemptAt?: string;
  lastError?: string;
  route?: string;
}

export interface DeliveredDelivery {
  status: 'delivered';
  attempts: number;
  /** the EventListener's own eventID, the handle to find what it started */
  eventId: string | null;
  at: string;
  route: string;
}

export interface UndeliveredDelivery {
  status: 'undelivered';
  attempts: number;
  error: string;
  at: string;
  route: string;
}

export type AuditAction =
  | 'voted'
  | 'decided'
  | 'refused'
  | 'expired'
  | 'redeliver'
  | 'delivered'
  | 'undelivered'
  /** a deadline step: a reminder posted, the allow-lists widened */
  | 'reminded'
  | 'escalated'
  /** written by versions before the outbox, for a delivery that failed its retries */
  | 'delivery-failed';

/** `user` is null for what slackline records on its own (a delivery's outcome). */
export interface AuditEntry {
  at: string;
  user: string | null;
  action: AuditAction;
  value?: string;
  reason?: RefusalReason;
  eventId?: string | null;
  error?: string;
  /** escalated: who was allowed */
  allowed?: string[];
  /** the answers given with a vote or decision on an option with inputs */
  inputs?: Record<string, string>;
}

export type RefusalReason =
  | 'no-choice'
  | 'unknown-option'
  | 'expired'
  | 'already-decided'
  | 'delivery-in-progress'
  | 'not-allowed'
  | 'initiator-excluded'
  | 'already-voted'
  | 'undeliverable'
  /** a click on an option with inputs that came without them (its modal could not be opened) */
  | 'inputs-required'
  /** a submission whose answers the option's inputs do not accept */
  | 'invalid-inputs';

/** Where a decision lives: the context document and the choice's id in it. */
export interface ChoiceRef {
  contextId: string;
  choiceId: string;
}
