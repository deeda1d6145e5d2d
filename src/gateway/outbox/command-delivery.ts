import type { Delivery } from '../../core/choice/choice-record';
import { readDelivery } from '../../core/choice/read-choice';
import { when } from '../../core/choice/slack-text';
import { isPlainObject, type ContextDocument } from '../../core/document';
import type { ForwardedEvent } from '../../core/forwarded-event';
import type { GatewayEnv } from '../gateway-env';
import type { Deliverable } from './deliver';
import { outboxRef } from './outbox-ref';

/** A forwarded slash command and its delivery, stored until delivered or given up. */
export interface CommandRecord {
  event: ForwardedEvent;
  responseUrl: string | null;
  delivery: Delivery;
}

/** The store key of a command's record: the event id derives from Slack's trigger_id. */
export function commandRecordId(eventId: string): string {
  return `slackline:command:${eventId}`;
}

/** The record as stored: one key, `slacklineCommand`, so it can never be read as a context document. */
export function commandDocument(record: CommandRecord): ContextDocument {
  return { slacklineCommand: record };
}

function recordOf(doc: ContextDocument | undefined): CommandRecord | undefined {
  const raw = doc?.['slacklineCommand'];
  if (!isPlainObject(raw) || !isPlainObject(raw['event'])) return undefined;
  const event = raw['event'] as unknown as ForwardedEvent;
  const responseUrl = typeof raw['responseUrl'] === 'string' ? raw['responseUrl'] : null;
  return { event, responseUrl, delivery: readDelivery(raw['delivery'], event.occurredAt) };
}

/** A slash command as deliver() sees it; its user hears of the outcome through the command's response_url. */
export function commandDelivery(env: GatewayEnv, eventId: string, given?: CommandRecord): Deliverable {
  const id = commandRecordId(eventId);
  let latest = given;
  const log = env.logger.child({ eventId });
  return {
    ref: outboxRef({ kind: 'command', eventId }),
    log,
    async read() {
      latest ??= recordOf(await env.store.load(id));
      return latest && { delivery: latest.delivery, event: latest.event };
    },
    async record(next) {
      let recorded: Delivery | undefined;
      await env.store.update(id, (current) => {
        const record = recordOf(current);
        recorded = record && next(record.delivery);
        if (!record || !recorded) return undefined;
        latest = { ...record, delivery: recorded };
        return commandDocument(latest);
      });
      return recorded;
    },
    async show(delivery) {
      if (latest) await env.slack.ephemeral(latest.responseUrl, commandOutcome(latest.event, delivery));
    },
    // Nothing more will be done with it: the record goes, and Slack's trigger_id stays remembered at intake.
    settled: () => env.store.remove(id),
  };
}

function commandOutcome(event: ForwardedEvent, delivery: Delivery): string {
  const what = `${event.command?.name ?? 'The command'} ${event.command?.text ?? ''}`.trim();
  switch (delivery.status) {
    case 'delivered':
      return `✅ ${what} was sent to ${delivery.route}${delivery.eventId ? ` · event ${delivery.eventId}` : ''}`;
    case 'pending':
      return `⏳ ${what} could not be delivered yet (${delivery.lastError ?? 'no answer'}); slackline keeps trying until ${when(delivery.deadline)}.`;
    case 'undelivered':
      return `⚠️ ${what} could not be delivered to ${delivery.route || 'its EventListener'} (${delivery.error}). Nothing was started; try again.`;
  }
}
