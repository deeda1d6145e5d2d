import type { Logger } from '../../core/logger';
import type { GatewayMetrics } from '../metrics';

/** What SocketConnection needs of @slack/socket-mode's SocketModeClient (Bolt's receiver.client). */
export interface SocketClient {
  start(): Promise<unknown>;
  disconnect(): Promise<void>;
  on(event: 'connected' | 'disconnected', listener: () => void): unknown;
}

export interface SocketConnectionOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  /** The wait after the first failure, doubled after each until maxRetryMs. Defaults 1 s and 30 s. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * Keeps the Socket Mode connection up in the background, so that the HTTP endpoints (health, metrics,
 * interceptors) never wait for Slack: a gateway that cannot reach Slack, or holds a bad app token, still
 * answers /healthz, and /readyz says why it is not ready. The client's own reconnection is turned off (it gives
 * up, with an unhandled rejection, on the errors it deems unrecoverable, a refused connection among them);
 * this retries every failure, with a capped exponential backoff, until stop().
 */
export class SocketConnection {
  private connected = false;
  private connecting = false;
  private stopped = true;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private why = 'not connected yet';
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;

  constructor(
    private readonly client: SocketClient,
    private readonly options: SocketConnectionOptions,
  ) {
    this.firstRetryMs = options.firstRetryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    client.on('connected', () => {
      this.connected = true;
      this.failures = 0;
      options.logger.info('connected to Slack over Socket Mode');
    });
    client.on('disconnected', () => {
      const was = this.connected;
      this.connected = false;
      if (this.stopped) return;
      if (was) {
        this.why = 'the Socket Mode connection closed; reconnecting';
        options.logger.warn('the Socket Mode connection to Slack closed; reconnecting');
        options.metrics.dependencyFailure('slack', 'socket');
      }
      // A start() in flight fails on its own and schedules the retry.
      if (!this.connecting) this.retryLater();
    });
  }

  /** Connects in the background; resolves at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  /** Why Slack cannot reach this gateway now, or undefined while the socket is connected. */
  problem(): string | undefined {
    return this.connected ? undefined : `Slack Socket Mode is not connected: ${this.why}`;
  }

  /** Stops retrying and closes the connection; within 2 s even if the client never answers. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.disconnect();
  }

  private async connect(): Promise<void> {
    if (this.connecting || this.stopped) return;
    this.connecting = true;
    try {
      await this.client.start();
    } catch (error) {
      this.failures += 1;
      this.why = (error as Error)?.message ?? String(error);
      this.options.metrics.dependencyFailure('slack', 'socket');
      this.options.logger.warn(
        `could not connect to Slack over Socket Mode (attempt ${this.failures}): ${this.why}`,
      );
    } finally {
      this.connecting = false;
    }
    // stop() came while the connection was being opened: close what it opened.
    if (this.stopped) return this.disconnect();
    if (!this.connected) this.retryLater();
  }

  private retryLater(): void {
    if (this.timer || this.stopped) return;
    const delay = Math.min(this.maxRetryMs, this.firstRetryMs * 2 ** Math.max(0, this.failures - 1));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delay);
    this.timer.unref();
  }

  private async disconnect(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.disconnect().catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000))),
    ]);
    clearTimeout(timer);
  }
}
