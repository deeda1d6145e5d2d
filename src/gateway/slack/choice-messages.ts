/**
 * What the gateway shows in Slack. Texts name the user with a mention, the option chosen and the EventListener's
 * event id, so a reader of the channel can tell what happened without opening Tekton.
 */
export interface SlackMessageContent {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** The buttons are replaced by who chose what. */
export function decidedMessage(input: {
  title: string;
  optionText: string;
  approvers: readonly string[];
  eventId: string | null;
  route: string;
}): SlackMessageContent {
  const who = input.approvers.map((u) => `<@${u}>`).join(', ');
  const event = input.eventId ? ` · event ${input.eventId}` : '';
  const outcome = `✅ ${who} chose *${input.optionText}*${event}`;
  return {
    text: `${input.title}: ${outcome}`,
    blocks: [section(input.title), context(`${outcome} · sent to ${input.route}`)],
    attachments: [],
  };
}

/** The buttons stay, so that clicking again retries the delivery. */
export function deliveryFailedMessage(input: {
  title: string;
  optionText: string;
  approvers: readonly string[];
  error: string;
  original: Record<string, unknown> | null;
}): SlackMessageContent {
  const who = input.approvers.map((u) => `<@${u}>`).join(', ');
  const note = `⚠️ ${who} chose *${input.optionText}*, but the pipeline could not be reached (${input.error}). Nothing was started: click it again to retry.`;
  const blocks = Array.isArray(input.original?.['blocks'])
    ? input.original['blocks']
    : [section(input.title)];
  const attachments = Array.isArray(input.original?.['attachments'])
    ? input.original['attachments']
    : undefined;
  return { text: `${input.title}: delivery failed`, blocks: [...blocks, context(note)], attachments };
}

export function expiredMessage(input: { title: string; expiresAt: string | null }): SlackMessageContent {
  const when = input.expiresAt ? ` at ${input.expiresAt}` : '';
  const note = `⌛ This choice expired${when}; nothing was forwarded.`;
  return { text: `${input.title}: expired`, blocks: [section(input.title), context(note)], attachments: [] };
}

/** What the user is told when the gateway itself cannot work on the click. */
export const STORE_UNAVAILABLE =
  'slackline cannot reach its state store right now, so nothing was recorded or forwarded. Please try again in a moment.';
export const UNEXPECTED_FAILURE =
  'Something went wrong in slackline while handling this; nothing was forwarded. The gateway logs have the details.';
export const UNKNOWN_CONTEXT =
  'This button does not belong to anything slackline knows: the message was not posted by a slackline manual-choice and its value names no context.';
