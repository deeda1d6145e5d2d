import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

/** The answer's status and headers, and its body to read. */
export interface PostAnswer {
  statusCode: number;
  headers: IncomingMessage['headers'];
  text(): Promise<string>;
}

/**
 * POSTs with Node's own http and https modules: what the CLI uses to send its one or two requests, because
 * undici costs about 80 ms of start-up to load. Keep-alive connections are pooled per client, as undici's Agent
 * pools them; a connection not made within `connectTimeoutMs` fails as undici's connect timeout does.
 */
export class NodeHttpPoster {
  private readonly agents = new Map<string, HttpAgent | HttpsAgent>();

  constructor(private readonly connectTimeoutMs: number) {}

  post(url: URL, headers: Record<string, string>, body: Buffer, signal: AbortSignal): Promise<PostAnswer> {
    const secure = url.protocol === 'https:';
    // https (and with it tls) is loaded only for an https URL.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const http = (secure ? require('node:https') : require('node:http')) as typeof import('node:https');
    const agent = this.agentFor(url.protocol, http);
    return new Promise((resolve, reject) => {
      const request = http.request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
        agent,
        signal,
      });
      const connectTimer = setTimeout(() => {
        const error = Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
        request.destroy(error);
      }, this.connectTimeoutMs);
      request.once('socket', (socket) => {
        if (!socket.connecting) clearTimeout(connectTimer);
        else socket.once('connect', () => clearTimeout(connectTimer));
      });
      request.once('error', (error) => {
        clearTimeout(connectTimer);
        reject(error);
      });
      request.once('response', (response) => {
        clearTimeout(connectTimer);
        resolve({
          statusCode: response.statusCode ?? 0,
          headers: response.headers,
          text: () => readText(response),
        });
      });
      request.end(body);
    });
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(protocol: string, http: typeof import('node:https')): HttpAgent | HttpsAgent {
    let agent = this.agents.get(protocol);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true });
      this.agents.set(protocol, agent);
    }
    return agent;
  }
}

function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', reject);
    response.once('aborted', () =>
      reject(Object.assign(new Error('answer aborted'), { code: 'ECONNRESET' })),
    );
  });
}
