import { dialogFor, type Dialog } from '../../core/choice/dialog-for';
import { findChoiceByMessage } from '../../core/choice/read-choice';
import { mrkdwn } from '../../core/choice/slack-text';
import { kernelClick } from '../click/decide-click';
import type { SlackClick } from '../click/slack-click';
import type { GatewayEnv } from '../gateway-env';
import { choiceModal } from './choice-modal';
import { within } from './within';

/**
 * How long a click may spend finding out whether its option asks for inputs: one index lookup and one read.
 * Past it the click goes the way of every click, and an option with inputs is refused with "click again".
 */
const LOOKUP_WITHIN_MS = 500;
/** Slack's window is 3 s from the click: the ack goes by then, whether or not views.open has answered. */
const ACK_WITHIN_MS = 2500;

/**
 * A click on an option that declares inputs opens its modal here, in the click's own request: a trigger_id is
 * good for 3 s, so this cannot wait behind the intake log and its workers. Nothing is decided or written: the
 * decision comes with the submission (dialog-submission.ts). Resolves to `answered` when the click was
 * answered here; else the caller logs it as any click, with the context the lookup found, if any.
 */
export async function openDialog(
  env: GatewayEnv,
  click: SlackClick,
  ack: () => Promise<void>,
  arrivedAt: number,
): Promise<'answered' | { contextId?: string }> {
  const { triggerId } = click;
  if (click.type !== 'block_actions' || !triggerId) return {};
  const found = await within(LOOKUP_WITHIN_MS, lookUp(env, click)).catch((error: unknown) => {
    env.logger.warn(`could not check whether a click opens a form: ${(error as Error).message}`);
    return undefined;
  });
  if (!found?.dialog) return found ? { contextId: found.contextId } : {};
  const { contextId, dialog } = found;
  const log = env.logger.child({
    contextId,
    channel: click.channelId,
    messageTs: click.messageTs,
    user: click.userId,
  });
  const option = `"${mrkdwn(dialog.option.text)}"`;
  const view = choiceModal(dialog, {
    contextId,
    choiceId: dialog.choice.id,
    value: click.value,
    channel: click.channelId,
    messageTs: click.messageTs,
  });
  const opening = view
    ? env.slack.openView(triggerId, view)
    : Promise.resolve('the option value is too long');
  await within(Math.max(0, arrivedAt + ACK_WITHIN_MS - performance.now()), opening).catch(() => undefined);
  await ack();
  env.metrics.ack(click.type, (performance.now() - arrivedAt) / 1000);
  const problem = await opening;
  // Slack's retry of a click whose modal an earlier copy opened: the user has the modal, nothing to tell.
  const retried = problem === 'exchanged_trigger_id';
  env.metrics.request(click.type, retried ? 'duplicate' : problem ? 'error' : 'ok');
  if (!problem || retried) {
    log.info(
      `click: ${retried ? 'its form was opened already' : `opened the form of ${dialog.option.text}`}`,
    );
    return 'answered';
  }
  log.warn(`click: the form of an option could not be opened: ${problem}`);
  await env.slack.ephemeral(
    click.responseUrl,
    `slackline could not open the form of ${option} (${problem}): click it again.`,
  );
  return 'answered';
}

async function lookUp(
  env: GatewayEnv,
  click: SlackClick,
): Promise<{ contextId: string; dialog: Dialog | undefined } | undefined> {
  const contextId = await env.store.findMessage?.(click.channelId, click.messageTs);
  if (!contextId) return undefined;
  // As findMessage just read it, and entry by entry: a large document costs no second read and no parse here.
  const doc = await env.store.peek(contextId);
  const choice = doc && findChoiceByMessage(doc, click.channelId, click.messageTs);
  const dialog = choice ? dialogFor(choice, kernelClick(click, new Date(env.now()))) : undefined;
  return { contextId, dialog };
}
