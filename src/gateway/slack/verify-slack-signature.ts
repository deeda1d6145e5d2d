import { createHmac, timingSafeEqual } from 'node:crypto';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';

const WINDOW_SECONDS = 300;

export interface SlackSignatureInput {
  /** Every secret accepted at once, so a secret can be rotated without dropping requests. */
  signingSecrets: readonly string[];
  /** The body exactly as Slack sent it: bytes where they are at hand, since Slack signs bytes, not text. */
  body: Buffer | string;
  /** Every value the request carried for each header (Node joins repeated ones; Tekton keeps arrays). */
  signature: string | readonly string[] | undefined;
  timestamp: string | readonly string[] | undefined;
  nowMs: number;
}

export type SlackSignatureVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<body>` with each secret, five minutes either way.
 * Computed here rather than with Bolt's `isValidSlackRequest` because Bolt takes the body as a string, and a body
 * with bytes that are not UTF-8 no longer hashes to what Slack signed once decoded. Shared by the Slack endpoint
 * and the interceptor endpoints, so both accept exactly the same requests.
 */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureVerdict {
  const signature = single(input.signature);
  const timestampText = single(input.timestamp);
  if (signature === 'duplicated' || timestampText === 'duplicated') {
    return { ok: false, reason: 'duplicated signature headers' };
  }
  const timestamp = Number(timestampText);
  if (!signature || !timestampText || !Number.isSafeInteger(timestamp)) {
    return { ok: false, reason: 'missing signature headers' };
  }
  if (Math.abs(Math.floor(input.nowMs / 1000) - timestamp) > WINDOW_SECONDS) {
    return { ok: false, reason: 'timestamp outside the five-minute window' };
  }
  const signed = Buffer.concat([Buffer.from(`v0:${timestampText}:`), Buffer.from(input.body)]);
  const given = Buffer.from(signature);
  const valid = input.signingSecrets.some((secret) => {
    const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(signed).digest('hex')}`);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return valid ? { ok: true } : { ok: false, reason: 'bad signature' };
}

/** The one value of a header; Node joins repeated headers with ", ", which no signature or timestamp holds. */
function single(value: string | readonly string[] | undefined): string | undefined | 'duplicated' {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return value.length > 1 ? 'duplicated' : single(value[0]);
  return value.includes(',') ? 'duplicated' : value;
}
