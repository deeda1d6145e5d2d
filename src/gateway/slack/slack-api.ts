import type { App } from '@slack/bolt';
import type { HttpClient } from '../../http/http-client';
import type { JsonLogger } from '../json-logger';
import type { GatewayMetrics } from '../metrics';
import type { SlackMessageContent } from './choice-messages';
import { slackFailureKind } from './slack-failure-kind';

/**
 * How the gateway answers in Slack after a request's ack: the work may be done by another replica, or after a
 * restart, so it goes through the bot's WebClient and the request's response_url, not the listener's `respond`.
 * Failures are logged, never thrown: what happened stays recorded whatever Slack says; and counted, by kind.
 */
export interface SlackApi {
  /** Only the user who clicked or typed sees it (through the request's response_url, valid 30 minutes). */
  ephemeral(responseUrl: string | null, text: string): Promise<void>;
  /** chat.update on the message that carried the buttons. */
  update(channel: string, ts: string, content: SlackMessageContent): Promise<void>;
  /**
   * chat.postMessage (a run card), into `threadTs`'s thread when given. Resolves to where it was posted (the
   * channel as an id), or undefined when Slack refused it or could not be reached.
   */
  postMessage(
    channel: string,
    threadTs: string | null,
    content: SlackMessageContent,
  ): Promise<{ channel: string; ts: string } | undefined>;
  /** Which of `groups` (Slack user group ids) the user is in; throws when Slack cannot tell. */
  groupsOf(userId: string, groups: readonly string[]): Promise<string[]>;
  /**
   * views.open with a request's trigger_id (valid 3 s, once): undefined when the modal is open, else what went
   * wrong (Slack's error, e.g. `expired_trigger_id`).
   */
  openView(triggerId: string, view: Record<string, unknown>): Promise<string | undefined>;
  /** chat.postEphemeral: for a request without a response_url (a modal's submission). */
  ephemeralTo(channel: string, user: string, text: string): Promise<void>;
}

export function slackApi(
  bolt: App,
  botToken: string,
  { http, logger, metrics }: { http: HttpClient; logger: JsonLogger; metrics: GatewayMetrics },
): SlackApi {
  const token = botToken;
  const failed = (error: unknown) => metrics.dependencyFailure('slack', slackFailureKind(error));
  const rethrowCounted = (error: unknown): never => {
    failed(error);
    throw error;
  };
  return {
    ephemeral: (responseUrl, text) => answerThroughResponseUrl({ http, logger, metrics }, responseUrl, text),
    async update(channel, ts, content) {
      try {
        await bolt.client.chat.update({
          token,
          channel,
          ts,
          text: content.text,
          ...(content.blocks ? { blocks: content.blocks as never } : {}),
          ...(content.attachments ? { attachments: content.attachments as never } : {}),
        });
      } catch (error) {
        failed(error);
        logger.warn(`chat.update of ${channel} ${ts} failed: ${(error as Error).message}`);
      }
    },
    async postMessage(channel, threadTs, content) {
      try {
        const answer = await bolt.client.chat.postMessage({
          token,
          channel,
          text: content.text,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(content.blocks ? { blocks: content.blocks as never } : {}),
        });
        if (answer.channel && answer.ts) return { channel: answer.channel, ts: answer.ts };
        logger.warn(`chat.postMessage to ${channel} answered without a channel and ts`);
      } catch (error) {
        logger.warn(`chat.postMessage to ${channel} failed: ${(error as Error).message}`);
      }
      return undefined;
    },
    async openView(triggerId, view) {
      try {
        await bolt.client.views.open({ token, trigger_id: triggerId, view: view as never });
        return undefined;
      } catch (error) {
        failed(error);
        logger.warn(`views.open failed: ${(error as Error).message}`);
        return (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
      }
    },
    async ephemeralTo(channel, user, text) {
      try {
        await bolt.client.chat.postEphemeral({ token, channel, user, text });
      } catch (error) {
        failed(error);
        logger.warn(`chat.postEphemeral to ${channel} failed: ${(error as Error).message}`);
      }
    },
    async groupsOf(userId, groups) {
      const member: string[] = [];
      for (const usergroup of groups) {
        // Called plainly, so test/helpers/slack-manifest-checks.ts finds the method and its scope.
        const answer = await bolt.client.usergroups.users.list({ token, usergroup }).catch(rethrowCounted);
        if (answer.users?.includes(userId)) member.push(usergroup);
      }
      return member;
    },
  };
}

/** An ephemeral answer through a request's response_url, which needs no token and no scope. */
async function answerThroughResponseUrl(
  { http, logger, metrics }: { http: HttpClient; logger: JsonLogger; metrics: GatewayMetrics },
  responseUrl: string | null,
  text: string,
): Promise<void> {
  if (!responseUrl) return logger.warn(`no response_url to tell the user: ${text}`);
  try {
    const body = JSON.stringify({ response_type: 'ephemeral', replace_original: false, text });
    const answer = await http.post({
      url: responseUrl,
      headers: { 'Content-Type': 'application/json' },
      body,
      purpose: 'Slack response_url',
    });
    if (answer.status !== 200) {
      metrics.dependencyFailure('slack', 'http-status');
      logger.warn(`Slack's response_url answered ${answer.status}`);
    }
  } catch (error) {
    metrics.dependencyFailure('slack', slackFailureKind(error));
    logger.warn(`could not answer through response_url: ${(error as Error).message}`);
  }
}
