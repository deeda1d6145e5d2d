import { seconds } from './retry-policy';
import type { HttpErrorKind } from './http-error';

/**
 * Socket errors that mean the request never reached a server able to act on it, so sending it again cannot
 * duplicate a Slack message or a pipeline run. A reset or close before any answer is included: it is what a
 * keep-alive connection the server had already dropped looks like.
 */
const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed before an answer',
  EPIPE: 'connection closed while sending',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
};

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export type Outcome =
  | { ok: true; answer: Answer }
  | { ok: false; kind: HttpErrorKind; reason: string; retryable: boolean; cause: unknown };

export function classifyFailure(error: unknown, answered: boolean, connectTimeoutMs: number): Outcome {
  const code = errorCode(error);
  if (answered) {
    return {
      ok: false,
      kind: 'failed',
      reason: `answer cut off (${oneLine(error)})`,
      retryable: false,
      cause: error,
    };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    const reason = `no connection within ${seconds(connectTimeoutMs)} s`;
    return { ok: false, kind: 'connection', reason, retryable: true, cause: error };
  }
  const known = code === undefined ? undefined : CONNECTION_FAILURES[code];
  if (known) return { ok: false, kind: 'connection', reason: known, retryable: true, cause: error };
  return { ok: false, kind: 'failed', reason: oneLine(error), retryable: false, cause: error };
}

/** The error's code, looking through `cause` and AggregateError (Node's happy-eyeballs connect) wrappers. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, errors, cause } = e as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    e = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return undefined;
}

export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim() || 'unknown error';
}
