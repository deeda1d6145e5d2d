import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenWithGracefulShutdown, type ListeningServer } from '../../src/gateway/graceful-shutdown';
import type { Logger } from '../../src/core/logger';
import { WorkQueue } from '../../src/gateway/work-queue';

interface Answer {
  status: number;
  body: string;
  connection: string | undefined;
}

function get(port: number, path: string, agent?: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('listenWithGracefulShutdown', function () {
  let lines: string[];
  let logger: Logger;
  let entered: () => void;
  let handlerEntered: Promise<void>;
  let closedAt: number | undefined;
  let answeredAt: number | undefined;
  let listening: ListeningServer | undefined;
  let port: number;

  /** /slow answers after 300 ms, /never does not answer, anything else at once. */
  const app: http.RequestListener = (req, res) => {
    if (req.url === '/slow') {
      entered();
      setTimeout(() => res.end('slow done', () => (answeredAt = Date.now())), 300);
    } else if (req.url === '/never') entered();
    else res.end('quick');
  };

  const start = async (extra: Partial<Parameters<typeof listenWithGracefulShutdown>[1]> = {}) => {
    listening = await listenWithGracefulShutdown(app, {
      port: 0,
      host: '127.0.0.1',
      shutdownTimeoutMs: 2000,
      logger,
      onClose: async () => {
        closedAt = Date.now();
      },
      signals: [],
      ...extra,
    });
    port = (listening.server.address() as AddressInfo).port;
    return listening;
  };

  beforeEach(() => {
    lines = [];
    const log = (message: string) => lines.push(message);
    logger = { debug: log, info: log, warn: log, error: log };
    handlerEntered = new Promise((resolve) => (entered = resolve));
    closedAt = undefined;
    listening = undefined;
  });
  afterEach(async () => {
    await listening?.shutdown().catch(() => {});
  });

  it('finishes a request in flight, refuses new connections, then runs onClose', async function () {
    const { shutdown } = await start();
    const slow = get(port, '/slow');
    await handlerEntered;
    const stopping = shutdown();

    await assert.rejects(get(port, '/'), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
    const answer = await slow;
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'slow done');
    assert.equal(answer.connection, 'close');
    await stopping;
    assert.ok(
      closedAt !== undefined && answeredAt !== undefined && closedAt >= answeredAt,
      'onClose ran last',
    );
    assert.equal(listening?.server.listening, false);
    assert.equal(shutdown(), stopping, 'shutdown() is idempotent');
  });

  it('does not wait for idle keep-alive connections', async function () {
    const { shutdown } = await start();
    const agent = new http.Agent({ keepAlive: true });
    try {
      assert.equal((await get(port, '/', agent)).body, 'quick');
      const started = Date.now();
      await shutdown();
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    } finally {
      agent.destroy();
    }
  });

  it('cuts off requests still running at the timeout, and still runs onClose', async function () {
    const { shutdown } = await start({ shutdownTimeoutMs: 200 });
    const never = get(port, '/never');
    await handlerEntered;
    const started = Date.now();
    await shutdown();
    assert.ok(Date.now() - started >= 190);
    await assert.rejects(never);
    assert.ok(closedAt !== undefined);
    assert.ok(lines.some((line) => line.includes('still in flight after 200 ms')));
  });

  it('waits for acknowledged work to finish before onClose, within the timeout', async function () {
    const queue = new WorkQueue(2);
    let finishedAt: number | undefined;
    void queue.run(async () => {
      await delay(300);
      finishedAt = Date.now();
    });
    const listening = await start({ work: queue });
    await listening.shutdown();
    assert.ok(
      finishedAt !== undefined && closedAt !== undefined && finishedAt <= closedAt,
      'work, then onClose',
    );
    assert.ok(lines.some((l) => l.includes('waiting for 1 acknowledged click(s) or command(s)')));
  });

  it('runs onClose at the timeout when acknowledged work does not finish, and says so', async function () {
    const queue = new WorkQueue(2);
    void queue.run(() => new Promise<void>(() => {}));
    const started = Date.now();
    const listening = await start({ work: queue, shutdownTimeoutMs: 300 });
    await listening.shutdown();
    assert.ok(closedAt !== undefined && closedAt - started < 2000);
    assert.ok(lines.some((l) => l.includes('1 acknowledged click(s) or command(s) unfinished at shutdown')));
  });

  it('shuts down on a signal and then exits', async function () {
    let exitCode: number | undefined;
    await start({ signals: ['SIGTERM'], exit: (code) => (exitCode = code) });
    const before = process.listenerCount('SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    while (exitCode === undefined) await delay(10);
    assert.equal(exitCode, 0);
    assert.ok(closedAt !== undefined);
    assert.equal(process.listenerCount('SIGTERM'), before - 1, 'its signal handler is removed');
  });

  it('rejects and exits 1 when onClose fails', async function () {
    let exitCode: number | undefined;
    const { shutdown } = await start({
      signals: ['SIGTERM'],
      exit: (code) => (exitCode = code),
      onClose: async () => {
        throw new Error('redis quit failed');
      },
    });
    process.emit('SIGTERM', 'SIGTERM');
    while (exitCode === undefined) await delay(10);
    assert.equal(exitCode, 1);
    await assert.rejects(shutdown(), /redis quit failed/);
    listening = undefined;
  });

  it('marks the start of shutdown before it stops listening', async function () {
    let listeningAtStart: boolean | undefined;
    const { server, shutdown } = await start({
      onShutdownStart: () => (listeningAtStart = server.listening),
    });
    await shutdown();
    assert.equal(listeningAtStart, true);
  });

  it('fails to start when the port is taken', async function () {
    await start();
    const taken = port;
    await assert.rejects(
      listenWithGracefulShutdown(app, {
        port: taken,
        host: '127.0.0.1',
        shutdownTimeoutMs: 100,
        logger,
        onClose: async () => {},
        signals: [],
      }),
      /EADDRINUSE/,
    );
  });
});
