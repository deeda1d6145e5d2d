import { createHash } from 'node:crypto';
import { isPlainObject, type ContextDocument } from './document';

/**
 * A click on a button cicdstatemgr 1.2.4 posted: there is no offered-choice record to check it against, so the
 * first click per (message, button value) decides and later ones are refused, which still makes every such
 * button forward once. Recorded under `state.legacyDecisions.<key>`.
 */
export type LegacyClickOutcome =
  | { kind: 'decided'; key: string }
  | { kind: 'redeliver'; key: string }
  | { kind: 'refused'; message: string };

export interface LegacyClick {
  channelId: string;
  messageTs: string;
  value: string;
  userId: string;
  at: Date;
}

export type LegacyDelivery =
  | { status: 'pending'; since: string }
  | { status: 'delivered'; eventId: string | null; at: string; route: string }
  | { status: 'failed'; error: string; at: string; route: string };

export function applyLegacyClick(doc: ContextDocument, click: LegacyClick): LegacyClickOutcome {
  const decisions = legacyDecisions(doc);
  const key = createHash('sha256')
    .update(`${click.channelId}:${click.messageTs}:${click.value}`)
    .digest('hex')
    .slice(0, 16);
  const existing = decisions[key];
  const pending: LegacyDelivery = { status: 'pending', since: click.at.toISOString() };
  if (isPlainObject(existing)) {
    const delivery = isPlainObject(existing['delivery']) ? existing['delivery'] : {};
    if (delivery['status'] !== 'failed') {
      return {
        kind: 'refused',
        message: `<@${String(existing['by'])}> already clicked this at ${String(existing['at'])}.`,
      };
    }
    existing['delivery'] = pending;
    return { kind: 'redeliver', key };
  }
  decisions[key] = {
    by: click.userId,
    at: click.at.toISOString(),
    value: click.value,
    message: { channel: click.channelId, ts: click.messageTs },
    delivery: pending,
  };
  return { kind: 'decided', key };
}

export function recordLegacyDelivery(doc: ContextDocument, key: string, delivery: LegacyDelivery): void {
  const decision = legacyDecisions(doc)[key];
  if (isPlainObject(decision)) decision['delivery'] = delivery;
}

function legacyDecisions(doc: ContextDocument): Record<string, unknown> {
  if (!isPlainObject(doc['state'])) doc['state'] = {};
  const state = doc['state'] as Record<string, unknown>;
  if (!isPlainObject(state['legacyDecisions'])) state['legacyDecisions'] = {};
  return state['legacyDecisions'] as Record<string, unknown>;
}
