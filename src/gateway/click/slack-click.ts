import { isPlainObject } from '../../core/document';
import type { ForwardedUser, SlackOrigin } from '../../core/forwarded-event';

/** A button click, from a Block Kit `block_actions` payload or a legacy `interactive_message` one. */
export interface SlackClick {
  type: 'block_actions' | 'interactive_message' | 'view_submission';
  value: string;
  userId: string;
  userName: string | null;
  username: string | null;
  teamId: string | null;
  channelId: string;
  messageTs: string;
  threadTs: string | null;
  responseUrl: string | null;
  triggerId: string | null;
  /** The message clicked on, to keep its buttons when a delivery failed and the click may be retried. */
  message: Record<string, unknown> | null;
  /** A modal's submission (gateway/dialog): the answers given, and the choice the modal was opened for. */
  inputs?: Record<string, string>;
  choiceId?: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const record = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});

/** Undefined when the payload lacks what a click needs (a value, a user, the message it is on). */
export function slackClickFrom(body: unknown): SlackClick | undefined {
  const payload = record(body);
  const type = payload['type'];
  if (type !== 'block_actions' && type !== 'interactive_message') return undefined;
  const action = record(Array.isArray(payload['actions']) ? payload['actions'][0] : undefined);
  const selected = record(
    Array.isArray(action['selected_options']) ? action['selected_options'][0] : undefined,
  );
  const user = record(payload['user']);
  const container = record(payload['container']);
  const channel = record(payload['channel']);
  const message = isPlainObject(payload['message'])
    ? payload['message']
    : isPlainObject(payload['original_message'])
      ? payload['original_message']
      : null;
  const click = {
    type: type as SlackClick['type'],
    value: text(action['value']) ?? text(selected['value']),
    userId: text(user['id']),
    userName: text(user['name']),
    username: text(user['username']),
    teamId: text(record(payload['team'])['id']) ?? text(user['team_id']),
    channelId: text(container['channel_id']) ?? text(channel['id']),
    messageTs: text(container['message_ts']) ?? text(payload['message_ts']) ?? text(message?.['ts']),
    threadTs: text(container['thread_ts']) ?? text(message?.['thread_ts']),
    responseUrl: text(payload['response_url']),
    triggerId: text(payload['trigger_id']),
    message,
  };
  const { value, userId, channelId, messageTs } = click;
  if (!value || !userId || !channelId || !messageTs) return undefined;
  return { ...click, value, userId, channelId, messageTs };
}

/** The clicking user, as a forwarded event names them. */
export function clickUser(click: SlackClick): ForwardedUser {
  return { id: click.userId, name: click.userName, username: click.username, teamId: click.teamId };
}

/** Where in Slack the click happened, as a forwarded event names it. */
export function clickOrigin(click: SlackClick): SlackOrigin {
  return {
    teamId: click.teamId,
    channelId: click.channelId,
    messageTs: click.messageTs,
    threadTs: click.threadTs,
    responseUrl: click.responseUrl,
    triggerId: click.triggerId,
  };
}

/** Every button (and menu option) value on a message, Block Kit or legacy attachments. */
export function buttonValuesOf(message: Record<string, unknown> | null): string[] {
  const values: string[] = [];
  const collect = (element: unknown) => {
    const e = record(element);
    if (typeof e['value'] === 'string') values.push(e['value']);
    for (const option of Array.isArray(e['options']) ? e['options'] : []) collect(option);
  };
  const blocks = Array.isArray(message?.['blocks']) ? message['blocks'] : [];
  for (const block of blocks) {
    const b = record(block);
    for (const element of Array.isArray(b['elements']) ? b['elements'] : []) collect(element);
    if (b['accessory']) collect(b['accessory']);
  }
  const attachments = Array.isArray(message?.['attachments']) ? message['attachments'] : [];
  for (const attachment of attachments) {
    const actions = record(attachment)['actions'];
    for (const action of Array.isArray(actions) ? actions : []) collect(action);
  }
  return values;
}
