import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { StoreError } from '../../core/errors';
import type { GatewayEnv } from '../gateway-env';
import type { WorkQueue } from '../work-queue';
import { STORE_UNAVAILABLE, UNEXPECTED_FAILURE } from './choice-messages';
import { handleClick } from './handle-click';
import { handleCommand } from './handle-command';
import { slackClickFrom } from './slack-click';
import type { SlackReply } from './slack-reply';

type WebClient = AllMiddlewareArgs['client'];

/**
 * Every listener acknowledges first (Slack's 3 seconds), then works, through `afterAck`. A failure after the
 * ack is told to the user as an ephemeral message; Slack never sees a 5xx for it.
 */
export function registerListeners(bolt: App, env: GatewayEnv, afterAck: WorkQueue): void {
  const onClick = async (args: {
    ack: () => Promise<void>;
    body: unknown;
    respond?: RespondFn;
    client: WebClient;
  }) => {
    await args.ack();
    const type = (args.body as { type: 'block_actions' | 'interactive_message' }).type;
    const reply = slackReply(args.client, args.respond, env);
    const click = slackClickFrom(args.body);
    if (!click) {
      env.metrics.request(type, 'invalid');
      return reply.ephemeral(
        'slackline could not read this click (no value, user or message), so nothing happened.',
      );
    }
    env.metrics.request(type, 'ok');
    await afterAck.run(() => safely(env, reply, () => handleClick(env, click, reply)));
  };
  bolt.action({ type: 'block_actions' }, onClick);
  bolt.action({ type: 'interactive_message' }, onClick);

  bolt.command(/.*/, async ({ ack, command, respond, client }) => {
    await ack();
    env.metrics.request('slash_command', 'ok');
    const reply = slackReply(client, respond, env);
    await afterAck.run(() =>
      safely(env, reply, () => handleCommand(env, command, (text) => reply.ephemeral(text))),
    );
  });
}

async function safely(env: GatewayEnv, reply: SlackReply, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof StoreError) {
      env.logger.warn(`state store unavailable: ${message}`);
      await reply.ephemeral(STORE_UNAVAILABLE).catch(() => {});
    } else {
      env.logger.error(`handling a Slack request failed: ${message}`);
      await reply.ephemeral(UNEXPECTED_FAILURE).catch(() => {});
    }
  }
}

function slackReply(client: WebClient, respond: RespondFn | undefined, env: GatewayEnv): SlackReply {
  return {
    async ephemeral(text) {
      if (!respond) return env.logger.warn(`no response_url to tell the user: ${text}`);
      try {
        await respond({ response_type: 'ephemeral', replace_original: false, text });
      } catch (error) {
        env.logger.warn(`could not answer through response_url: ${(error as Error).message}`);
      }
    },
    async update(channel, ts, content) {
      try {
        await client.chat.update({
          channel,
          ts,
          text: content.text,
          ...(content.blocks ? { blocks: content.blocks as never } : {}),
          ...(content.attachments ? { attachments: content.attachments as never } : {}),
        });
      } catch (error) {
        env.logger.warn(`chat.update of ${channel} ${ts} failed: ${(error as Error).message}`);
      }
    },
    async groupsOf(userId, groups) {
      const member: string[] = [];
      for (const usergroup of groups) {
        const answer = await client.usergroups.users.list({ usergroup });
        if (answer.users?.includes(userId)) member.push(usergroup);
      }
      return member;
    },
  };
}
