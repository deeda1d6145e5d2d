import { isPlainObject, type ContextDocument } from '../document';
import {
  DECIDED_BY_DEADLINE,
  type AuditEntry,
  type ChoiceRecord,
  type DecidedOption,
  type Decision,
  type Delivery,
  type Vote,
} from './choice-record';

/** Where manual-choice records what it offered. */
export const OFFERED_CHOICES = 'offeredChoices';
/** Where the decisions on cicdstatemgr 1.2.4 buttons are recorded; their choice ids start with `legacy:`. */
export const LEGACY_DECISIONS = 'legacyDecisions';
export const LEGACY_PREFIX = 'legacy:';

/** A delivery recorded before deadlines existed is given this long from its start. */
const DEFAULT_DEADLINE_MS = 10 * 60_000;

export function sectionOf(doc: ContextDocument, section: string): Record<string, unknown> {
  const state = doc['state'];
  const records = isPlainObject(state) ? state[section] : undefined;
  return isPlainObject(records) ? records : {};
}

/** The choice posted as message `messageTs` in `channelId`, with its id, if the document recorded one. */
export function findChoiceByMessage(
  doc: ContextDocument,
  channelId: string,
  messageTs: string,
): ChoiceRecord | undefined {
  for (const [id, choice] of Object.entries(sectionOf(doc, OFFERED_CHOICES))) {
    if (isPlainObject(choice) && choice['channel'] === channelId && choice['messageTs'] === messageTs) {
      return withId(choice, id);
    }
  }
  return undefined;
}

/** The live record of a choice by its id (offered, or `legacy:<key>`), for reading and changing. */
export function choiceById(doc: ContextDocument, choiceId: string): ChoiceRecord | undefined {
  const legacy = choiceId.startsWith(LEGACY_PREFIX);
  const section = sectionOf(doc, legacy ? LEGACY_DECISIONS : OFFERED_CHOICES);
  const key = legacy ? choiceId.slice(LEGACY_PREFIX.length) : choiceId;
  const record = Object.hasOwn(section, key) ? section[key] : undefined;
  return isPlainObject(record) ? withId(record, choiceId) : undefined;
}

/** The record names its own id; one edited by hand may not, and its key is what counts. */
function withId(record: Record<string, unknown>, id: string): ChoiceRecord {
  if (record['id'] !== id) record['id'] = id;
  return record as unknown as ChoiceRecord;
}

export function optionsOf(choice: ChoiceRecord): (DecidedOption & Record<string, unknown>)[] {
  const options: unknown = choice.options;
  if (!Array.isArray(options)) return [];
  return options.filter(isPlainObject).map((o) => ({
    ...o,
    group: String(o['group'] ?? ''),
    header: String(o['header'] ?? ''),
    text: String(o['text'] ?? ''),
    value: String(o['value'] ?? ''),
    style: typeof o['style'] === 'string' ? o['style'] : null,
  }));
}

export function votesOf(choice: ChoiceRecord): Vote[] {
  const votes: unknown = choice.votes;
  if (!Array.isArray(votes)) return [];
  return votes.filter(
    (v): v is Vote => isPlainObject(v) && typeof v['user'] === 'string' && typeof v['value'] === 'string',
  );
}

export function approvalsNeeded(choice: ChoiceRecord): number {
  const n = Number(choice.approvalsNeeded);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function auditOf(choice: ChoiceRecord): AuditEntry[] {
  const entries: unknown = choice.audit;
  return Array.isArray(entries) ? entries.filter(isPlainObject).map((e) => e as unknown as AuditEntry) : [];
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** The decision, if the record holds a readable one. */
export function decisionOf(choice: ChoiceRecord): Decision | undefined {
  const decision: unknown = choice.decision;
  return isPlainObject(decision) && isPlainObject(decision['option'])
    ? (decision as unknown as Decision)
    : undefined;
}

/** The decision was made by the choice's deadline (deadline-steps.ts) rather than by a user. */
export function decidedByDeadline(decision: Pick<Decision, 'decidedBy'>): boolean {
  return decision.decidedBy === DECIDED_BY_DEADLINE;
}

/**
 * The delivery as this version reads it: `failed` (written before the outbox, after its retries) is undelivered,
 * and a pending one without a deadline gets one from when it started.
 */
export function deliveryOf(decision: Decision): Delivery {
  return readDelivery(decision.delivery, decision.decidedAt);
}

/** A delivery record as this version reads it (see deliveryOf); `startedAt` stands in for missing times. */
export function readDelivery(raw: unknown, startedAt: string): Delivery {
  const d = isPlainObject(raw) ? raw : {};
  const attempts = Number(d['attempts']) || 0;
  const at = String(d['at'] ?? startedAt);
  const route = String(d['route'] ?? '');
  switch (d['status']) {
    case 'delivered':
      return { status: 'delivered', attempts, eventId: textOrNull(d['eventId']), at, route };
    case 'failed':
    case 'undelivered':
      return { status: 'undelivered', attempts, error: String(d['error'] ?? 'unknown error'), at, route };
    default: {
      const since = String(d['since'] ?? startedAt);
      const started = Date.parse(since);
      const deadline =
        typeof d['deadline'] === 'string'
          ? d['deadline']
          : new Date((Number.isNaN(started) ? 0 : started) + DEFAULT_DEADLINE_MS).toISOString();
      return {
        status: 'pending',
        attempts,
        since,
        deadline,
        ...(typeof d['nextAttemptAt'] === 'string' ? { nextAttemptAt: d['nextAttemptAt'] } : {}),
        ...(typeof d['lastError'] === 'string' ? { lastError: d['lastError'] } : {}),
        ...(typeof d['route'] === 'string' ? { route: d['route'] } : {}),
      };
    }
  }
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
