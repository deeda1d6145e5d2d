import { DECIDED_BY_DEADLINE, type Decision } from './choice-record';
import { decodeLegacyButtonValue } from '../legacy-button-value';
import {
  cicdstatemgrFields,
  FORWARDED_EVENT_SCHEMA,
  slackOf,
  userOf,
  uuidFromName,
  type ContextRef,
  type ForwardedEvent,
  type ForwardedUser,
  type SlackOrigin,
} from '../forwarded-event';

export interface ChoiceEventInput {
  decision: Decision;
  /** the offered choice the decision is about (a ChoiceRecord fits) */
  choice?: {
    id?: string | null;
    pipeline?: string | null;
    event?: string | null;
    title?: string | null;
    threadTs?: string | null;
  };
  context: ContextRef;
  /** who clicked: the deciding click, or the click that asked for a failed delivery again */
  user: ForwardedUser;
  slack?: SlackOrigin;
  /** defaults to an id derived from the choice id, so every delivery of one decision carries the same id */
  id?: string;
}

export function choiceEvent(input: ChoiceEventInput): ForwardedEvent {
  const { decision, choice = {}, context, user } = input;
  const legacy = decodeLegacyButtonValue(decision.option.value);
  const slack = slackOf(input.slack, user, {
    channelId: decision.message.channel,
    messageTs: decision.message.ts,
    threadTs: choice.threadTs ?? null,
  });
  const event: ForwardedEvent = {
    schema: FORWARDED_EVENT_SCHEMA,
    id: input.id ?? uuidFromName(`choice:${decision.choiceId}`),
    kind: 'choice',
    // The decision time, not the forwarding time, so a redelivery describes the same event.
    occurredAt: decision.decidedAt,
    context: { id: context.id, name: context.name },
    choice: {
      id: choice.id ?? decision.choiceId,
      pipeline: choice.pipeline ?? null,
      event: choice.event ?? null,
      title: choice.title ?? null,
    },
    option: {
      group: decision.option.group || null,
      text: decision.option.text || null,
      value: decision.option.value,
      style: decision.option.style || null,
    },
    inputs: { ...(decision.inputs ?? {}) },
    value: legacy ? legacy.fields : null,
    approvers: [...decision.approvers],
    ...(decision.decidedBy === DECIDED_BY_DEADLINE ? { decidedBy: 'deadline' as const } : {}),
    user: userOf(user, slack),
    slack,
    cicdstatemgr: {},
  };
  // The value's own fields first: they are what cicdstatemgr's CEL produced. The context only fills gaps.
  const fields = { ...(legacy?.fields ?? {}) };
  fields['trigger'] ??= legacy?.trigger;
  event.cicdstatemgr = cicdstatemgrFields(fields, event);
  return event;
}
