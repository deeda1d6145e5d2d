import { createHmac, randomBytes } from 'node:crypto';

let triggerSerial = 0;

/**
 * A trigger_id shaped as Slack's (`<number>.<number>.<hex>`), new for every call: Slack gives every click and
 * command its own, and keeps it only when it retries the same request, which the gateway deduplicates on.
 */
export function newTriggerId(): string {
  triggerSerial += 1;
  return `${Date.now()}.${process.pid}${triggerSerial}.${randomBytes(10).toString('hex')}`;
}

/** Slack's v0 signature headers for `body`, as Slack computes them. */
export function slackSignature(secret: string, body: string, timestampSec = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': signature };
}

export const FORM = 'application/x-www-form-urlencoded';

/** An interaction as Slack posts it: a form whose `payload` field is the JSON. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface ClickSpec {
  channelId: string;
  messageTs: string;
  value: string;
  userId: string;
  responseUrl: string;
  text?: string;
  /** The value of the message's button, when a test clicks a value the message does not show. */
  messageValue?: string;
  /** Slack's id of this one interaction; a new one unless the test replays a request. */
  triggerId?: string;
}

/** A block_actions click on a message button (shape from Slack's reference). */
export function blockActionsPayload(click: ClickSpec) {
  return {
    type: 'block_actions',
    api_app_id: 'A0TEST',
    trigger_id: click.triggerId ?? newTriggerId(),
    user: {
      id: click.userId,
      username: click.userId.toLowerCase(),
      name: `name-${click.userId}`,
      team_id: 'T0TEST',
    },
    team: { id: 'T0TEST', domain: 'test' },
    container: {
      type: 'message',
      message_ts: click.messageTs,
      channel_id: click.channelId,
      is_ephemeral: false,
    },
    channel: { id: click.channelId, name: 'releases' },
    // The message as Slack shows it, its clicked button among its blocks.
    message: {
      type: 'message',
      ts: click.messageTs,
      text: 'Pick one',
      blocks: [
        {
          type: 'actions',
          block_id: 'b1',
          elements: [
            {
              type: 'button',
              action_id: 'choice',
              text: { type: 'plain_text', text: click.text ?? click.value },
              value: click.messageValue ?? click.value,
            },
          ],
        },
      ],
    },
    response_url: click.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: 'choice',
        block_id: 'b1',
        value: click.value,
        text: { type: 'plain_text', text: click.text ?? click.value },
        action_ts: '1700000001.000200',
      },
    ],
  };
}

/** A slash command as Slack posts it: a flat form. */
export function slashCommandBody(
  command: string,
  text: string,
  userId: string,
  responseUrl: string,
  triggerId = newTriggerId(),
): string {
  return new URLSearchParams({
    token: 'deprecated',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0CMD',
    channel_name: 'ops',
    user_id: userId,
    user_name: 'ana',
    command,
    text,
    api_app_id: 'A0TEST',
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
}

/** Polls until `probe` returns something (not undefined/false), or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
