import type { App } from '@slack/bolt';
import { slackClickFrom } from '../click/slack-click';
import { CHOICE_INPUTS_CALLBACK } from '../dialog/choice-modal';
import { checkSubmission, submissionClick } from '../dialog/dialog-submission';
import { openDialog } from '../dialog/open-dialog';
import type { GatewayEnv } from '../gateway-env';
import { acceptRequest, responseUrlOf } from '../intake/accept-request';
import { arrivedAt } from './request-arrival';

/** Every callback_id but that of slackline's own modal. */
const NOT_OURS = new RegExp(`^(?!${CHOICE_INPUTS_CALLBACK}$)`);

const UNREADABLE_CLICK =
  'slackline could not read this click (no value, user or message), so nothing happened.';

/**
 * Bolt dispatches; every listener only logs the request to the intake log and acknowledges it (Slack's 3
 * seconds). The work is done by the intake workers, in this replica or another. Two things are answered in the
 * request itself, because Slack needs them there: a click on an option with inputs opens its modal (the
 * trigger_id lasts 3 s), and a submission with answers the inputs refuse is answered with its errors.
 */
export function registerListeners(bolt: App, env: GatewayEnv): void {
  for (const type of ['block_actions', 'interactive_message'] as const) {
    bolt.action({ type }, async ({ ack, body, context }) => {
      const payload = body as unknown as Record<string, unknown>;
      const arrived = arrivedAt(context);
      const click = slackClickFrom(payload);
      if (!click) {
        await ack();
        env.metrics.ack(type, (performance.now() - arrived) / 1000);
        env.metrics.request(type, 'invalid');
        return env.slack.ephemeral(responseUrlOf(payload), UNREADABLE_CLICK);
      }
      const looked = await openDialog(env, click, () => ack(), arrived);
      if (looked === 'answered') return;
      return acceptRequest(env, {
        type,
        kind: 'click',
        body: payload,
        ack: () => ack(),
        arrivedAt: arrived,
        ...looked,
      });
    });
  }
  bolt.view(
    { callback_id: CHOICE_INPUTS_CALLBACK, type: 'view_submission' },
    async ({ ack, body, context }) => {
      const payload = body as unknown as Record<string, unknown>;
      const arrived = arrivedAt(context);
      const type = 'view_submission';
      const click = submissionClick(payload);
      const errors = await checkSubmission(env, payload);
      if (!click || errors) {
        await ack(errors);
        env.metrics.ack(type, (performance.now() - arrived) / 1000);
        return env.metrics.request(type, 'invalid');
      }
      return acceptRequest(env, {
        type,
        kind: 'click',
        body: payload,
        ack: () => ack(),
        arrivedAt: arrived,
        tell: (text) => env.slack.ephemeralTo(click.channelId, click.userId, text),
      });
    },
  );
  // Closing a modal decides nothing (its views are opened with notify_on_close off; one that comes is acked).
  bolt.view({ callback_id: CHOICE_INPUTS_CALLBACK, type: 'view_closed' }, async ({ ack }) => ack());
  // A form slackline did not open (another feature of the same Slack app, an older version's): answered, so
  // Slack does not show its user an error after 3 s, and otherwise left alone.
  bolt.view({ callback_id: NOT_OURS, type: 'view_submission' }, async ({ ack, body }) => {
    await ack();
    env.metrics.request('view_submission', 'invalid');
    env.logger.warn(
      `a form slackline did not open was submitted (callback_id ${body.view.callback_id}): ignored`,
    );
  });
  bolt.command(/.*/, async ({ ack, command, context }) =>
    acceptRequest(env, {
      type: 'slash_command',
      kind: 'command',
      body: command as unknown as Record<string, unknown>,
      ack: () => ack(),
      arrivedAt: arrivedAt(context),
    }),
  );
}
