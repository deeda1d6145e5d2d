import net from 'node:net';

/**
 * A loopback TCP proxy in front of a service (Redis), for every fault test: it passes traffic through until told
 * otherwise, and can then stage what a network or a dying server does, at a chosen moment:
 *
 * - `cut()`: new connections are refused and open ones dropped; `start()` again restores it on the same port
 *   (to the client the service went down and came back, while the service and its data stayed as they were);
 * - `holdFrom(pattern)`: the first client→server chunk that matches, and everything after it on that
 *   connection, is kept back (the server never sees it; the client waits for an answer);
 * - `muteAfter(pattern)`: the first client→server chunk that matches goes through, but from then on nothing the
 *   server sends back on that connection reaches the client (the server acted; the client never hears of it);
 * - `drop()`: every connection is destroyed, and held data is thrown away (the client sees the connection
 *   close with its request unanswered, as when the server dies before reading it);
 * - `park()`: new connections are accepted but stall, not connected through until `release()` (to the client
 *   the server is back; to the server nobody has connected yet).
 */
export class FaultProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private holdPattern: RegExp | undefined;
  private onHeld: (() => void) | undefined;
  private mutePattern: RegExp | undefined;
  private onMuted: (() => void) | undefined;
  private parked: Array<() => void> = [];
  private parking = false;
  /** 0 until started; kept across cut() so that start() restores the proxy where its clients look for it. */
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Resolves once a client→server chunk matching `pattern` has been held back. */
  holdFrom(pattern: RegExp): Promise<void> {
    this.holdPattern = pattern;
    return new Promise((resolve) => (this.onHeld = resolve));
  }

  /** Resolves once a client→server chunk matching `pattern` has gone through with its answer muted. */
  muteAfter(pattern: RegExp): Promise<void> {
    this.mutePattern = pattern;
    return new Promise((resolve) => (this.onMuted = resolve));
  }

  drop(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  park(): void {
    this.parking = true;
  }

  release(): void {
    this.parking = false;
    for (const connect of this.parked.splice(0)) connect();
  }

  /** Refuses new connections and drops the open ones, until start() again. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.drop();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The same as cut(), for the end of a test. */
  stop(): Promise<void> {
    return this.cut();
  }

  private accept(client: net.Socket): void {
    this.track(client);
    const pending: Buffer[] = [];
    let upstream: net.Socket | undefined;
    let holding = false;
    let muted = false;
    client.on('data', (chunk: Buffer) => {
      if (!holding && this.holdPattern?.test(chunk.toString('latin1'))) {
        holding = true;
        this.holdPattern = undefined;
        this.onHeld?.();
      }
      if (!muted && this.mutePattern?.test(chunk.toString('latin1'))) {
        muted = true;
        this.mutePattern = undefined;
        setTimeout(() => this.onMuted?.(), 0);
      }
      if (holding) return; // kept back, and lost with the connection
      if (upstream) upstream.write(chunk);
      else pending.push(chunk);
    });
    const connect = () => {
      if (client.destroyed) return;
      upstream = net.connect(this.targetPort, this.targetHost);
      this.track(upstream);
      for (const chunk of pending.splice(0)) upstream.write(chunk);
      upstream.on('data', (chunk: Buffer) => {
        if (!muted) client.write(chunk);
      });
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream?.destroy());
    };
    if (this.parking) this.parked.push(connect);
    else connect();
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }
}
