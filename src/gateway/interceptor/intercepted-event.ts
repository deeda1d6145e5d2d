import type { ChoiceRecord } from '../../core/choice/choice-record';
import { isPlainObject } from '../../core/document';
import { choiceEvent } from '../../core/choice/choice-event';
import { commandEvent, type ContextRef, type ForwardedEvent } from '../../core/forwarded-event';
import type { SlashCommandConfig } from '../../config/gateway-config';
import { clickOrigin, clickUser, type SlackClick } from '../click/slack-click';

/**
 * A click seen by an interceptor, before (or without) any decision: the forwarded event's fields as far as they
 * apply, so that bindings read the same names (`cicdstatemgr.*`, `user.*`, `slack.*`) whichever way the click
 * came in. No one has decided anything, so there are no approvers.
 */
export type ClickEvent = Omit<ForwardedEvent, 'kind' | 'approvers'> & { kind: 'click' };
export type InterceptedEvent = ForwardedEvent | ClickEvent;

export interface ClickInput {
  payload: Record<string, unknown>;
  /** the click the payload holds, its value the first of the payload's action values */
  click: SlackClick;
  context: ContextRef;
  choice: ChoiceRecord | undefined;
  id: string;
  now: Date;
}

const record = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function clickEventOf(input: ClickInput): ClickEvent {
  const { payload, click, choice } = input;
  const actions = Array.isArray(payload['actions']) ? payload['actions'] : [];
  const action = record(actions[0]);
  // The record came back through the store and may have been edited by hand.
  const options = Array.isArray(choice?.options) ? choice.options.filter(isPlainObject) : [];
  const option = options.find((o) => o.value === click.value);
  const at = input.now.toISOString();
  // choiceEvent holds the rules for the forwarded fields; a decision-shaped input lets the click reuse them.
  const event = choiceEvent({
    decision: {
      choiceId: choice?.id ?? '',
      option: option ?? {
        group: '',
        header: '',
        text:
          text(record(action['text'])['text']) ??
          text(record(record(action['selected_option'])['text'])['text']) ??
          '',
        value: click.value,
        style: text(action['style']),
      },
      decidedBy: click.userId,
      approvers: [],
      decidedAt: at,
      message: { channel: click.channelId, ts: click.messageTs },
      delivery: { status: 'pending', attempts: 0, since: at, deadline: at },
    },
    ...(choice ? { choice } : {}),
    context: input.context,
    user: clickUser(click),
    slack: clickOrigin(click),
    id: input.id,
  });
  const clickEvent: ClickEvent & { approvers?: string[] } = {
    ...event,
    kind: 'click',
    choice: choice ? event.choice : { id: null, pipeline: null, event: null, title: null },
  };
  delete clickEvent.approvers;
  return clickEvent;
}

export interface CommandInput {
  fields: Record<string, string>;
  /** the gateway's configuration of this command, whose argument names it reads the text with */
  spec: SlashCommandConfig | undefined;
  id: string;
  now: Date;
}

/** Undefined without the command's user (Slack always sends `user_id`). */
export function commandEventOf(input: CommandInput): ForwardedEvent | undefined {
  const { fields, spec } = input;
  const userId = fields['user_id'];
  const name = fields['command'];
  if (!userId || !name) return undefined;
  const commandText = fields['text'] ?? '';
  return commandEvent({
    command: { name, text: commandText, args: commandArgs(spec?.args ?? [], commandText) },
    user: { id: userId, username: fields['user_name'] ?? null, teamId: fields['team_id'] ?? null },
    slack: {
      teamId: fields['team_id'],
      channelId: fields['channel_id'],
      responseUrl: fields['response_url'],
      triggerId: fields['trigger_id'],
    },
    id: input.id,
    now: input.now,
  });
}

/**
 * The text's words under the configured names, the last name taking the rest, as the gateway's own command
 * handling does; names without a word are left out rather than refused, since an interceptor only describes.
 */
function commandArgs(names: readonly string[], commandText: string): Record<string, string> {
  const words = commandText.trim().split(/\s+/).filter(Boolean);
  const args: Record<string, string> = {};
  names.forEach((name, i) => {
    const word = i === names.length - 1 ? words.slice(i).join(' ') : words[i];
    if (word) args[name] = word;
  });
  return args;
}
