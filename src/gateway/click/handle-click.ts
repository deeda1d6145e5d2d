import type { ClickOutcome } from '../../core/choice/click';
import { findChoiceByMessage } from '../../core/choice/read-choice';
import type { ContextDocument } from '../../core/document';
import type { GatewayEnv } from '../gateway-env';
import type { AckEntry } from '../intake/intake-worker';
import { choiceDelivery } from '../outbox/choice-delivery';
import { deliver } from '../outbox/deliver';
import { leaseMs } from '../outbox/lease-ms';
import { outboxRef } from '../outbox/outbox-ref';
import { expiredMessage } from '../slack/choice-messages';
import { decideClick } from './decide-click';
import { resolveClick } from './resolve-click';
import type { SlackClick } from './slack-click';

/**
 * A click taken from the intake log: resolve its context (`indexed`: as the message index named it before the
 * ack), decide atomically, and, for a decision, put it in the outbox together with the log's ack, then
 * forward, record and show it. Anything else is told to the clicking user alone. Run again after a crash, it
 * decides nothing twice: the kernel sees the recorded votes and decision, and a decision still being delivered
 * is only made sure to be in the outbox.
 */
export async function handleClick(
  env: GatewayEnv,
  click: SlackClick,
  ack: AckEntry,
  indexed?: string,
): Promise<void> {
  const target = await resolveClick(env, click, indexed);
  if (target.kind === 'unknown') {
    env.metrics.decision('refused');
    await tell(env, click, target.message);
    return ack();
  }
  const { contextId } = target;
  const { outcome, doc } = await decideClick(env, target, click);
  env.logger
    .child({ contextId, channel: click.channelId, messageTs: click.messageTs, user: click.userId })
    .info(`click: ${outcome.kind === 'refused' ? `refused (${outcome.reason})` : outcome.kind}`);
  if (outcome.kind === 'decided' || outcome.kind === 'redeliver') {
    env.metrics.decision(outcome.kind === 'decided' ? 'decided' : 'redelivered');
    const ref = { contextId, choiceId: outcome.choiceId };
    // The lease: if this process dies before the outcome is recorded, a sweeper delivers when it ends.
    await ack({ ref: outboxRef({ kind: 'choice', ...ref }), delayMs: leaseMs(env), onlyIfAbsent: false });
    await deliver(env, choiceDelivery(env, ref, doc));
    return;
  }
  env.metrics.decision(outcome.kind === 'voted' ? 'voted' : 'refused');
  await tellUser(env, click, outcome, doc);
  if (outcome.kind === 'refused' && outcome.reason === 'delivery-in-progress' && outcome.choiceId) {
    // Decided, and perhaps never put in the outbox (a crash in between): the outbox gets it unless it has it,
    // due when a lease would end. Due at once, a sweeper would send it beside the worker that decided it a
    // moment ago and is sending it now, which puts it in the outbox (with its lease) as it acks.
    const ref = outboxRef({ kind: 'choice', contextId, choiceId: outcome.choiceId });
    return ack({ ref, delayMs: leaseMs(env), onlyIfAbsent: true });
  }
  return ack();
}

async function tellUser(
  env: GatewayEnv,
  click: SlackClick,
  outcome: Exclude<ClickOutcome, { kind: 'decided' | 'redeliver' }>,
  doc: ContextDocument | undefined,
): Promise<void> {
  if (outcome.kind === 'voted') {
    const text = `Your vote is recorded: ${outcome.votes} of ${outcome.needed} approvals so far.`;
    return tell(env, click, text);
  }
  const choice = doc && findChoiceByMessage(doc, click.channelId, click.messageTs);
  if (outcome.reason === 'expired' && choice) {
    await env.slack.update(click.channelId, click.messageTs, expiredMessage(choice));
  }
  return tell(env, click, outcome.message);
}

/** To the clicking user alone: through the click's response_url, or in the channel for a modal's submission. */
function tell(env: GatewayEnv, click: SlackClick, text: string): Promise<void> {
  return click.responseUrl || click.type !== 'view_submission'
    ? env.slack.ephemeral(click.responseUrl, text)
    : env.slack.ephemeralTo(click.channelId, click.userId, text);
}
