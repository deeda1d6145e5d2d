import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How slackline signs what it forwards (a trigger-pipeline POST from the CLI, the gateway's forwards), so the
 * receiver can tell it from anyone else who can reach the URL. Modelled on Slack's v0 request signing, with
 * its own version tag and header names so a Slack signature can never pass for a slackline one.
 */
export const SIGNATURE_HEADER = 'x-slackline-signature';
export const TIMESTAMP_HEADER = 'x-slackline-request-timestamp';

const VERSION = 'v1';
const SIGNATURE_PATTERN = /^v1=([0-9a-f]{64})$/;

/** `v1=` + hex HMAC-SHA256 of `v1:<timestamp>:<body>`, secret and body as UTF-8. */
export function signForward(secret: string, timestampSeconds: number, body: string): string {
  return `${VERSION}=${hmac(secret, String(timestampSeconds), body).toString('hex')}`;
}

/** The two headers to add to a forwarded request whose body is exactly `body`. */
export function forwardSignatureHeaders(
  secret: string,
  body: string,
  nowMs: number = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signForward(secret, timestamp, body) };
}

export type ForwardVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Accepts the request when its signature matches any of `secrets` (several during a rotation) and its
 * timestamp is within `toleranceSeconds` of now in either direction (a future one is as suspect as a replay).
 * `body` must be the raw body as received, before any parsing.
 */
export function verifyForwardSignature(
  secrets: readonly string[],
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number = Date.now(),
  toleranceSeconds = 300,
): ForwardVerdict {
  // An empty secret would make the HMAC key public knowledge; never let it verify anything.
  const keys = secrets.filter((secret) => secret.length > 0);
  if (keys.length === 0) return { ok: false, reason: 'no signing secret configured' };

  const timestamp = headerValue(headers, TIMESTAMP_HEADER);
  const signature = headerValue(headers, SIGNATURE_HEADER);
  if (timestamp === undefined || signature === undefined) {
    const names: string[] = [];
    if (timestamp === undefined) names.push(TIMESTAMP_HEADER);
    if (signature === undefined) names.push(SIGNATURE_HEADER);
    return { ok: false, reason: `missing ${names.join(' and ')} header${names.length > 1 ? 's' : ''}` };
  }

  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: `invalid ${TIMESTAMP_HEADER} header` };
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (Math.abs(skew) > toleranceSeconds) {
    const when = skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
    return { ok: false, reason: `stale timestamp (${when}, limit ${toleranceSeconds} s)` };
  }

  const match = SIGNATURE_PATTERN.exec(signature);
  if (!match?.[1]) return { ok: false, reason: 'bad signature' };
  const given = Buffer.from(match[1], 'hex');
  // Check every secret, so the time taken does not tell which one matched.
  let valid = false;
  for (const key of keys) valid = timingSafeEqual(hmac(key, timestamp, body), given) || valid;
  return valid ? { ok: true } : { ok: false, reason: 'bad signature' };
}

function hmac(secret: string, timestamp: string, body: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${VERSION}:${timestamp}:${body}`, 'utf8')
    .digest();
}

/** Header names are case-insensitive; a header sent twice is treated as absent rather than guessed at. */
function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const values = Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => value ?? []);
  return values.length === 1 && values[0] ? values[0].trim() : undefined;
}
