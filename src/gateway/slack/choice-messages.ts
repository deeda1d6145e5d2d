import { mrkdwn } from '../../core/choice/slack-text';

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

/** The approvers, or the deadline when nobody decided in time. */
function whoChose(input: { approvers: readonly string[]; byDeadline?: boolean }): string {
  return input.byDeadline ? 'The deadline' : input.approvers.map((u) => `<@${u}>`).join(', ');
}

/** The buttons are replaced by who chose what. */
export function decidedMessage(input: {
  title: string;
  optionText: string;
  approvers: readonly string[];
  byDeadline?: boolean;
  eventId: string | null;
  route: string;
  /** what the decider answered in the option's modal, by the inputs' labels (user text: escaped here) */
  answers?: readonly { label: string; value: string }[];
}): SlackMessageContent {
  const who = whoChose(input);
  const event = input.eventId ? ` · event ${input.eventId}` : '';
  const outcome = `✅ ${who} chose *${input.optionText}*${event}`;
  const answers = (input.answers ?? [])
    .filter((a) => a.value !== '')
    .map((a) => `*${mrkdwn(a.label)}* ${mrkdwn(a.value)}`);
  return {
    text: `${input.title}: ${outcome}`,
    blocks: [
      section(input.title),
      ...(answers.length > 0 ? [section(answers.join('\n'))] : []),
      context(`${outcome} · sent to ${input.route}`),
    ],
    attachments: [],
  };
}

/** While a failed attempt is retried: the buttons are gone (the decision is made), the note says until when. */
export function deliveringMessage(input: {
  title: string;
  optionText: string;
  approvers: readonly string[];
  byDeadline?: boolean;
  error: string;
  until: string;
}): SlackMessageContent {
  const who = whoChose(input);
  const note = `⏳ ${who} chose *${input.optionText}*. The pipeline could not be reached yet (${input.error}); slackline keeps trying until ${input.until}.`;
  return {
    text: `${input.title}: not delivered yet (${input.error}); slackline keeps trying until ${input.until}`,
    blocks: [section(input.title), context(note)],
    attachments: [],
  };
}

/**
 * Given up at the deadline: the decided option's button comes back (the same value, so the gateway resolves it
 * to the same choice), and clicking it sends the decision again.
 */
export function undeliveredMessage(input: {
  title: string;
  optionText: string;
  approvers: readonly string[];
  byDeadline?: boolean;
  error: string;
  option: { text: string; value: string; style: string | null };
}): SlackMessageContent {
  const who = whoChose(input);
  const note = `⚠️ ${who} chose *${input.optionText}*, but the pipeline could not be reached (${input.error}). Nothing was started: click it again to retry.`;
  const button = {
    type: 'button',
    action_id: 'slackline-redeliver',
    text: { type: 'plain_text', text: input.option.text.slice(0, 75) || 'Retry' },
    value: input.option.value,
    ...(input.option.style === 'primary' || input.option.style === 'danger'
      ? { style: input.option.style }
      : {}),
  };
  return {
    text: `${input.title}: not delivered (${input.error}); click to retry`,
    blocks: [section(input.title), context(note), { type: 'actions', elements: [button] }],
    attachments: [],
  };
}

export function expiredMessage(input: { title: string; expiresAt: string | null }): SlackMessageContent {
  const when = input.expiresAt ? ` at ${input.expiresAt}` : '';
  const note = `⌛ This choice expired${when}; nothing was forwarded.`;
  return { text: `${input.title}: expired`, blocks: [section(input.title), context(note)], attachments: [] };
}

/** Recorded in the intake log, but the store failed for a minute while it was worked on. */
export const STORE_UNAVAILABLE =
  'slackline received this but could not reach its state store for a minute after, so nothing was decided or forwarded. Please click again.';
/** The request could not be written to the intake log in time, so nobody will ever work on it. */
export const NOT_RECORDED =
  'slackline could not record this (its state store did not answer in time), so nothing happened. Please click again.';
/** Handed out too often without being finished (it crashed every worker, or the store failed throughout). */
export const GAVE_UP =
  'slackline could not finish handling this after several tries; nothing more will be done with it. Please try again, and tell whoever runs slackline if it keeps happening.';
export const UNEXPECTED_FAILURE =
  'Something went wrong in slackline while handling this; nothing was forwarded. The gateway logs have the details.';
export const UNKNOWN_CONTEXT =
  'This button does not belong to anything slackline knows: the message was not posted by a slackline manual-choice and its value names no context.';
