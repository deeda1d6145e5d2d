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

/**
 * A view_submission of a modal as Slack posts it (docs.slack.dev/reference/interaction-payloads/
 * view-interactions-payload): the view FakeSlack opened, with `state.values` keyed by block_id and action_id.
 * `answers` maps a block_id to a text field's value, or to `{ selected: value }` for a static select.
 */
export function viewSubmissionPayload(spec: {
  view: Record<string, unknown>;
  userId: string;
  answers: Record<string, string | { selected: string } | null>;
  triggerId?: string;
}) {
  const blocks = (spec.view['blocks'] as Record<string, unknown>[]) ?? [];
  const values: Record<string, unknown> = {};
  for (const block of blocks) {
    if (block['type'] !== 'input') continue;
    const element = block['element'] as Record<string, unknown>;
    const answer = spec.answers[block['block_id'] as string] ?? null;
    const selected =
      answer && typeof answer === 'object'
        ? ((element['options'] as Record<string, unknown>[]).find((o) => o['value'] === answer.selected) ?? {
            text: { type: 'plain_text', text: answer.selected },
            value: answer.selected,
          })
        : null;
    values[block['block_id'] as string] = {
      [element['action_id'] as string]:
        element['type'] === 'static_select'
          ? { type: 'static_select', selected_option: selected }
          : { type: 'plain_text_input', value: typeof answer === 'string' ? answer : null },
    };
  }
  return {
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'test' },
    user: {
      id: spec.userId,
      username: spec.userId.toLowerCase(),
      name: `name-${spec.userId}`,
      team_id: 'T0TEST',
    },
    api_app_id: 'A0TEST',
    token: 'deprecated',
    trigger_id: spec.triggerId ?? newTriggerId(),
    view: { ...spec.view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A view_closed payload, as Slack sends it when a modal opened with notify_on_close is closed. */
export function viewClosedPayload(view: Record<string, unknown>, userId: string) {
  return {
    type: 'view_closed',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: userId, username: userId.toLowerCase(), name: `name-${userId}`, team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'deprecated',
    view,
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
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
