import { isValidSlackRequest } from '@slack/bolt';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';

const WINDOW_SECONDS = 300;

export interface SlackSignatureInput {
  /** Every secret accepted at once, so a secret can be rotated without dropping requests. */
  signingSecrets: readonly string[];
  /** The raw body exactly as Slack sent it. */
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}

export type SlackSignatureVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Slack's v0 request signature, checked with Bolt's own `isValidSlackRequest` against each secret. Bolt refuses
 * only timestamps that are too old; Slack's rule is five minutes either way, so future ones are refused here.
 * Shared by the Slack endpoint's middleware and the interceptor endpoints, so both accept exactly the same
 * requests.
 */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureVerdict {
  const { signature, nowMs } = input;
  const timestamp = Number(input.timestamp);
  if (!signature || !Number.isFinite(timestamp)) return { ok: false, reason: 'missing signature headers' };
  if (timestamp > Math.floor(nowMs / 1000) + WINDOW_SECONDS) {
    return { ok: false, reason: 'timestamp in the future' };
  }
  const headers = { [SLACK_SIGNATURE_HEADER]: signature, [SLACK_TIMESTAMP_HEADER]: timestamp };
  const valid = input.signingSecrets.some((signingSecret) =>
    isValidSlackRequest({ signingSecret, body: input.body, headers, nowMilliseconds: nowMs }),
  );
  return valid ? { ok: true } : { ok: false, reason: 'bad or stale signature' };
}
