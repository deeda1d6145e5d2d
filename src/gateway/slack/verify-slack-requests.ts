import type { RequestHandler } from 'express';
import type { Logger } from '../../core/logger';
import type { RequestOutcome } from '../metrics';
import { readRawBody } from '../read-raw-body';
import { MAX_JSON_NESTING, nestedDeeperThan } from './json-nesting';
import {
  SLACK_SIGNATURE_HEADER,
  SLACK_TIMESTAMP_HEADER,
  verifySlackSignature,
} from './verify-slack-signature';

export interface VerifySlackRequestsOptions {
  /** Every secret accepted at once, so a secret can be rotated without dropping requests. */
  signingSecrets: readonly string[];
  maxBodyBytes: number;
  now: () => number;
  logger: Logger;
  /** Told how each refused request counts: unverified (`bad_signature`) or unreadable or malformed (`invalid`). */
  onRejected?: (outcome: Extract<RequestOutcome, 'bad_signature' | 'invalid'>) => void;
}

/**
 * Verifies every request to the Slack endpoint before Bolt sees it, with `verifySlackSignature` (over the raw
 * bytes, tried with each configured secret, five minutes either way). The raw body is handed to Bolt's receiver
 * as `req.rawBody`, which it parses instead of reading the stream again.
 */
export function verifySlackRequests(options: VerifySlackRequestsOptions): RequestHandler[] {
  const readBody = readRawBody(options.maxBodyBytes, () => options.onRejected?.('invalid'));
  const verify: RequestHandler = (req, res, next) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifySlackSignature({
      signingSecrets: options.signingSecrets,
      body: raw,
      signature: req.headers[SLACK_SIGNATURE_HEADER],
      timestamp: req.headers[SLACK_TIMESTAMP_HEADER],
      nowMs: options.now(),
    });
    if (!verdict.ok) {
      options.logger.warn(`refused a Slack request: ${verdict.reason}`);
      options.onRejected?.('bad_signature');
      // The reason names no secret; it tells whoever set the app up what to fix.
      res.status(401).json({ error: 'invalid Slack signature', reason: verdict.reason });
      return;
    }
    const problem = shapeProblem(req.header('content-type') ?? '', raw.toString('utf8'));
    if (problem) {
      options.logger.warn(`refused a signed Slack request: ${problem}`);
      options.onRejected?.('invalid');
      res.status(400).json({ error: problem });
      return;
    }
    (req as typeof req & { rawBody: Buffer }).rawBody = raw;
    next();
  };
  return [readBody, verify];
}

/**
 * What Slack sends here: a form with a JSON `payload` (interactions), a form with `command` (slash commands), a
 * form with `ssl_check`, or JSON (url_verification, events). Anything else is answered 400 at once, rather than
 * left for Bolt to time out on.
 */
function shapeProblem(contentType: string, body: string): string | undefined {
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body);
    const payload = form.get('payload');
    if (payload !== null) return payloadProblem(payload);
    return form.has('command') || form.has('ssl_check')
      ? undefined
      : 'neither an interaction payload nor a command';
  }
  if (contentType.startsWith('application/json')) {
    const value = jsonObject(body);
    return typeof value === 'string' ? `body ${value}` : undefined;
  }
  return `unsupported content type "${contentType}"`;
}

function payloadProblem(payload: string): string | undefined {
  const value = jsonObject(payload);
  if (typeof value === 'string') return `payload ${value}`;
  // Bolt would route it to no listener and leave it unanswered; there is nothing in it to act on.
  if (value.type === 'block_actions' && !(Array.isArray(value.actions) && value.actions.length > 0)) {
    return 'a block_actions payload without actions';
  }
  return undefined;
}

/** The parsed object, or what is wrong with the text. */
function jsonObject(text: string): Record<string, unknown> | string {
  if (nestedDeeperThan(text)) return `is nested more than ${MAX_JSON_NESTING} deep`;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  return 'is not a JSON object';
}
