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
}

/** A Tekton EventListener on 127.0.0.1 that records every request and answers from a script, else 202. */
export class ScriptedEventListener {
  readonly requests: ListenerRequest[] = [];
  private readonly script: ListenerAnswer[] = [];
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
        const scripted = this.script.shift() ?? { status: 202 };
        const answer = typeof scripted === 'string' ? scripted : scripted.status;
        const ok = typeof answer === 'number' && answer >= 200 && answer <= 299;
        const eventId = ok ? randomUUID() : null;
        this.requests.push({
          path: req.url ?? '',
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          text,
          json: parseJson(text),
          answer,
          eventId,
        });
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
        void (before ?? (async () => {}))().then(() => {
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
