import type { App } from '@slack/bolt';
import { slackClickFrom } from '../click/slack-click';
import type { GatewayEnv } from '../gateway-env';
import { acceptRequest, responseUrlOf } from '../intake/accept-request';
import { arrivedAt } from './request-arrival';

const UNREADABLE_CLICK =
  'slackline could not read this click (no value, user or message), so nothing happened.';

/**
 * Bolt dispatches; every listener only logs the request to the intake log and acknowledges it (Slack's 3
 * seconds). The work is done by the intake workers, in this replica or another.
 */
export function registerListeners(bolt: App, env: GatewayEnv): void {
  for (const type of ['block_actions', 'interactive_message'] as const) {
    bolt.action({ type }, async ({ ack, body, context }) => {
      const payload = body as unknown as Record<string, unknown>;
      const arrived = arrivedAt(context);
      if (!slackClickFrom(payload)) {
        await ack();
        env.metrics.ack(type, (performance.now() - arrived) / 1000);
        env.metrics.request(type, 'invalid');
        return env.slack.ephemeral(responseUrlOf(payload), UNREADABLE_CLICK);
      }
      return acceptRequest(env, { type, kind: 'click', body: payload, ack: () => ack(), arrivedAt: arrived });
    });
  }
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
