import { isValidSlackRequest } from '@slack/bolt';
import express, { type RequestHandler } from 'express';
import type { Logger } from '../../core/logger';

export interface VerifySlackRequestsOptions {
  /** Every secret accepted at once, so a secret can be rotated without dropping requests. */
  signingSecrets: readonly string[];
  maxBodyBytes: number;
  now: () => number;
  logger: Logger;
  onRejected?: (reason: string) => void;
}

const WINDOW_SECONDS = 300;

/**
 * Verifies every request to the Slack endpoint before Bolt sees it. The HMAC check is Bolt's own
 * (`isValidSlackRequest`), tried with each configured secret; Bolt checks only that a timestamp is not too old,
 * and Slack's rule is five minutes either way, so timestamps from the future are refused here. The raw body is
 * handed to Bolt's receiver as `req.rawBody`, which it parses instead of reading the stream again.
 */
export function verifySlackRequests(options: VerifySlackRequestsOptions): RequestHandler[] {
  const readRaw = express.raw({ type: () => true, limit: options.maxBodyBytes });
  const readBody: RequestHandler = (req, res, next) =>
    readRaw(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status ?? 400;
      options.onRejected?.(status === 413 ? 'too-large' : 'unreadable');
      res
        .status(status)
        .json({ error: status === 413 ? 'request body too large' : 'unreadable request body' });
    });
  const verify: RequestHandler = (req, res, next) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = raw.toString('utf8');
    const signature = req.header('x-slack-signature') ?? '';
    const timestamp = Number(req.header('x-slack-request-timestamp'));
    const nowMs = options.now();
    const reject = (reason: string) => {
      options.logger.warn(`refused a Slack request: ${reason}`);
      options.onRejected?.(reason);
      res.status(401).json({ error: 'invalid Slack signature' });
    };
    if (!signature || !Number.isFinite(timestamp)) return reject('missing signature headers');
    if (timestamp > Math.floor(nowMs / 1000) + WINDOW_SECONDS) return reject('timestamp in the future');
    const headers = { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp };
    const valid = options.signingSecrets.some((signingSecret) =>
      isValidSlackRequest({ signingSecret, body, headers, nowMilliseconds: nowMs }),
    );
    if (!valid) return reject('bad or stale signature');
    const problem = shapeProblem(req.header('content-type') ?? '', body);
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
    if (payload !== null) return isJsonObject(payload) ? undefined : 'payload is not a JSON object';
    return form.has('command') || form.has('ssl_check')
      ? undefined
      : 'neither an interaction payload nor a command';
  }
  if (contentType.startsWith('application/json'))
    return isJsonObject(body) ? undefined : 'body is not a JSON object';
  return `unsupported content type "${contentType}"`;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
