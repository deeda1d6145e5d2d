import { isPlainObject } from '../core/document';

/** The headers cicdstatemgr sends to Slack (notify, manual-choice, respond), with the bot token when there is one. */
export function slackHeaders(secretData: Record<string, unknown>): Record<string, string> {
  const slack = secretData['slack'];
  const token = isPlainObject(slack) && typeof slack['token'] === 'string' ? slack['token'] : undefined;
  return {
    'Content-Type': 'application/json; charset=UTF-8',
    Accept: '*/*',
    'Cache-Control': 'no-cache',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
}
