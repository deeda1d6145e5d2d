import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '../core/logger';
import type { WorkQueue } from './work-queue';

export interface GracefulShutdownOptions {
  port: number;
  host: string;
  /** How long in-flight requests may take to finish before their connections are cut. */
  shutdownTimeoutMs: number;
  logger: Logger;
  /** Runs once the server has closed and `work` is done: close Redis, Socket Mode, timers. */
  onClose: () => Promise<void>;
  /**
   * Work that outlives its request (a click after its ack): waited for after the server closed, within what is
   * left of shutdownTimeoutMs, so that a decision is forwarded and recorded before the store closes.
   */
  work?: Pick<WorkQueue, 'size' | 'empty'>;
  /** Runs as shutdown begins, before the listener closes: e.g. the health router's markShuttingDown. */
  onShutdownStart?: () => void;
  /** PEM certificate and key: serve HTTPS instead of HTTP (a ClusterInterceptor with a caBundle dials HTTPS). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Default SIGTERM (Kubernetes) and SIGINT (Ctrl-C). */
  signals?: readonly NodeJS.Signals[];
  /** Ends the process after a signal-started shutdown (code 0, or 1 if onClose failed). Default process.exit. */
  exit?: (code: number) => void;
}

export interface ListeningServer {
  server: http.Server;
  /** Idempotent: every call returns the same promise. Rejects when onClose does. */
  shutdown(): Promise<void>;
}

/**
 * Listens, and on a signal or shutdown(): stops accepting connections, lets requests in flight finish (up to
 * shutdownTimeoutMs), closes keep-alive connections as soon as they fall idle, then runs onClose. A decision
 * half-recorded or a forward half-sent is what an abrupt exit would cost, so the drain matters.
 */
export async function listenWithGracefulShutdown(
  app: Express | http.RequestListener,
  options: GracefulShutdownOptions,
): Promise<ListeningServer> {
  const { logger, shutdownTimeoutMs, onClose } = options;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  // https.Server is an http.Server in every way used here (request events, close*Connections, address).
  const server: http.Server = options.tls
    ? https.createServer(options.tls, app as http.RequestListener)
    : http.createServer(app as http.RequestListener);
  const inFlight = new Set<http.ServerResponse>();
  let closing = false;

  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    // A request that arrives on a kept-alive connection during the drain is served, then its connection ends.
    if (closing) res.setHeader('Connection', 'close');
    res.on('close', () => {
      inFlight.delete(res);
      // Its connection may now be idle; closing it is what lets server.close() finish.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });

  const { address, port } = await listen(server, options.port, options.host);
  logger.info(`listening on ${address}:${port}`);

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shuttingDown ??= drain();
    return shuttingDown;
  };

  async function drain(): Promise<void> {
    closing = true;
    options.onShutdownStart?.();
    logger.info(`shutting down: ${inFlight.size} request(s) in flight`);
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), shutdownTimeoutMs);
    });
    server.closeIdleConnections();
    const drained = await Promise.race([closed, timedOut]);
    if (!drained) {
      logger.warn(
        `${inFlight.size} request(s) still in flight after ${shutdownTimeoutMs} ms: cutting them off`,
      );
      server.closeAllConnections();
      await closed;
    }
    if (options.work) await finishWork(options.work, timedOut, logger);
    clearTimeout(timer);
    try {
      await onClose();
    } catch (error) {
      logger.error(`shutdown: closing resources failed: ${(error as Error).message}`);
      throw error;
    } finally {
      for (const signal of signals) process.off(signal, onSignal);
    }
    logger.info('shut down');
  }

  function onSignal(signal: NodeJS.Signals): void {
    if (shuttingDown) {
      // A second Ctrl-C means "now".
      logger.warn(`${signal} again: exiting without waiting`);
      exit(1);
      return;
    }
    logger.info(`${signal} received`);
    shutdown().then(
      () => exit(0),
      () => exit(1),
    );
  }
  for (const signal of signals) process.on(signal, onSignal);
  return { server, shutdown };
}

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Acknowledged clicks and commands still being worked on get until the shutdown timeout to finish. */
async function finishWork(
  work: Pick<WorkQueue, 'size' | 'empty'>,
  timedOut: Promise<boolean>,
  logger: Logger,
): Promise<void> {
  if (work.size === 0) return;
  logger.info(`shutting down: waiting for ${work.size} acknowledged click(s) or command(s)`);
  const done = await Promise.race([work.empty().then(() => true), timedOut]);
  if (!done) logger.warn(`${work.size} acknowledged click(s) or command(s) unfinished at shutdown`);
}
