import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** What apps.connections.open answers: Slack's `{ ok: true, url }`, or an error Slack gives (`invalid_auth`). */
export type OpenAnswer = 'open' | { error: string };

/**
 * Slack's side of Socket Mode on loopback: apps.connections.open (the Web API call that hands out a WebSocket
 * URL) and the WebSocket itself, which says `hello`, carries envelopes to the app, and records its acks. The
 * WebSocket is the RFC 6455 framing written out (no extra dependency): text, ping/pong and close frames, which is
 * all the Socket Mode client uses. Any other Web API method is recorded and answers `{ ok: true }`.
 */
export class FakeSocketModeSlack {
  /** Every apps.connections.open, with its Authorization header. */
  readonly opens: { authorization: string | undefined }[] = [];
  /** Every JSON message the app sent over the socket (acks: `{ envelope_id, payload }`). */
  readonly received: Record<string, unknown>[] = [];
  /** Every other Web API call (views.open, chat.postEphemeral…): its method and its form or JSON body. */
  readonly calls: { method: string; body: Record<string, unknown> }[] = [];
  /** What apps.connections.open answers from now on. */
  openAnswer: OpenAnswer = 'open';
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private readonly sockets = new Set<Duplex>();

  get url(): string {
    if (!this.baseUrl) throw new Error('FakeSocketModeSlack is not started');
    return this.baseUrl;
  }

  /** The Web API base URL, for `slack.apiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** WebSockets open now. */
  get connections(): number {
    return this.sockets.size;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (!req.url?.startsWith('/api/apps.connections.open')) {
          const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
          this.calls.push({ method, body: bodyOf(Buffer.concat(chunks).toString('utf8')) });
          return res.end(JSON.stringify({ ok: true }));
        }
        this.opens.push({ authorization: req.headers.authorization });
        const answer = this.openAnswer;
        const ws = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link/${randomUUID()}`;
        res.end(
          JSON.stringify(answer === 'open' ? { ok: true, url: ws } : { ok: false, error: answer.error }),
        );
      });
    });
    server.on('upgrade', (req, socket) => this.upgrade(req, socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.drop();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Sends an envelope to every connected app; resolves to its envelope_id. */
  send(type: 'interactive' | 'slash_commands' | 'events_api', payload: object): string {
    const envelopeId = randomUUID();
    const message = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: false,
      retry_attempt: 0,
    };
    for (const socket of this.sockets) socket.write(frame(0x1, Buffer.from(JSON.stringify(message))));
    return envelopeId;
  }

  /** Breaks every WebSocket without a close frame, as a lost connection does. */
  drop(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string' || !req.url?.startsWith('/link/')) return void socket.destroy();
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let next = readFrame(pending); next; next = readFrame(pending)) {
        pending = pending.subarray(next.length);
        if (next.opcode === 0x1) this.received.push(JSON.parse(next.payload.toString('utf8')));
        else if (next.opcode === 0x9) socket.write(frame(0xa, next.payload));
        else if (next.opcode === 0x8) {
          socket.write(frame(0x8, next.payload));
          socket.end();
        }
      }
    });
    socket.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1 }))));
  }
}

/** One unmasked, final frame, as a server sends it. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(length));
  return bytes;
}

/** The first complete frame in `data` (a client's frames are masked), or undefined until it has all arrived. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = (data[0] as number) & 0x0f;
  const masked = ((data[1] as number) & 0x80) !== 0;
  let length = (data[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskAt = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (masked)
    for (let i = 0; i < payload.length; i++)
      payload[i] = (payload[i] as number) ^ (data[maskAt + (i % 4)] as number);
  return { opcode, payload, length: offset + length };
}

/** A Web API body as WebClient sends it: a form whose JSON fields (view, blocks) are decoded, or JSON. */
function bodyOf(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      try {
        fields[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
      } catch {
        fields[key] = value;
      }
    }
    return fields;
  }
}
