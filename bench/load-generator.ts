/**
 * The gateway bench's load: signed clicks sent at a fixed rate (open loop) or with a fixed number in flight
 * (closed loop), and what the Slack and EventListener stand-ins received of them, by message ts.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RecordedRequest } from '../test/helpers/fake-slack';
import type { Server as AnyServer } from './bench-processes';

export type Server = AnyServer<'gateway' | 'bare'>;

/** One request, or one block's forwards, may take this long before the bench fails. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface Click {
  ts: string;
  body: string;
  headers: Record<string, string>;
}

export interface Sample {
  sentAt: number;
  ackMs: number;
}

/** The URL once GET /healthz answers 200. */
export async function healthy(base: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
    return response.status === 200 ? `${base}/slack/events` : undefined;
  } catch {
    return undefined;
  }
}

/** The URL from the JSON line the bare server prints once it listens. */
export async function announced(server: Server): Promise<string | undefined> {
  const line = server.output.split('\n').find((l) => l.includes('"msg":"bare listening"'));
  return line && `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/slack/events`;
}

// ---- requests --------------------------------------------------------------------------------------------

export function send(server: Server, click: Click): Promise<Sample> {
  return new Promise((done, fail) => {
    const sentAt = performance.now();
    const req = http.request(
      server.url,
      { method: 'POST', agent: server.agent, headers: click.headers },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) fail(new Error(`${server.name} answered ${res.statusCode}`));
          else done({ sentAt, ackMs: performance.now() - sentAt });
        });
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${server.name}: no answer in time`)));
    req.on('error', (error) => fail(new Error(`${server.name}: ${error.message}`, { cause: error })));
    req.end(click.body);
  });
}

/** Sends click i at start + i/rate (catching up after a late timer), and waits for every answer. */
export async function openLoop(server: Server, clicks: Click[], rate: number) {
  const interval = 1000 / rate;
  const pending: Promise<Sample>[] = [];
  let maxLagMs = 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (pending.length < clicks.length && start + pending.length * interval <= now) {
        maxLagMs = Math.max(maxLagMs, now - (start + pending.length * interval));
        const sent = send(server, clicks[pending.length] as Click);
        sent.catch(() => {}); // seen by Promise.all below; a failure must not crash the run before it
        pending.push(sent);
      }
      if (pending.length >= clicks.length) return done();
      setTimeout(tick, Math.max(0, start + pending.length * interval - performance.now()));
    };
    tick();
  });
  const samples = await Promise.all(pending);
  const sendSeconds = ((samples.at(-1)?.sentAt ?? start) - start) / 1000;
  return { samples, maxLagMs, sentPerSecond: clicks.length > 1 ? (clicks.length - 1) / sendSeconds : rate };
}

/** CONCURRENCY requests in flight until every click is sent; resolves when the last answer is in. */
export async function closedLoop(server: Server, clicks: Click[], concurrency: number) {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < clicks.length) await send(server, clicks[next++] as Click);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, clicks.length) }, worker));
  return { start, end: performance.now() };
}

/** What the fakes received, by message ts: receive times (performance.now(), the same clock as `sentAt`). */
export class Receipts {
  readonly at = new Map<string, number[]>();
  private seen = 0;

  constructor(
    private readonly requests: RecordedRequest[],
    private readonly keyOf: (request: RecordedRequest) => string | undefined,
  ) {}

  refresh(): this {
    for (; this.seen < this.requests.length; this.seen++) {
      const request = this.requests[this.seen] as RecordedRequest;
      const key = this.keyOf(request);
      if (key === undefined) continue;
      const times = this.at.get(key) ?? [];
      times.push(request.receivedAtMs);
      this.at.set(key, times);
    }
    return this;
  }

  first(ts: string): number | undefined {
    return this.at.get(ts)?.[0];
  }
}

export async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 5));
  }
}

export function blocksOf<T>(items: T[], blocks: number): T[][] {
  const size = Math.ceil(items.length / blocks);
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}
