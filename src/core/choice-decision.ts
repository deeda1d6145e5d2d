import { deepCopy, isPlainObject, type ContextDocument } from './document';
import { SlacklineError } from './errors';

/**
 * What the gateway does with a button click on a message that manual-choice posted, as a pure function of the
 * context document and the click. It runs inside the store's read-modify-write, so it only mutates the document
 * it is given, reads the time from the click, and gives the same answer when replayed on a re-read document
 * after a write conflict: that is what makes double clicks, concurrent approvers and Slack retries forward once.
 */

export interface Click {
  userId: string;
  userName?: string;
  teamId?: string;
  channelId: string;
  messageTs: string;
  /** the clicked button's value */
  value: string;
  /** Slack user groups the user is in, when the gateway looked them up */
  userGroups?: string[];
  at: Date;
}

export type RefusalReason =
  | 'no-choice'
  | 'unknown-option'
  | 'expired'
  | 'already-decided'
  | 'delivery-in-progress'
  | 'not-allowed'
  | 'initiator-excluded'
  | 'already-voted';

/** `message` is Slack mrkdwn for the clicking user alone (an ephemeral message): it mentions users with `<@U…>`. */
export type ClickOutcome =
  | { kind: 'voted'; choiceId: string; votes: number; needed: number }
  | { kind: 'decided'; choiceId: string; decision: Decision }
  | { kind: 'redeliver'; choiceId: string; decision: Decision }
  | { kind: 'refused'; reason: RefusalReason; message: string; choiceId?: string };

export type Delivery =
  | { status: 'pending'; attempts: number; since: string }
  | { status: 'delivered'; attempts: number; eventId: string | null; at: string; route: string }
  | { status: 'failed'; attempts: number; error: string; at: string; route: string };

export interface DecidedOption {
  group: string;
  header: string;
  text: string;
  value: string;
  style: string | null;
}

export interface Decision {
  choiceId: string;
  option: DecidedOption;
  /** the user whose vote reached the quorum */
  decidedBy: string;
  /** every user whose vote counted for the option, in the order they voted */
  approvers: string[];
  decidedAt: string;
  message: { channel: string; ts: string };
  delivery: Delivery;
}

export interface Vote {
  user: string;
  value: string;
  at: string;
}

export type AuditAction =
  'voted' | 'decided' | 'refused' | 'expired' | 'redeliver' | 'delivered' | 'delivery-failed';

/** `user` is null for what slackline records on its own (a delivery's outcome). */
export interface AuditEntry {
  at: string;
  user: string | null;
  action: AuditAction;
  value?: string;
  reason?: RefusalReason;
  eventId?: string | null;
  error?: string;
}

/**
 * The record manual-choice writes under `state.offeredChoices.<id>` (src/events/offered-choice.ts), as the gateway
 * finds it later: possibly decided or expired, with votes and an audit trail. Declared here rather than imported
 * because core depends on nothing outside itself.
 */
export interface ChoiceRecord {
  id: string;
  pipeline: string;
  event: string;
  handler: string;
  title: string;
  /** Where a decision is forwarded: a gateway route name or a URL; an option's own `route` wins. */
  route: string | null;
  options: (DecidedOption & Record<string, unknown>)[];
  channel: string | null;
  messageTs: string | null;
  threadTs: string | null;
  postedAt: string;
  allowedUsers: string[];
  allowedGroups: string[];
  approvalsNeeded: number;
  excludeInitiator: boolean;
  initiator: string | null;
  expiresAt: string | null;
  status: 'open' | 'decided' | 'expired';
  votes: Vote[];
  decision: Decision | null;
  audit?: AuditEntry[];
}

/** The choice posted as message `messageTs` in `channelId`, if the document recorded one. */
export function findChoiceByMessage(
  doc: ContextDocument,
  channelId: string,
  messageTs: string,
): ChoiceRecord | undefined {
  return findEntry(doc, channelId, messageTs)?.[1];
}

export function applyClick(doc: ContextDocument, click: Click): ClickOutcome {
  const entry = findEntry(doc, click.channelId, click.messageTs);
  if (!entry) {
    return refusal('no-choice', 'No choice is recorded for this message, so the click did nothing.');
  }
  const [choiceId, choice] = entry;
  const title = `"${mrkdwn(String(choice.title ?? ''))}"`;
  const option = optionsOf(choice).find((o) => o.value === click.value);
  if (!option) {
    const message = `This button is not one of the options of ${title}, so the click did nothing.`;
    return refuseAndAudit(choice, choiceId, click, 'unknown-option', message);
  }
  if (choice.status === 'decided') return onDecided(choice, choiceId, click, title);
  if (choice.status !== 'open') {
    // 'expired', or a status this version does not know: closed either way, and already recorded as such.
    return refusal('expired', closedMessage(choice, title), choiceId);
  }
  if (hasExpired(choice, click.at)) {
    choice.status = 'expired';
    audit(choice, { at: iso(click.at), user: click.userId, action: 'expired', value: click.value });
    return refusal('expired', closedMessage(choice, title), choiceId);
  }
  const denial = authorize(choice, click);
  if (denial) return refuseAndAudit(choice, choiceId, click, denial[0], denial[1]);
  return vote(choice, choiceId, click, option);
}

/** Records the outcome of forwarding a decision (or a new attempt), with an audit entry for an outcome. */
export function recordDelivery(doc: ContextDocument, choiceId: string, delivery: Delivery): void {
  const choice = choicesOf(doc)[choiceId];
  const decision = isPlainObject(choice) ? choice['decision'] : undefined;
  if (!isPlainObject(choice)) {
    throw new SlacklineError(`No offered choice ${choiceId} in the context document`);
  }
  if (!isPlainObject(decision)) {
    throw new SlacklineError(`Offered choice ${choiceId} has no decision to deliver`);
  }
  decision['delivery'] = deepCopy(delivery);
  const option = decision['option'];
  // No `value: undefined` keys: the document is dumped as YAML, which has no undefined.
  const value =
    isPlainObject(option) && typeof option['value'] === 'string' ? { value: option['value'] } : {};
  const record = choice as unknown as ChoiceRecord;
  if (delivery.status === 'delivered') {
    audit(record, { at: delivery.at, user: null, action: 'delivered', ...value, eventId: delivery.eventId });
  } else if (delivery.status === 'failed') {
    audit(record, {
      at: delivery.at,
      user: null,
      action: 'delivery-failed',
      ...value,
      error: delivery.error,
    });
  }
}

/**
 * A delivery still pending after this long is not in progress: the gateway gives up recording an outcome long
 * before (its forward retries, then a minute of retrying the record while the store is unreachable). It is
 * not sent again, since it may well have been delivered.
 */
const UNRECORDED_AFTER_MS = 5 * 60_000;

function onDecided(choice: ChoiceRecord, choiceId: string, click: Click, title: string): ClickOutcome {
  const decision = isPlainObject(choice.decision) ? choice.decision : undefined;
  const option = decision && isPlainObject(decision.option) ? decision.option : undefined;
  if (!decision || !option) return refusal('already-decided', `${title} was already decided.`, choiceId);
  const delivery = isPlainObject(decision.delivery) ? decision.delivery : undefined;
  const chosen = `"${mrkdwn(String(option.text))}"`;

  // Only a click on the decided option asks for it again: a click on another button must not send the decision.
  if (delivery?.status === 'failed' && click.value === option.value) {
    const denial = authorize(choice, click);
    if (denial) return refuseAndAudit(choice, choiceId, click, denial[0], denial[1]);
    decision.delivery = { status: 'pending', attempts: Number(delivery.attempts) || 0, since: iso(click.at) };
    audit(choice, { at: iso(click.at), user: click.userId, action: 'redeliver', value: click.value });
    return { kind: 'redeliver', choiceId, decision: deepCopy(decision) };
  }
  if (delivery?.status === 'pending') {
    const since = Date.parse(String(delivery.since));
    const unrecorded = !Number.isNaN(since) && click.at.getTime() - since > UNRECORDED_AFTER_MS;
    return refusal(
      'delivery-in-progress',
      unrecorded
        ? `${title} was decided (${chosen}) at ${when(delivery.since)}, but the outcome of sending it on was ` +
            'never recorded (the state store could not be reached then); the message shows what happened. ' +
            'Nothing more was done.'
        : `${title} was decided (${chosen}) and is being sent on right now; nothing more was done.`,
      choiceId,
    );
  }
  const who =
    listOf(stringList(decision.approvers).map(mention), 'and') || mention(String(decision.decidedBy));
  const retry = delivery?.status === 'failed' ? ` Sending it on failed: click ${chosen} to try again.` : '';
  return refusal(
    'already-decided',
    `${title} was already decided: ${who} chose ${chosen} at ${when(decision.decidedAt)}.${retry}`,
    choiceId,
  );
}

/** One vote per user: a click on another option moves the user's vote, the same option again changes nothing. */
function vote(choice: ChoiceRecord, choiceId: string, click: Click, option: DecidedOption): ClickOutcome {
  const at = iso(click.at);
  const needed = approvalsNeeded(choice);
  const votes = votesOf(choice);
  const previous = votes.find((v) => v.user === click.userId);
  if (previous?.value === click.value) {
    const count = votes.filter((v) => v.value === click.value).length;
    return refusal(
      'already-voted',
      `You already voted for "${mrkdwn(option.text)}" (${count} of ${needed} approvals so far).`,
      choiceId,
    );
  }
  // Moving a vote puts it last, so approvers stay in the order of the votes that count.
  choice.votes = [
    ...votes.filter((v) => v.user !== click.userId),
    { user: click.userId, value: click.value, at },
  ];
  const approvers = choice.votes.filter((v) => v.value === click.value).map((v) => v.user);
  if (approvers.length < needed) {
    audit(choice, { at, user: click.userId, action: 'voted', value: click.value });
    return { kind: 'voted', choiceId, votes: approvers.length, needed };
  }
  const decision: Decision = {
    choiceId,
    option: {
      group: option.group,
      header: option.header,
      text: option.text,
      value: option.value,
      style: option.style,
    },
    decidedBy: click.userId,
    approvers,
    decidedAt: at,
    message: { channel: choice.channel ?? click.channelId, ts: choice.messageTs ?? click.messageTs },
    delivery: { status: 'pending', attempts: 0, since: at },
  };
  choice.status = 'decided';
  choice.decision = decision;
  audit(choice, { at, user: click.userId, action: 'decided', value: click.value });
  return { kind: 'decided', choiceId, decision: deepCopy(decision) };
}

/** Why the user may not choose, if they may not: the allow-lists first, then the initiator exclusion. */
function authorize(choice: ChoiceRecord, click: Click): [RefusalReason, string] | undefined {
  const users = stringList(choice.allowedUsers).map(slackId);
  const groups = stringList(choice.allowedGroups).map(slackId);
  if (users.length > 0 || groups.length > 0) {
    const inGroup = (click.userGroups ?? []).some((group) => groups.includes(group));
    if (!users.includes(click.userId) && !inGroup) {
      const who = [...users.map(mention), ...groups.map((g) => `members of <!subteam^${g}>`)];
      const unchecked =
        groups.length > 0 && click.userGroups === undefined ? ' (your user groups could not be checked)' : '';
      return ['not-allowed', `Only ${listOf(who, 'or')} can make this choice${unchecked}.`];
    }
  }
  if (choice.excludeInitiator === true && isInitiator(choice.initiator, click)) {
    return ['initiator-excluded', 'You started this, so someone else has to make this choice.'];
  }
  return undefined;
}

/**
 * The initiator is whatever the config's `initiator` template rendered: cicdstatemgr's examples use a user id,
 * a `<@U…>` mention or a username. Matching any of them only ever refuses more, so it is the safe side.
 */
function isInitiator(initiator: unknown, click: Click): boolean {
  if (typeof initiator !== 'string' || initiator === '') return false;
  const id = slackId(initiator);
  return id === click.userId || (click.userName !== undefined && initiator === click.userName);
}

/** Refusals worth keeping are audited once per user, reason and value, so repeated clicks cannot grow the document. */
function refuseAndAudit(
  choice: ChoiceRecord,
  choiceId: string,
  click: Click,
  reason: RefusalReason,
  message: string,
): ClickOutcome {
  const seen = auditOf(choice).some(
    (e) =>
      e.action === 'refused' && e.user === click.userId && e.reason === reason && e.value === click.value,
  );
  if (!seen)
    audit(choice, { at: iso(click.at), user: click.userId, action: 'refused', value: click.value, reason });
  return refusal(reason, message, choiceId);
}

function refusal(reason: RefusalReason, message: string, choiceId?: string): ClickOutcome {
  return choiceId === undefined
    ? { kind: 'refused', reason, message }
    : { kind: 'refused', reason, message, choiceId };
}

function closedMessage(choice: ChoiceRecord, title: string): string {
  return choice.status === 'expired' && !Number.isNaN(Date.parse(String(choice.expiresAt)))
    ? `${title} expired at ${when(choice.expiresAt)}, so the click did nothing.`
    : `${title} is closed, so the click did nothing.`;
}

/** An expiry that does not parse closes the choice: a damaged record must not stay open forever. */
function hasExpired(choice: ChoiceRecord, at: Date): boolean {
  if (choice.expiresAt === null || choice.expiresAt === undefined || choice.expiresAt === '') return false;
  const expires = Date.parse(String(choice.expiresAt));
  return Number.isNaN(expires) || at.getTime() >= expires;
}

function findEntry(
  doc: ContextDocument,
  channelId: string,
  messageTs: string,
): [string, ChoiceRecord] | undefined {
  for (const [id, choice] of Object.entries(choicesOf(doc))) {
    if (isPlainObject(choice) && choice['channel'] === channelId && choice['messageTs'] === messageTs) {
      return [id, choice as unknown as ChoiceRecord];
    }
  }
  return undefined;
}

function choicesOf(doc: ContextDocument): Record<string, unknown> {
  const state = doc['state'];
  const choices = isPlainObject(state) ? state['offeredChoices'] : undefined;
  return isPlainObject(choices) ? choices : {};
}

/** The record came back through YAML and may have been edited by hand: read it defensively. */
function optionsOf(choice: ChoiceRecord): DecidedOption[] {
  const options: unknown = choice.options;
  if (!Array.isArray(options)) return [];
  return options.filter(isPlainObject).map((o) => ({
    group: String(o['group'] ?? ''),
    header: String(o['header'] ?? ''),
    text: String(o['text'] ?? ''),
    value: String(o['value'] ?? ''),
    style: typeof o['style'] === 'string' ? o['style'] : null,
  }));
}

function votesOf(choice: ChoiceRecord): Vote[] {
  const votes: unknown = choice.votes;
  if (!Array.isArray(votes)) return [];
  return votes.filter(
    (v): v is Vote => isPlainObject(v) && typeof v['user'] === 'string' && typeof v['value'] === 'string',
  );
}

function approvalsNeeded(choice: ChoiceRecord): number {
  const n = Number(choice.approvalsNeeded);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

function auditOf(choice: ChoiceRecord): AuditEntry[] {
  const entries: unknown = choice.audit;
  return Array.isArray(entries) ? entries.filter(isPlainObject).map((e) => e as unknown as AuditEntry) : [];
}

/** Appends, keeping whatever the trail already holds (an audit trail is not ours to tidy). */
function audit(choice: ChoiceRecord, entry: AuditEntry): void {
  const entries: unknown = choice.audit;
  choice.audit = [...(Array.isArray(entries) ? (entries as AuditEntry[]) : []), entry];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** `U123`, `<@U123>`, `<@U123|name>` and `<!subteam^S123|name>` all name the same id. */
function slackId(text: string): string {
  const match = /^<[@!](?:subteam\^)?([^|>]+)(?:\|[^>]*)?>$/.exec(text.trim());
  return match?.[1] ?? text.trim();
}

function mention(userId: string): string {
  return `<@${userId}>`;
}

function listOf(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Titles and option texts are rendered from templates and data: escaped so they cannot ping or link in Slack. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function iso(date: Date): string {
  return date.toISOString();
}

/** `2024-05-01 12:30 UTC`: the message goes to users in any time zone. */
function when(at: unknown): string {
  const time = Date.parse(String(at));
  if (Number.isNaN(time)) return String(at);
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
