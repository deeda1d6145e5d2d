import { SlacklineError } from '../core/errors';

/**
 * Why a POST got no usable answer. Callers decide from `kind` whether the far side may have acted:
 * - `invalid-url`: nothing was sent;
 * - `connection`: the request never reached a server that could process it (safe to send again later);
 * - `timeout`: the request was sent but no complete answer came in time (the server may have acted);
 * - `failed`: anything else (TLS, a header undici refuses, the connection lost while reading the answer).
 */
export type HttpErrorKind = 'invalid-url' | 'connection' | 'timeout' | 'failed';

/**
 * A transport failure: an HTTP answer, whatever its status, is a response and never this error.
 * The message is one line, `<purpose>: POST <url> failed: <reason>`, and names no header value or token:
 * `label` is built from a URL with its credentials taken out (see describeRequest in http-client.ts).
 */
export class HttpError extends SlacklineError {
  readonly kind: HttpErrorKind;
  readonly attempts: number;

  constructor(
    label: string,
    reason: string,
    details: { kind: HttpErrorKind; attempts: number; cause?: unknown },
  ) {
    super(`${label} failed: ${reason}`, { cause: details.cause });
    this.kind = details.kind;
    this.attempts = details.attempts;
  }
}
