import {
  applyClick,
  findChoiceByMessage,
  recordDelivery,
  type ChoiceRecord,
  type ClickOutcome,
  type Decision,
} from '../../core/choice-decision';
import type { ContextDocument } from '../../core/document';
import { StoreError } from '../../core/errors';
import { choiceEvent } from '../../core/forwarded-event';
import { applyLegacyClick, recordLegacyDelivery, type LegacyClickOutcome } from '../../core/legacy-decision';
import { decodeLegacyButtonValue, type LegacyButtonValue } from '../../core/legacy-button-value';
import { contextName } from '../context-name';
import { forwardEvent, type ForwardOutcome } from '../forward-event';
import type { GatewayEnv } from '../gateway-env';
import { resolveRoute, type RouteTarget } from '../resolve-route';
import { decidedMessage, deliveryFailedMessage, expiredMessage, UNKNOWN_CONTEXT } from './choice-messages';
import { clickOrigin, clickUser, type SlackClick } from './slack-click';
import type { SlackReply } from './slack-reply';

/**
 * A click, after it was acknowledged: find its context (the message index, else a context id in a cicdstatemgr
 * button value), decide atomically in the store whether this click decides, forward once, record the outcome,
 * and show it in Slack. Refusals go to the clicking user only.
 */
export async function handleClick(env: GatewayEnv, click: SlackClick, reply: SlackReply): Promise<void> {
  const legacy = decodeLegacyButtonValue(click.value);
  const indexed = await env.store.findMessage?.(click.channelId, click.messageTs);
  const legacyId = legacy?.fields['cicdContextDataId'];
  const contextId = indexed ?? (typeof legacyId === 'string' ? legacyId : undefined);
  const log = env.logger.child({
    contextId,
    channel: click.channelId,
    messageTs: click.messageTs,
    user: click.userId,
  });
  if (!contextId) {
    env.metrics.decision('refused');
    return reply.ephemeral(UNKNOWN_CONTEXT);
  }
  const at = new Date(env.now());
  let step = await decideAtomically(env, contextId, (doc) => decide(doc, click, legacy, at, undefined));
  if (step.kind === 'needs-groups') {
    // Group membership is a Slack call, so it is asked outside the atomic update, and only when it can matter.
    const userGroups = await reply.groupsOf(click.userId, step.groups);
    step = await decideAtomically(env, contextId, (doc) => decide(doc, click, legacy, at, userGroups));
  }
  switch (step.kind) {
    case 'offered':
      return onOfferedChoice(env, click, reply, contextId, step.outcome, step.doc, log);
    case 'legacy':
      return onLegacyButton(env, click, reply, contextId, step, log);
    case 'no-context':
      env.metrics.decision('refused');
      return reply.ephemeral(`The pipeline context "${contextId}" this button belongs to no longer exists.`);
    default:
      env.metrics.decision('refused');
      return reply.ephemeral('slackline never offered a choice on this message, so nothing was forwarded.');
  }
}

/** What one pass over the context document made of a click; only `offered` and `legacy` change the document. */
type ClickStep =
  | { kind: 'offered'; outcome: ClickOutcome; doc: ContextDocument }
  | { kind: 'legacy'; outcome: LegacyClickOutcome; doc: ContextDocument; button: LegacyButtonValue }
  | { kind: 'needs-groups'; groups: string[] }
  | { kind: 'no-context' }
  | { kind: 'not-offered' };

/**
 * Applies the click to the document, inside the store's atomic read-modify-write: to the choice offered on its
 * message, else as a cicdstatemgr button. It may run again on a re-read document after a concurrent write.
 */
function decide(
  doc: ContextDocument | undefined,
  click: SlackClick,
  legacy: LegacyButtonValue | undefined,
  at: Date,
  userGroups: string[] | undefined,
): ClickStep {
  if (!doc) return { kind: 'no-context' };
  const offered = findChoiceByMessage(doc, click.channelId, click.messageTs);
  if (offered) {
    const groupsMatter = offered.allowedGroups.length > 0 && !offered.allowedUsers.includes(click.userId);
    if (groupsMatter && userGroups === undefined)
      return { kind: 'needs-groups', groups: offered.allowedGroups };
    const outcome = applyClick(doc, {
      userId: click.userId,
      userName: click.userName ?? undefined,
      teamId: click.teamId ?? undefined,
      channelId: click.channelId,
      messageTs: click.messageTs,
      value: click.value,
      userGroups,
      at,
    });
    return { kind: 'offered', outcome, doc };
  }
  if (legacy)
    return { kind: 'legacy', outcome: applyLegacyClick(doc, { ...click, at }), doc, button: legacy };
  return { kind: 'not-offered' };
}

/**
 * Runs `decide` on the context inside the store's atomic read-modify-write, offering the document for writing
 * only when the click was applied to it; the step returned, and its document, are those of the attempt that
 * counted.
 */
async function decideAtomically(
  env: GatewayEnv,
  contextId: string,
  decideOn: (doc: ContextDocument | undefined) => ClickStep,
): Promise<ClickStep> {
  let step: ClickStep | undefined;
  await env.store.update(contextId, (current) => {
    step = decideOn(current);
    return step.kind === 'offered' || step.kind === 'legacy' ? step.doc : undefined;
  });
  if (!step) throw new StoreError(`the context "${contextId}" could not be updated`);
  return step;
}

async function onOfferedChoice(
  env: GatewayEnv,
  click: SlackClick,
  reply: SlackReply,
  contextId: string,
  outcome: ClickOutcome,
  doc: ContextDocument,
  log: GatewayEnv['logger'],
): Promise<void> {
  const choice = findChoiceByMessage(doc, click.channelId, click.messageTs);
  switch (outcome.kind) {
    case 'refused':
      env.metrics.decision('refused');
      log.info(`click refused: ${outcome.reason}`);
      if (outcome.reason === 'expired' && choice) {
        await reply.update(click.channelId, click.messageTs, expiredMessage(choice));
      }
      return reply.ephemeral(outcome.message);
    case 'voted':
      env.metrics.decision('voted');
      return reply.ephemeral(
        `Your vote is recorded: ${outcome.votes} of ${outcome.needed} approvals so far.`,
      );
    case 'decided':
    case 'redeliver': {
      env.metrics.decision(outcome.kind === 'decided' ? 'decided' : 'redelivered');
      const decision = outcome.decision;
      const option = choice?.options.find((o) => o.value === decision.option.value);
      const route = option?.['route'] ?? choice?.route;
      const target = resolveRoute(typeof route === 'string' ? route : null, env.config.forwarding);
      const on = { click, decision, contextId, doc, choice };
      const result = await forwardDecision(env, log, 'decision', target, on);
      const delivery = deliveryOf(result, decision);
      await recordForwarded(env, log, contextId, (current) =>
        recordDelivery(current, decision.choiceId, delivery),
      );
      return showOutcome(reply, click, choice?.title ?? '', decision, result);
    }
  }
}

async function onLegacyButton(
  env: GatewayEnv,
  click: SlackClick,
  reply: SlackReply,
  contextId: string,
  { outcome, doc, button: legacy }: Extract<ClickStep, { kind: 'legacy' }>,
  log: GatewayEnv['logger'],
): Promise<void> {
  if (outcome.kind === 'refused') {
    env.metrics.decision('refused');
    return reply.ephemeral(outcome.message);
  }
  env.metrics.decision(outcome.kind === 'decided' ? 'decided' : 'redelivered');
  const key = outcome.key;
  const target = resolveRoute(
    env.config.forwarding.routes[legacy.trigger] ? legacy.trigger : null,
    env.config.forwarding,
  );
  const at = new Date(env.now()).toISOString();
  // A cicdstatemgr button has no offered choice: the decision is this click on this value.
  const decision: Decision = {
    choiceId: key,
    option: { group: '', header: '', text: legacy.label, value: click.value, style: null },
    decidedBy: click.userId,
    approvers: [click.userId],
    decidedAt: at,
    message: { channel: click.channelId, ts: click.messageTs },
    delivery: { status: 'pending', attempts: 0, since: at },
  };
  const on = { click, decision, contextId, doc };
  const result = await forwardDecision(env, log, 'legacy button', target, on);
  await recordForwarded(env, log, contextId, (current) =>
    recordLegacyDelivery(
      current,
      key,
      result.delivered
        ? { status: 'delivered', eventId: result.eventId, at, route: result.route }
        : { status: 'failed', error: result.error ?? 'unknown error', at, route: result.route },
    ),
  );
  const title = typeof click.message?.['text'] === 'string' ? click.message['text'] : legacy.label;
  return showOutcome(reply, click, title, decision, result);
}

/** How long the outcome of a forward is tried again while the store cannot be reached. */
const RECORD_RETRY_MS = 60_000;

/**
 * Records what became of a forward. It has happened, so a store that went away meanwhile does not stop it: it is
 * tried again until the store is back (or RECORD_RETRY_MS have passed, then logged as an error), and the outcome
 * is shown in Slack either way. Telling the user that "nothing was forwarded" would be untrue, and the choice
 * would stay "being sent" for ever.
 */
async function recordForwarded(
  env: GatewayEnv,
  log: GatewayEnv['logger'],
  contextId: string,
  record: (doc: ContextDocument) => void,
): Promise<void> {
  const deadline = Date.now() + RECORD_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await env.store.update(contextId, (current) => {
        if (!current) return undefined; // deleted meanwhile: nothing left to record in
        record(current);
        return current;
      });
      return;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      const message = error.message;
      if (Date.now() >= deadline) {
        log.error(`the outcome of a forward could not be recorded: ${message}`);
        return;
      }
      log.warn(`the outcome of a forward could not be recorded yet, trying again: ${message}`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** attempt)));
    }
  }
}

/**
 * Forwards a decision as its event, logged; an offered choice's and a cicdstatemgr button's are the same event,
 * a button's without a choice record.
 */
async function forwardDecision(
  env: GatewayEnv,
  log: GatewayEnv['logger'],
  what: string,
  target: RouteTarget,
  on: {
    click: SlackClick;
    decision: Decision;
    contextId: string;
    doc: ContextDocument;
    choice?: ChoiceRecord;
  },
): Promise<ForwardOutcome> {
  const event = choiceEvent({
    decision: on.decision,
    choice: on.choice,
    context: { id: on.contextId, name: contextName(on.doc) },
    user: clickUser(on.click),
    slack: clickOrigin(on.click),
  });
  const result = await forwardEvent(env, target, event);
  log
    .child({ eventId: result.eventId })
    .info(`${what} forwarded: ${result.delivered ? 'delivered' : result.error}`);
  return result;
}

function deliveryOf(result: ForwardOutcome, decision: Decision) {
  const at = new Date().toISOString();
  const attempts = (decision.delivery.attempts ?? 0) + Math.max(result.attempts, 1);
  return result.delivered
    ? ({ status: 'delivered', attempts, eventId: result.eventId, at, route: result.route } as const)
    : ({
        status: 'failed',
        attempts,
        error: result.error ?? 'unknown error',
        at,
        route: result.route,
      } as const);
}

function showOutcome(
  reply: SlackReply,
  click: SlackClick,
  title: string,
  decision: Decision,
  result: ForwardOutcome,
) {
  const content = result.delivered
    ? decidedMessage({
        title,
        optionText: decision.option.text,
        approvers: decision.approvers,
        eventId: result.eventId,
        route: result.route,
      })
    : deliveryFailedMessage({
        title,
        optionText: decision.option.text,
        approvers: decision.approvers,
        error: result.error ?? 'unknown error',
        original: click.message,
      });
  return reply.update(click.channelId, click.messageTs, content);
}
