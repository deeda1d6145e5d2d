import type { SlackMessageContent } from './choice-messages';

/** How a handler answers in Slack; built from Bolt's `respond` and WebClient for each request. */
export interface SlackReply {
  /** Only the clicking user sees it (through the request's response_url). */
  ephemeral(text: string): Promise<void>;
  /** chat.update on the message that carried the buttons. */
  update(channel: string, ts: string, content: SlackMessageContent): Promise<void>;
  /** Which of `groups` (Slack user group ids) the user is in. */
  groupsOf(userId: string, groups: readonly string[]): Promise<string[]>;
}
