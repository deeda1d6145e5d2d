import type { ChoiceRecord, ChoiceRef, Decision, Delivery } from '../../core/choice/choice-record';
import { decisionAnswers } from '../../core/choice/decision-answers';
import { decisionEvent } from '../../core/choice/decision-event';
import { recordDelivery } from '../../core/choice/delivery';
import {
  choiceById,
  decidedByDeadline,
  decisionOf,
  deliveryOf,
  optionsOf,
} from '../../core/choice/read-choice';
import { when } from '../../core/choice/slack-text';
import type { ContextDocument } from '../../core/document';
import type { GatewayEnv } from '../gateway-env';
import { decidedMessage, deliveringMessage, undeliveredMessage } from '../slack/choice-messages';
import type { Deliverable } from './deliver';
import { outboxRef } from './outbox-ref';

/**
 * A decided choice as deliver() sees it: its record is the decision in the context document, read from `doc`
 * when the caller has it (the worker that just decided) and from the store otherwise (a sweeper).
 */
export function choiceDelivery(env: GatewayEnv, ref: ChoiceRef, doc?: ContextDocument): Deliverable {
  let latest = doc;
  const log = env.logger.child({ contextId: ref.contextId, choiceId: ref.choiceId });
  const found = (current: ContextDocument | undefined) => {
    const choice = current && choiceById(current, ref.choiceId);
    const decision = choice && decisionOf(choice);
    return choice && decision ? { choice, decision } : undefined;
  };
  return {
    ref: outboxRef({ kind: 'choice', ...ref }),
    log,
    async read() {
      latest ??= await env.store.load(ref.contextId);
      const hit = found(latest);
      if (!hit || !latest) return undefined;
      const { choice, decision } = hit;
      // Decisions recorded before the outbox kept no event: it is made again, naming the decider.
      const event =
        decision.event ??
        decisionEvent({
          doc: latest,
          choice,
          decision,
          contextId: ref.contextId,
          user: { id: decision.decidedBy },
        });
      return { delivery: deliveryOf(decision), event };
    },
    async record(next) {
      let recorded: Delivery | undefined;
      const committed = await env.store.update(ref.contextId, (current) => {
        const hit = found(current);
        recorded = hit ? next(deliveryOf(hit.decision)) : undefined;
        if (!current || !recorded) return undefined;
        recordDelivery(current, ref.choiceId, recorded);
        return current;
      });
      if (recorded) latest = committed;
      return recorded;
    },
    async show(delivery) {
      const hit = found(latest);
      if (hit)
        await env.slack.update(hit.decision.message.channel, hit.decision.message.ts, shown(hit, delivery));
    },
  };
}

function shown({ choice, decision }: { choice: ChoiceRecord; decision: Decision }, delivery: Delivery) {
  const base = {
    title: choice.title ?? '',
    optionText: decision.option.text,
    approvers: decision.approvers,
    byDeadline: decidedByDeadline(decision),
  };
  switch (delivery.status) {
    case 'delivered':
      return decidedMessage({
        ...base,
        eventId: delivery.eventId,
        route: delivery.route,
        answers: decisionAnswers(choice, decision),
      });
    case 'pending':
      return deliveringMessage({
        ...base,
        error: delivery.lastError ?? 'no answer',
        until: when(delivery.deadline),
      });
    case 'undelivered': {
      const option = optionsOf(choice).find((o) => o.value === decision.option.value) ?? decision.option;
      return undeliveredMessage({ ...base, error: delivery.error, option });
    }
  }
}
