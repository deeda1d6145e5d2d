import type { App } from '@slack/bolt';
import { slackClickFrom } from '../click/slack-click';
import type { GatewayEnv } from '../gateway-env';
import { acceptRequest, responseUrlOf } from '../intake/accept-request';

const UNREADABLE_CLICK =
  'slackline could not read this click (no value, user or message), so nothing happened.';

/**
 * Bolt dispatches; every listener only logs the request to the intake log and acknowledges it (Slack's 3
 * seconds). The work is done by the intake workers, in this replica or another.
 */
export function registerListeners(bolt: App, env: GatewayEnv): void {
  for (const type of ['block_actions', 'interactive_message'] as const) {
    bolt.action({ type }, async ({ ack, body }) => {
      const payload = body as unknown as Record<string, unknown>;
      if (!slackClickFrom(payload)) {
        await ack();
        env.metrics.request(type, 'invalid');
        return env.slack.ephemeral(responseUrlOf(payload), UNREADABLE_CLICK);
      }
      return acceptRequest(env, { type, kind: 'click', body: payload, ack: () => ack() });
    });
  }
  bolt.command(/.*/, async ({ ack, command }) =>
    acceptRequest(env, {
      type: 'slash_command',
      kind: 'command',
      body: command as unknown as Record<string, unknown>,
      ack: () => ack(),
    }),
  );
}
