import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RecordedRequest {
  method: string;
  /** path and query, as sent */
  path: string;
  /** lower-case names, as node:http gives them */
  headers: IncomingHttpHeaders;
  /** the raw header lines as received, name and value alternating */
  rawHeaders: string[];
  /** the body bytes exactly as received */
  raw: Buffer;
  text: string;
  /**
   * The body parsed as JSON; for a form (how Slack's WebClient sends Web API calls), its fields, with the ones
   * holding JSON (blocks, attachments) decoded as Slack decodes them. Undefined when it is neither.
   */
  json: unknown;
  /** monotonic ms when the request line arrived: compare requests with each other, not with Date.now() */
  receivedAtMs: number;
  /** what it was answered: a status, or 'hang' / 'reset' (see FakeAnswer) */
  answer: number | 'hang' | 'reset';
}

/**
 * An answer: `delayMs` after the request was read, and after `before` has run if given (to stage a fault while
 * the caller waits for the answer).
 */
export type FakeReply = {
  status?: number;
  headers?: Record<string, string>;
  body?: string | object;
  delayMs?: number;
  before?: () => Promise<void>;
};
/**
 * 'hang': read the request, record it, and never answer (a stalled server). 'reset': read it, then destroy the
 * connection without a byte of answer (what a crashing pod or a proxy resetting the stream looks like).
 */
export type FakeAnswer = FakeReply | 'hang' | 'reset';

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers from a script, then from the
 * subclass's defaults. Tests talk to it over a socket, so they exercise the same code paths as production.
 */
export abstract class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: FakeAnswer[] = [];
  private unavailableUntil = 0;
  private answerDelayMs = 0;
  private server: Server | undefined;
  private baseUrl: string | undefined;

  /** Base URL, e.g. http://127.0.0.1:PORT */
  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.constructor.name} is not started`);
    return this.baseUrl;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.receive(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Stops listening and drops every connection, including ones held open by 'hang'. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Queues answers used, in order, for the next requests before the defaults apply again. */
  answerNext(...answers: FakeAnswer[]): void {
    this.script.push(...answers);
  }

  /** Every answer comes this long after the request was read, as from a busy server. */
  answerAfter(ms: number): void {
    this.answerDelayMs = ms;
  }

  /** Every request in the next `ms` is answered 503, as a Service with no ready pod behind it. */
  unavailableFor(ms: number): void {
    this.unavailableUntil = Date.now() + ms;
  }

  protected abstract defaultAnswer(request: RecordedRequest): FakeReply;

  /** What the subclass makes of an answer before it is sent (a body for a bare status, say). */
  protected shape(_request: RecordedRequest, answer: FakeAnswer): FakeAnswer {
    return answer;
  }

  /** Called once a request is recorded with its answer, before the answer is sent. */
  protected recorded(_request: RecordedRequest): void {}

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const receivedAtMs = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        raw,
        text,
        json: String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')
          ? parseForm(text)
          : parseJson(text),
        receivedAtMs,
        answer: 200,
      };
      const scripted =
        Date.now() < this.unavailableUntil
          ? { status: 503 }
          : (this.script.shift() ?? this.defaultAnswer(request));
      const answer = this.shape(request, scripted);
      request.answer = typeof answer === 'string' ? answer : (answer.status ?? 200);
      this.requests.push(request);
      this.recorded(request);
      if (answer === 'hang') return;
      if (answer === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      void this.later(answer).then(() => send(res, answer));
    });
  }

  private async later(reply: FakeReply): Promise<void> {
    const delayMs = reply.delayMs ?? this.answerDelayMs;
    if (delayMs > 0) await new Promise((done) => setTimeout(done, delayMs));
    await reply.before?.();
  }
}

function send(res: ServerResponse, reply: FakeReply): void {
  const isText = typeof reply.body === 'string' || reply.body === undefined;
  const payload = Buffer.from(
    isText ? ((reply.body as string | undefined) ?? '') : JSON.stringify(reply.body),
  );
  const contentType = isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(reply.status ?? 200, {
    'content-type': contentType,
    'content-length': String(payload.length),
    ...reply.headers,
  });
  res.end(payload);
}

function parseForm(text: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    fields[key] = /^[[{]/.test(value) ? (parseJson(value) ?? value) : value;
  }
  return fields;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
