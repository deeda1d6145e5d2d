import type { Agent } from 'undici';
import { BufferedResponse } from './buffered-response';
import { flattenHeaders, headersRecord } from './request-parts';
import type { PostAnswer } from './node-http-post';

type Undici = typeof import('undici');

let undici: Promise<Undici> | undefined;

/** undici is a large module: load it on the first request, so CLI runs that send nothing never pay for it. */
function loadUndici(): Promise<Undici> {
  return (undici ??= import('undici'));
}

/**
 * One undici Agent per client, the only importer of undici: it pools keep-alive connections (the gateway's
 * forwards and Slack calls) and carries the connect timeout. The client's own per-attempt deadline replaces
 * undici's headers and body timeouts for post(); fetch() uses them, one coarse timer for all its calls.
 */
export class UndiciPool {
  private agent: Promise<Agent> | undefined;

  constructor(
    private readonly connectTimeoutMs: number,
    private readonly timeoutMs: number,
  ) {}

  async post(
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<PostAnswer> {
    const { request } = await loadUndici();
    const dispatcher = await this.dispatcher();
    const response = await request(url, { method: 'POST', headers, body, dispatcher, signal });
    return { statusCode: response.statusCode, headers: response.headers, text: () => response.body.text() };
  }

  /** The answer to a request with a string body (or none), read whole; undici does not follow redirects. */
  async fetch(input: string | URL, init: RequestInit, body: string | undefined): Promise<Response> {
    const { request } = await loadUndici();
    const answer = await request(input, {
      method: (init.method ?? 'GET') as never,
      headers: headersRecord(init.headers),
      body,
      dispatcher: await this.dispatcher(),
      signal: init.signal ?? undefined,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    const headers = new Headers(flattenHeaders(answer.headers));
    return new BufferedResponse(bytes, answer.statusCode, headers, String(input)) as unknown as Response;
  }

  async close(): Promise<void> {
    const pending = this.agent;
    this.agent = undefined;
    if (pending) await (await pending).close();
  }

  private dispatcher(): Promise<Agent> {
    return (this.agent ??= loadUndici().then(
      (u) => new u.Agent({ connect: { timeout: this.connectTimeoutMs }, headersTimeout: 0, bodyTimeout: 0 }),
    ));
  }
}
