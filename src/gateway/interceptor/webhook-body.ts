import type { ReadRequest } from './read-slack-request';
import type { SlacklineExtension } from './slackline-extension';

/**
 * The body the webhook answers with, which replaces the event's body: exactly what slack-payload-handler produced
 * (an interaction's decoded payload plus `action_values`; a slash command's fields as flat strings), plus the
 * `slackline` description, and the `extensions` an EventListener had merged into the body, which later CEL reads
 * as `body.extensions`. A forwarded event or other slackline-signed JSON is kept as it is, with `slackline` added.
 */
export function webhookBody(read: ReadRequest, extension: SlacklineExtension): Record<string, unknown> {
  const { request } = read;
  const original =
    request.kind === 'interaction'
      ? { ...request.payload, action_values: extension.actionValues }
      : request.kind === 'command'
        ? { ...request.fields }
        : request.kind === 'forwarded'
          ? { ...request.event }
          : { ...request.json };
  return {
    ...original,
    ...(read.extensions ? { extensions: read.extensions } : {}),
    slackline: extension,
  };
}
