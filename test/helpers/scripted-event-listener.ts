import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the stand-in does with the next request: answer with a status (a 2xx carries a fresh `eventID`, as a
 * Tekton EventListener sink does), after `before` has run if given (to stage a fault while the gateway waits),
 * 'hang' (read it, never answer), or 'reset' (read it, then destroy the connection without a byte of answer:
 * what a crashing pod or a proxy resetting the stream looks like).
 */
export type ListenerAnswer = { status: number; before?: () => Promise<void> } | 'hang' | 'reset';

export interface ListenerRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** the raw header lines as received, name and value alternating */
  rawHeaders: string[];
  text: string;
  json: unknown;
  answer: 'hang' | 'reset' | number;
  /** the eventID given in the answer, for 2xx answers */
  eventId: string | null;
  /** whether the trigger's interceptor let it through (see passThrough), once it has answered */
  passed?: boolean;
}

/**
 * The slackline ClusterInterceptor a trigger of this EventListener runs, as Tekton runs it: after the event was
 * taken (a 2xx answer, or a connection that hung or was reset after the body was read, since the sink may act on
 * what it read even if its answer is lost), never for an event the sink refused.
 */
export interface PassThrough {
  interceptorUrl: string;
  trigger: string;
}

/** A Tekton EventListener on 127.0.0.1 that records every request and answers from a script, else 202. */
export class ScriptedEventListener {
  readonly requests: ListenerRequest[] = [];
  private readonly script: ListenerAnswer[] = [];
  private unavailableUntil = 0;
  private answerDelayMs = 0;
  private readonly interceptions: Promise<void>[] = [];

  constructor(private passThrough?: PassThrough) {}

  /** Once the gateway listens: where the trigger's interceptor is. */
  interceptWith(interceptorUrl: string): void {
    if (this.passThrough) this.passThrough = { ...this.passThrough, interceptorUrl };
  }
  private server: Server | undefined;
  private baseUrl: string | undefined;

  get url(): string {
    if (!this.baseUrl) throw new Error('ScriptedEventListener is not started');
    return this.baseUrl;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const scripted =
          Date.now() < this.unavailableUntil ? { status: 503 } : (this.script.shift() ?? { status: 202 });
        const answer = typeof scripted === 'string' ? scripted : scripted.status;
        const ok = typeof answer === 'number' && answer >= 200 && answer <= 299;
        const eventId = ok ? randomUUID() : null;
        const recorded: ListenerRequest = {
          path: req.url ?? '',
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          text,
          json: parseJson(text),
          answer,
          eventId,
        };
        this.requests.push(recorded);
        if (this.passThrough && (ok || answer === 'hang' || answer === 'reset')) {
          this.interceptions.push(this.intercept(recorded, eventId ?? randomUUID()));
        }
        if (answer === 'hang') return;
        if (answer === 'reset') {
          req.socket.resetAndDestroy();
          return;
        }
        const body = JSON.stringify(
          ok
            ? { eventListener: 'slackline', namespace: 'tekton-pipelines', eventID: eventId }
            : { error: 'no' },
        );
        const before = typeof scripted === 'string' ? undefined : scripted.before;
        const delay = this.answerDelayMs;
        const wait = () => new Promise((done) => setTimeout(done, delay));
        void (delay > 0 ? wait() : Promise.resolve())
          .then(() => (before ?? (async () => {}))())
          .then(() => {
            res.writeHead(answer, {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            });
            res.end(body);
          });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Every answer comes this long after the request was read, as from a busy sink. */
  answerAfter(ms: number): void {
    this.answerDelayMs = ms;
  }

  /** Every request in the next `ms` is answered 503, as a sink with no ready pod behind its Service. */
  unavailableFor(ms: number): void {
    this.unavailableUntil = Date.now() + ms;
  }

  /** Requests the interceptor let through. */
  passed(): ListenerRequest[] {
    return this.requests.filter((r) => r.passed === true);
  }

  /** Waits for every interceptor call started so far. */
  async interceptorsDone(): Promise<void> {
    await Promise.all(this.interceptions);
  }

  private async intercept(recorded: ListenerRequest, eventId: string): Promise<void> {
    const { interceptorUrl, trigger } = this.passThrough as PassThrough;
    const header: Record<string, string[]> = {};
    for (let i = 0; i < recorded.rawHeaders.length; i += 2) {
      const name = canonicalHeader(recorded.rawHeaders[i] as string);
      (header[name] ??= []).push(recorded.rawHeaders[i + 1] as string);
    }
    const request = {
      body: recorded.text,
      header,
      extensions: {},
      interceptor_params: {},
      context: { event_url: recorded.path, event_id: eventId, trigger_id: trigger },
    };
    try {
      const response = await fetch(interceptorUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      recorded.passed = ((await response.json()) as { continue?: boolean }).continue === true;
    } catch {
      recorded.passed = false;
    }
  }

  /** Answers used, in order, for the next requests before the default 202 applies again. */
  answerNext(...answers: ListenerAnswer[]): void {
    this.script.push(...answers);
  }

  /** Requests whose forwarded event is about the offered choice `choiceId`. */
  forwardsOf(choiceId: string): ListenerRequest[] {
    return this.requests.filter((r) => choiceIdOf(r) === choiceId);
  }

  /** Stops listening and drops every connection, including hung ones. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

export function choiceIdOf(request: ListenerRequest): string | undefined {
  const json = request.json as { choice?: { id?: unknown } } | undefined;
  return typeof json?.choice?.id === 'string' ? json.choice.id : undefined;
}

/** Go's http.CanonicalHeaderKey, as Tekton hands headers to interceptors. */
function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
