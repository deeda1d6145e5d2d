import { contextName } from '../context-name';
import { documentId, type ContextDocument } from '../document';
import type { ForwardedEvent, ForwardedUser, SlackOrigin } from '../forwarded-event';
import { choiceEvent } from './choice-event';
import type { ChoiceRecord, Decision } from './choice-record';

/** The event a decision is delivered as; its id derives from the choice id, so every copy carries the same one. */
export function decisionEvent(input: {
  doc: ContextDocument;
  choice: ChoiceRecord;
  decision: Decision;
  /** the id of the document, for one that does not name itself */
  contextId: string | undefined;
  user: ForwardedUser;
  slack?: SlackOrigin;
}): ForwardedEvent {
  const { doc, choice, decision } = input;
  return choiceEvent({
    decision,
    choice: {
      id: choice.id,
      pipeline: choice.pipeline || null,
      event: choice.event || null,
      title: choice.title || null,
      threadTs: choice.threadTs ?? null,
    },
    context: { id: documentId(doc) ?? input.contextId ?? null, name: contextName(doc) },
    user: input.user,
    ...(input.slack ? { slack: input.slack } : {}),
  });
}
