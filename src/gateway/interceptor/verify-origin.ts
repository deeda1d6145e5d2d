import { SIGNATURE_HEADER, verifyForwardSignature } from '../../core/forward-signature';
import {
  SLACK_SIGNATURE_HEADER,
  SLACK_TIMESTAMP_HEADER,
  verifySlackSignature,
} from '../slack/verify-slack-signature';
import { GrpcCode, type Refusal } from './grpc-code';
import { hasHeader, headerValues } from './header-value';
import type { InterceptInput } from './intercept-input';
import type { Verification } from './slackline-extension';

const refuse = (code: GrpcCode, message: string): Refusal => ({ code, message });

/**
 * A slackline signature is checked with slackline secrets, a Slack one with Slack secrets, over the body as
 * received. What cannot be checked (no signature, no secret for it, a converted form whose signed bytes are
 * gone) passes as `none` only when the caller does not require a signature.
 */
export function verifyOrigin(
  input: InterceptInput,
  rawBody: boolean,
  slacklineSigned: boolean,
  nowMs: number,
): Verification | Refusal {
  const { headers, secrets, requireSignature } = input;
  const unverifiable = (code: GrpcCode, message: string): Verification | Refusal =>
    requireSignature ? refuse(code, message) : 'none';
  if (slacklineSigned) {
    if (secrets.slackline.length === 0) {
      return unverifiable(
        GrpcCode.FAILED_PRECONDITION,
        `no secret is configured to check ${SIGNATURE_HEADER} with`,
      );
    }
    const verdict = verifyForwardSignature(secrets.slackline, headers, input.body, nowMs);
    return verdict.ok
      ? 'slackline-signature'
      : refuse(GrpcCode.UNAUTHENTICATED, `${SIGNATURE_HEADER}: ${verdict.reason}`);
  }
  if (hasHeader(headers, SLACK_SIGNATURE_HEADER)) {
    if (!rawBody) {
      return unverifiable(
        GrpcCode.UNAUTHENTICATED,
        "the EventListener converted the form to JSON, so Slack's signature cannot be checked: have Slack post to " +
          'the slackline gateway, or put the slackline webhook interceptor first (Tekton Triggers 0.37+)',
      );
    }
    if (secrets.slack.length === 0) {
      return unverifiable(
        GrpcCode.FAILED_PRECONDITION,
        `no secret is configured to check ${SLACK_SIGNATURE_HEADER} with`,
      );
    }
    const verdict = verifySlackSignature({
      signingSecrets: secrets.slack,
      body: input.rawBody ?? input.body,
      signature: headerValues(headers, SLACK_SIGNATURE_HEADER),
      timestamp: headerValues(headers, SLACK_TIMESTAMP_HEADER),
      nowMs,
    });
    return verdict.ok
      ? 'slack-signature'
      : refuse(GrpcCode.UNAUTHENTICATED, `${SLACK_SIGNATURE_HEADER}: ${verdict.reason}`);
  }
  return unverifiable(
    GrpcCode.UNAUTHENTICATED,
    `the request has neither ${SIGNATURE_HEADER} nor ${SLACK_SIGNATURE_HEADER}`,
  );
}
