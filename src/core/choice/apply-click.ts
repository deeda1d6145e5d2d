import { deepCopy, type ContextDocument } from '../document';
import type { ForwardedEvent } from '../forwarded-event';
import { audit, auditRefusalOnce } from './audit';
import { authorize } from './authorize';
import { acceptedValues, inputErrors, inputsOf } from './choice-inputs';
import type { ChoiceRecord, DecidedOption, Decision, RefusalReason } from './choice-record';
import { refusal, type Click, type ClickOutcome, type DecisionPolicy } from './click';
import { decisionEvent } from './decision-event';
import { DEFAULT_DELIVERY_DEADLINE_MS, pendingDelivery } from './delivery';
import {
  approvalsNeeded,
  decidedByDeadline,
  decisionOf,
  deliveryOf,
  findChoiceByMessage,
  optionsOf,
  stringList,
  votesOf,
} from './read-choice';
import { listOf, mention, mrkdwn, when } from './slack-text';

/**
 * What a button click does to the choice it was made on, as a pure function of the context document and the
 * click. It runs inside the store's read-modify-write, so it only mutates the document it is given, reads the
 * time from the click, and gives the same answer when replayed on a re-read document after a write conflict:
 * that is what makes double clicks, concurrent approvers and Slack retries decide once.
 */
export function applyClick(doc: ContextDocument, click: Click, policy: DecisionPolicy = {}): ClickOutcome {
  const choice = findChoiceByMessage(doc, click.channelId, click.messageTs);
  if (!choice) {
    return refusal('no-choice', 'No choice is recorded for this message, so the click did nothing.');
  }
  return applyToChoice(doc, choice, click, policy);
}

/** The same, on a given record of the document (an offered choice, or a cicdstatemgr button's). */
export function applyToChoice(
  doc: ContextDocument,
  choice: ChoiceRecord,
  click: Click,
  policy: DecisionPolicy,
): ClickOutcome {
  const choiceId = choice.id;
  const title = `"${mrkdwn(String(choice.title ?? ''))}"`;
  const option = optionsOf(choice).find((o) => o.value === click.value);
  if (!option) {
    const message = `This button is not one of the options of ${title}, so the click did nothing.`;
    return refuseAndAudit(choice, click, 'unknown-option', message);
  }
  if (choice.status === 'decided') return onDecided(doc, choice, click, title, policy);
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
  if (denial) return refuseAndAudit(choice, click, denial[0], denial[1]);
  const problem = policy.routeProblem?.(routeOf(choice, option));
  if (problem) {
    const message = `${title} cannot be sent on: ${problem}. Nothing was recorded; tell whoever runs slackline.`;
    return refusal('undeliverable', message, choiceId);
  }
  const answers = answersOf(click, option, choiceId);
  if (answers.refused) return answers.refused;
  // Only the accepted answers go on, and none to an option that declares no inputs.
  const plain: Click = { ...click };
  delete plain.inputs;
  return vote(
    doc,
    choice,
    { ...plain, ...(answers.inputs ? { inputs: answers.inputs } : {}) },
    option,
    policy,
  );
}

/**
 * An option with inputs is decided only with answers it accepts, checked here again whatever the gateway
 * checked in the modal: the answers, only the declared ones (none for an option without inputs), or why the
 * click does nothing.
 */
function answersOf(
  click: Click,
  option: DecidedOption & Record<string, unknown>,
  choiceId: string,
): { inputs?: Record<string, string>; refused?: ClickOutcome } {
  const declared = inputsOf(option);
  if (declared.length === 0) return {};
  const text = `"${mrkdwn(option.text)}"`;
  if (!click.inputs) {
    const message = `${text} asks for a few answers: click it again to open its form.`;
    return { refused: refusal('inputs-required', message, choiceId) };
  }
  const errors = inputErrors(declared, click.inputs);
  const wrong = declared.filter((input) => errors[input.name] !== undefined);
  if (wrong.length > 0) {
    const which = listOf(
      wrong.map((input) => `${mrkdwn(input.label)}: ${errors[input.name]}`),
      'and',
    );
    const message = `${text} was not chosen, its answers were not accepted (${which}).`;
    return { refused: refusal('invalid-inputs', message, choiceId) };
  }
  return { inputs: acceptedValues(declared, click.inputs) };
}

/** The route a decision for `option` goes to: the option's own, else the choice's (null: the default). */
export function routeOf(
  choice: ChoiceRecord,
  option: DecidedOption & Record<string, unknown>,
): string | null {
  const route = option['route'] ?? choice.route;
  return typeof route === 'string' && route !== '' ? route : null;
}

function onDecided(
  doc: ContextDocument,
  choice: ChoiceRecord,
  click: Click,
  title: string,
  policy: DecisionPolicy,
): ClickOutcome {
  const choiceId = choice.id;
  const decision = decisionOf(choice);
  if (!decision) return refusal('already-decided', `${title} was already decided.`, choiceId);
  const delivery = deliveryOf(decision);
  const chosen = `"${mrkdwn(String(decision.option.text))}"`;
  const givenUp =
    delivery.status === 'undelivered' ||
    (delivery.status === 'pending' && click.at.getTime() >= Date.parse(delivery.deadline));

  // Only a click on the decided option asks for it again: a click on another button must not send the decision.
  if (givenUp && click.value === decision.option.value) {
    const denial = authorize(choice, click);
    if (denial) return refuseAndAudit(choice, click, denial[0], denial[1]);
    const option = optionsOf(choice).find((o) => o.value === decision.option.value);
    const route = option ? routeOf(choice, option) : choice.route;
    const problem = policy.routeProblem?.(route);
    if (problem) {
      const message = `${title} cannot be sent on: ${problem}. Nothing was sent; tell whoever runs slackline.`;
      return refusal('undeliverable', message, choiceId);
    }
    decision.delivery = pendingDelivery(click.at, deadlineOf(policy), route, delivery.attempts);
    // The same event, so the same id: the interceptor lets one copy through, whichever attempt it came with.
    decision.event = eventOf(doc, choice, decision, click, policy);
    audit(choice, { at: iso(click.at), user: click.userId, action: 'redeliver', value: click.value });
    return { kind: 'redeliver', choiceId, decision: deepCopy(decision) };
  }
  if (delivery.status === 'pending' && !givenUp) {
    const retrying = delivery.lastError
      ? ` The pipeline could not be reached yet (${delivery.lastError}); slackline keeps trying until ${when(delivery.deadline)}.`
      : '';
    return refusal(
      'delivery-in-progress',
      `${title} was decided (${chosen}) and is being sent on right now; nothing more was done.${retrying}`,
      choiceId,
    );
  }
  const who = decidedByDeadline(decision)
    ? 'its deadline'
    : listOf(stringList(decision.approvers).map(mention), 'and') || mention(decision.decidedBy);
  const retry = givenUp ? ` Sending it on failed: click ${chosen} to try again.` : '';
  return refusal(
    'already-decided',
    `${title} was already decided: ${who} chose ${chosen} at ${when(decision.decidedAt)}.${retry}`,
    choiceId,
  );
}

/** One vote per user: a click on another option moves the user's vote, the same option again changes nothing. */
function vote(
  doc: ContextDocument,
  choice: ChoiceRecord,
  click: Click,
  option: DecidedOption & Record<string, unknown>,
  policy: DecisionPolicy,
): ClickOutcome {
  const choiceId = choice.id;
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
  const inputs = click.inputs ? { inputs: click.inputs } : {};
  choice.votes = [
    ...votes.filter((v) => v.user !== click.userId),
    { user: click.userId, value: click.value, at, ...inputs },
  ];
  const approvers = choice.votes.filter((v) => v.value === click.value).map((v) => v.user);
  if (approvers.length < needed) {
    audit(choice, { at, user: click.userId, action: 'voted', value: click.value, ...inputs });
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
    delivery: pendingDelivery(click.at, deadlineOf(policy), routeOf(choice, option)),
    ...inputs,
  };
  decision.event = eventOf(doc, choice, decision, click, policy);
  choice.status = 'decided';
  choice.decision = decision;
  audit(choice, { at, user: click.userId, action: 'decided', value: click.value, ...inputs });
  return { kind: 'decided', choiceId, decision: deepCopy(decision) };
}

/** The event every delivery of the decision sends, naming the clicking user. */
function eventOf(
  doc: ContextDocument,
  choice: ChoiceRecord,
  decision: Decision,
  click: Click,
  policy: DecisionPolicy,
): ForwardedEvent {
  const user = click.user ?? {
    id: click.userId,
    ...(click.userName === undefined ? {} : { name: click.userName }),
    ...(click.teamId === undefined ? {} : { teamId: click.teamId }),
  };
  const slack = click.slack ?? { channelId: click.channelId, messageTs: click.messageTs };
  return decisionEvent({ doc, choice, decision, contextId: policy.contextId, user, slack });
}

function deadlineOf(policy: DecisionPolicy): number {
  return policy.deliveryDeadlineMs ?? DEFAULT_DELIVERY_DEADLINE_MS;
}

function refuseAndAudit(
  choice: ChoiceRecord,
  click: Click,
  reason: RefusalReason,
  message: string,
): ClickOutcome {
  auditRefusalOnce(choice, {
    at: iso(click.at),
    user: click.userId,
    action: 'refused',
    value: click.value,
    reason,
  });
  return refusal(reason, message, choice.id);
}

function closedMessage(choice: ChoiceRecord, title: string): string {
  return choice.status === 'expired' && !Number.isNaN(Date.parse(String(choice.expiresAt)))
    ? `${title} expired at ${when(choice.expiresAt)}, so the click did nothing.`
    : `${title} is closed, so the click did nothing.`;
}

/** An expiry that does not parse closes the choice: a damaged record must not stay open forever. */
export function hasExpired(choice: ChoiceRecord, at: Date): boolean {
  if (choice.expiresAt === null || choice.expiresAt === undefined || choice.expiresAt === '') return false;
  const expires = Date.parse(String(choice.expiresAt));
  return Number.isNaN(expires) || at.getTime() >= expires;
}

function iso(date: Date): string {
  return date.toISOString();
}
