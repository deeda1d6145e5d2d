import { handleClick } from '../click/handle-click';
import { slackClickFrom } from '../click/slack-click';
import { handleCommand } from '../command/handle-command';
import { submissionClick } from '../dialog/dialog-submission';
import type { SlashCommand } from '../command/slash-command';
import type { GatewayEnv } from '../gateway-env';
import type { EntryHandler } from './intake-worker';

/** What the intake worker does with each entry: a click (or a modal's submission), or a slash command. */
export function workOnEntry(env: GatewayEnv): EntryHandler {
  return async (entry, ack) => {
    const body = parseObject(entry.body);
    if (entry.kind === 'command') {
      if (typeof body['command'] !== 'string' || typeof body['user_id'] !== 'string') return ack();
      const command = {
        ...body,
        text: typeof body['text'] === 'string' ? body['text'] : '',
      } as unknown as SlashCommand;
      return handleCommand(env, command, entry.requestKey, ack);
    }
    // Checked before it was logged; an entry from elsewhere that is not a click is dropped.
    const click = body['type'] === 'view_submission' ? submissionClick(body) : slackClickFrom(body);
    return click ? handleClick(env, click, ack, entry.contextId) : ack();
  };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
