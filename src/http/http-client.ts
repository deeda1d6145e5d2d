import { silentLogger, type Logger } from '../core/logger';
import { withDefaultHeaders } from './default-headers';
import { describeUrl } from './describe-url';
import { classifyFailure, type Answer, type Outcome } from './classify-failure';
import { HttpError } from './http-error';
import { NodeHttpPoster, type PostAnswer } from './node-http-post';
import { flattenHeaders, isHeaderSafe, parseHttpUrl, parseJson, withoutContentLength } from './request-parts';
import { backoff, parseRetryAfter, plural, retrying, seconds, sleep } from './retry-policy';
import { UndiciPool } from './undici-pool';

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
   * fails when the answer's headers, or its next body chunk, take longer than `timeoutMs`, and is answered
   * with the body read whole (BufferedResponse: no body stream, clone() or blob()); any other goes to Node's.
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

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const retrying = new RetryingHttpClient(options);
  // Bound: callers pass the methods on as plain functions (Bolt's WebClient takes `fetch`).
  return {
    post: retrying.post.bind(retrying),
    fetch: retrying.fetch.bind(retrying),
    close: retrying.close.bind(retrying),
  };
}

/** Sends one request in attempts: what may be sent again is, after a backoff or the wait a 429/503 asks for. */
class RetryingHttpClient implements HttpClient {
  private readonly connectTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly logger: Logger;
  private readonly pool: UndiciPool;
  private readonly nodeHttp: NodeHttpPoster | undefined;
  private closed = false;

  constructor(options: HttpClientOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 30000;
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30000;
    this.logger = options.logger ?? silentLogger;
    this.pool = new UndiciPool(this.connectTimeoutMs, this.timeoutMs);
    this.nodeHttp = options.transport === 'node:http' ? new NodeHttpPoster(this.connectTimeoutMs) : undefined;
  }

  async post(request: HttpRequest): Promise<HttpResponse> {
    if (this.closed) throw new Error('HttpClient.post() called after close()');
    const label = describeRequest(request);
    const { url, headers, body } = prepare(request, label);
    const maxAttempts = Math.max(1, Math.floor(request.maxAttempts ?? this.maxAttempts));
    for (let n = 1; ; n++) {
      const outcome = await this.attempt(url, headers, body);
      if (outcome.ok) {
        const { answer } = outcome;
        const delay = n < maxAttempts ? this.retryDelay(answer, n, label) : undefined;
        if (delay === undefined) return { ...answer, json: parseJson(answer.text), attempts: n };
        this.logger.warn(`${label} answered ${answer.status}, ${retrying(delay, n + 1, maxAttempts)}`);
        await sleep(delay);
        continue;
      }
      if (!outcome.retryable || n >= maxAttempts) {
        const reason =
          outcome.kind === 'connection' ? `${outcome.reason} (${plural(n, 'attempt')})` : outcome.reason;
        throw new HttpError(label, reason, { kind: outcome.kind, attempts: n, cause: outcome.cause });
      }
      const delay = backoff(this.retryBaseDelayMs, n);
      this.logger.warn(`${label} failed: ${outcome.reason}, ${retrying(delay, n + 1, maxAttempts)}`);
      await sleep(delay);
    }
  }

  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    // As post(): a pool opened after close() would be left for nobody to close.
    if (this.closed) throw new Error('HttpClient.fetch() called after close()');
    const body = init.body instanceof URLSearchParams ? init.body.toString() : init.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      // Forms with files, and streams: Node's own fetch, which knows its FormData and Blob, encodes them.
      return globalThis.fetch(input, init);
    }
    return this.pool.fetch(input, init, body ?? undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.nodeHttp?.close();
    await this.pool.close();
  }

  private send(
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<PostAnswer> {
    return (this.nodeHttp ?? this.pool).post(url, headers, body, signal);
  }

  private async attempt(url: URL, headers: Record<string, string>, body: Buffer): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    let answered = false;
    try {
      const response = await this.send(url, headers, body, controller.signal);
      answered = true;
      const text = await response.text();
      return {
        ok: true,
        answer: { status: response.statusCode, headers: flattenHeaders(response.headers), text },
      };
    } catch (error) {
      // Sent but not answered in time: the server may have acted on it, so this is never retried.
      if (timedOut) {
        const reason = `no answer within ${seconds(this.timeoutMs)} s`;
        return { ok: false, kind: 'timeout', reason, retryable: false, cause: error };
      }
      return classifyFailure(error, answered, this.connectTimeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** How long to wait before sending again after this answer, or undefined to return it as it is. */
  private retryDelay(answer: Answer, attemptNumber: number, label: string): number | undefined {
    if (answer.status !== 429 && answer.status !== 503) return undefined;
    const asked = parseRetryAfter(answer.headers['retry-after']);
    if (asked === undefined) return backoff(this.retryBaseDelayMs, attemptNumber);
    if (asked > this.maxRetryAfterMs) {
      this.logger.warn(
        `${label} answered ${answer.status} asking to wait ${seconds(asked)} s, ` +
          `longer than the ${seconds(this.maxRetryAfterMs)} s allowed: not retrying`,
      );
      return undefined;
    }
    return asked;
  }
}

/** The URL, headers and UTF-8 body to send, or the HttpError that sends nothing. */
function prepare(
  request: HttpRequest,
  label: string,
): { url: URL; headers: Record<string, string>; body: Buffer } {
  const url = parseHttpUrl(request.url);
  if (typeof url === 'string') throw new HttpError(label, url, { kind: 'invalid-url', attempts: 0 });
  const headers = withDefaultHeaders(withoutContentLength(request.headers));
  const badHeader = Object.entries(headers).find(([name, value]) => !isHeaderSafe(name, value));
  if (badHeader) {
    // Refused before anything is sent, whatever the transport would say: a line break is header injection.
    const reason = `invalid ${badHeader[0]} header (a control character such as CR or LF in its name or value)`;
    throw new HttpError(label, reason, { kind: 'failed', attempts: 0 });
  }
  // UTF-8 whatever the text holds; the reference encoded Latin-1 and failed on € and emoji.
  return { url, headers, body: Buffer.from(request.body, 'utf8') };
}

/** `<purpose>: POST <url>` with the URL's credentials left out (see describeUrl). */
function describeRequest(request: HttpRequest): string {
  const prefix = request.purpose ? `${request.purpose}: ` : '';
  return `${prefix}POST ${describeUrl(request.url)}`;
}
