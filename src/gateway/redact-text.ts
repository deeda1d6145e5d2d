import { isSecretKey } from './json-logger';

const REDACTED = '[redacted]';

/**
 * Credentials recognisable by their form wherever they appear: Slack tokens (bot, user, app-level, …),
 * response_url and incoming-webhook URLs (plain, JSON-escaped or percent-encoded: whoever holds one may post to
 * the channel for 30 minutes), and request signatures (Slack's v0, slackline's v1).
 */
const SECRET_VALUES: readonly RegExp[] = [
  /\bx(?:ox[a-z]|app)-[0-9A-Za-z-]+/g,
  /https?(?::|%3A)(?:\\?\/|%2F){2}hooks\.slack\.com[^\s"'<>&]*/gi,
  /\bv[01]=[0-9a-f]{64}\b/g,
];

/** `"key": "value"` in JSON text (one level of escaping): the value goes when the key names a secret. */
const JSON_PAIR = /"((?:[^"\\]|\\.){1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;
/** `key=value` in a form or query string. */
const FORM_PAIR = /(^|[?&\s])([A-Za-z0-9_.-]{1,64})=([^&\s]*)/g;

/**
 * Free text with its secrets taken out. Bolt, the Web API client and the Socket Mode client log whole payloads
 * and requests as text (the Socket Mode client every message off the WebSocket, verification token and
 * response_url included), where key-based redaction of structured fields cannot reach.
 */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUES) out = out.replace(pattern, REDACTED);
  out = out.replace(JSON_PAIR, (pair, key: string, colon: string) =>
    isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : pair,
  );
  return out.replace(FORM_PAIR, (pair, lead: string, key: string) =>
    isSecretKey(key) ? `${lead}${key}=${REDACTED}` : pair,
  );
}
