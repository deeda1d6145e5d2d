import type { Agent } from 'undici';
import { silentLogger, type Logger } from '../core/logger';
import { withDefaultHeaders } from './default-headers';
import { describeUrl } from './describe-url';
import { HttpError, type HttpErrorKind } from './http-error';
import { NodeHttpPoster, type PostAnswer } from './node-http-post';

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** names the request in messages, e.g. "notify default" */
  purpose?: string;
  /** instead of the client's: 1 when the caller retries on its own (the gateway's outbox) */
  maxAttempts?: number;
}

export interface HttpResponse {
  status: number;
  /** lower-case names; repeated headers joined with ", " */
  headers: Record<string, string>;
  text: string;
  /** the body parsed as JSON, or undefined when it is not JSON */
  json: unknown;
  attempts: number;
}

export interface HttpClient {
  post(request: HttpRequest): Promise<HttpResponse>;
  /**
   * WHATWG fetch over this client's connection pool, without retries of its own, for libraries that take a
   * fetch (Bolt's WebClient). A request with a string body costs about a third of Node's built-in fetch in CPU,
   * and fails when the answer's headers, or its next body chunk, take longer than `timeoutMs`.
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** 5000 */
  connectTimeoutMs?: number;
  /** total per attempt, from sending to the last byte of the answer: 30000 */
  timeoutMs?: number;
  /** 3 */
  maxAttempts?: number;
  /** 250 */
  retryBaseDelayMs?: number;
  /** a 429/503 asking to wait longer than this is returned instead of waited for: 30000 */
  maxRetryAfterMs?: number;
  /**
   * How post() sends: over undici's pool (the default: the gateway's many requests), or with Node's own http
   * modules, which a process sending a request or two and exiting (the CLI) loads 80 ms faster.
   */
  transport?: 'undici' | 'node:http';
  logger?: Logger;
}

type Undici = typeof import('undici');

let undici: Promise<Undici> | undefined;

/** undici is a large module: load it on the first request, so CLI runs that send nothing never pay for it. */
function loadUndici(): Promise<Undici> {
  return (undici ??= import('undici'));
}

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

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

type Outcome =
  | { ok: true; answer: Answer }
  | { ok: false; kind: HttpErrorKind; reason: string; retryable: boolean; cause: unknown };

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 30000;
  const clientMaxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30000;
  const logger = options.logger ?? silentLogger;
  let agent: Promise<Agent> | undefined;
  const nodeHttp = options.transport === 'node:http' ? new NodeHttpPoster(connectTimeoutMs) : undefined;
  let closed = false;

  // One Agent per client: it pools keep-alive connections across the handlers of one event and carries the
  // connect timeout. Our own per-attempt deadline replaces undici's headers/body timeouts.
  const getAgent = () =>
    (agent ??= loadUndici().then(
      (u) => new u.Agent({ connect: { timeout: connectTimeoutMs }, headersTimeout: 0, bodyTimeout: 0 }),
    ));

  async function send(
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<PostAnswer> {
    if (nodeHttp) return nodeHttp.post(url, headers, body, signal);
    const { request } = await loadUndici();
    const dispatcher = await getAgent();
    const response = await request(url, { method: 'POST', headers, body, dispatcher, signal });
    return { statusCode: response.statusCode, headers: response.headers, text: () => response.body.text() };
  }

  async function attempt(url: URL, headers: Record<string, string>, body: Buffer): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let answered = false;
    try {
      const response = await send(url, headers, body, controller.signal);
      answered = true;
      const text = await response.text();
      return {
        ok: true,
        answer: { status: response.statusCode, headers: flattenHeaders(response.headers), text },
      };
    } catch (error) {
      // Sent but not answered in time: the server may have acted on it, so this is never retried.
      if (timedOut) {
        return {
          ok: false,
          kind: 'timeout',
          reason: `no answer within ${seconds(timeoutMs)} s`,
          retryable: false,
          cause: error,
        };
      }
      return classifyFailure(error, answered, connectTimeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** How long to wait before sending again after this answer, or undefined to return it as it is. */
  function retryDelay(answer: Answer, attemptNumber: number, label: string): number | undefined {
    if (answer.status !== 429 && answer.status !== 503) return undefined;
    const asked = parseRetryAfter(answer.headers['retry-after']);
    if (asked === undefined) return backoff(retryBaseDelayMs, attemptNumber);
    if (asked > maxRetryAfterMs) {
      logger.warn(
        `${label} answered ${answer.status} asking to wait ${seconds(asked)} s, ` +
          `longer than the ${seconds(maxRetryAfterMs)} s allowed: not retrying`,
      );
      return undefined;
    }
    return asked;
  }

  async function post(request: HttpRequest): Promise<HttpResponse> {
    if (closed) throw new Error('HttpClient.post() called after close()');
    const label = describeRequest(request);
    const url = parseHttpUrl(request.url);
    if (typeof url === 'string') throw new HttpError(label, url, { kind: 'invalid-url', attempts: 0 });
    // UTF-8 whatever the text holds; the reference encoded Latin-1 and failed on € and emoji.
    const body = Buffer.from(request.body, 'utf8');
    const headers = withDefaultHeaders(withoutContentLength(request.headers));
    const badHeader = Object.entries(headers).find(([name, value]) => !isHeaderSafe(name, value));
    if (badHeader) {
      // Refused before anything is sent, whatever the transport would say: a line break is header injection.
      const reason = `invalid ${badHeader[0]} header (a control character such as CR or LF in its name or value)`;
      throw new HttpError(label, reason, { kind: 'failed', attempts: 0 });
    }
    const maxAttempts = Math.max(1, Math.floor(request.maxAttempts ?? clientMaxAttempts));

    for (let n = 1; ; n++) {
      const outcome = await attempt(url, headers, body);
      if (outcome.ok) {
        const { answer } = outcome;
        const delay = n < maxAttempts ? retryDelay(answer, n, label) : undefined;
        if (delay === undefined) return { ...answer, json: parseJson(answer.text), attempts: n };
        logger.warn(`${label} answered ${answer.status}, ${retrying(delay, n + 1, maxAttempts)}`);
        await sleep(delay);
        continue;
      }
      if (!outcome.retryable || n >= maxAttempts) {
        const reason =
          outcome.kind === 'connection' ? `${outcome.reason} (${plural(n, 'attempt')})` : outcome.reason;
        throw new HttpError(label, reason, { kind: outcome.kind, attempts: n, cause: outcome.cause });
      }
      const delay = backoff(retryBaseDelayMs, n);
      logger.warn(`${label} failed: ${outcome.reason}, ${retrying(delay, n + 1, maxAttempts)}`);
      await sleep(delay);
    }
  }

  async function fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    // As post(): a pool opened after close() would be left for nobody to close.
    if (closed) throw new Error('HttpClient.fetch() called after close()');
    const body = init.body instanceof URLSearchParams ? init.body.toString() : init.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      // Forms with files, and streams: Node's own fetch, which knows its FormData and Blob, encodes them.
      return globalThis.fetch(input, init);
    }
    const { request } = await loadUndici();
    const dispatcher = await getAgent();
    // undici.request does not follow redirects, which is what `redirect: 'error'` asks (the caller gets a 3xx).
    const answer = await request(input, {
      method: (init.method ?? 'GET') as never,
      headers: headersRecord(init.headers),
      body: body ?? undefined,
      dispatcher,
      signal: init.signal ?? undefined,
      // undici's own timeouts share one coarse timer, where a signal's timeout is a timer of its own per call.
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    const nullBody = [101, 204, 205, 304].includes(answer.statusCode);
    const response = new Response(nullBody ? null : bytes, {
      status: answer.statusCode,
      headers: flattenHeaders(answer.headers),
    });
    Object.defineProperty(response, 'url', { value: String(input) });
    return response;
  }

  async function close(): Promise<void> {
    closed = true;
    nodeHttp?.close();
    const pending = agent;
    agent = undefined;
    if (pending) await (await pending).close();
  }

  return { post, fetch, close };
}

function classifyFailure(error: unknown, answered: boolean, connectTimeoutMs: number): Outcome {
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

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim() || 'unknown error';
}

/** `<purpose>: POST <url>` with the URL's credentials left out (see describeUrl). */
function describeRequest(request: HttpRequest): string {
  const prefix = request.purpose ? `${request.purpose}: ` : '';
  return `${prefix}POST ${describeUrl(request.url)}`;
}

/** The URL, or why it cannot be sent to. */
function parseHttpUrl(raw: string): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'invalid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'invalid URL (only http and https)';
  return url;
}

/** A header name is an RFC 9110 token; a value holds no control character but tab. */
function isHeaderSafe(name: string, value: string): boolean {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return false;
  }
  return true;
}

/** Content-Length is always computed from the UTF-8 body; a caller's value could only disagree with it. */
function withoutContentLength(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
}

function headersRecord(headers: RequestInit['headers']): Record<string, string> {
  return Object.fromEntries(new Headers(headers).entries());
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Retry-After in delay-seconds or as an HTTP-date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with jitter, so that several steps failing together do not come back together. */
function backoff(baseMs: number, attemptNumber: number): number {
  const step = baseMs * 2 ** (attemptNumber - 1);
  return Math.round(step + Math.random() * step);
}

function retrying(delayMs: number, next: number, max: number): string {
  return `retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next} of ${max})`;
}

function seconds(ms: number): string {
  return String(Math.round(ms / 10) / 100);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
