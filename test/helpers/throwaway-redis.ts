import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForRedisPong } from './loopback-port';

/**
 * A `redis-server` of one test's own, on a free loopback port, that the test may crash, stop and start again
 * (never the shared Redis the other tests use). Its data lives in a temporary directory: with `durable` it
 * writes an append-only file fsync'd before every reply (`appendfsync always`), so whatever it acknowledged
 * survives even a SIGKILL and is there again when it restarts on the same port; without, a restart is empty.
 */
export class ThrowawayRedis {
  readonly dir: string;
  private server: ChildProcess | undefined;
  private output = '';
  private portNumber = 0;
  private readonly stopOnExit = () => this.server?.kill('SIGKILL');

  /** `args`: more redis-server arguments (those of a cluster node, see ThrowawayCluster). */
  constructor(private readonly options: { durable: boolean; args?: string[] } = { durable: true }) {
    this.dir = mkdtempSync(join(tmpdir(), 'slackline-redis-'));
    process.once('exit', this.stopOnExit);
  }

  get port(): number {
    if (this.portNumber === 0) throw new Error('ThrowawayRedis was never started');
    return this.portNumber;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined && this.server.exitCode === null && this.server.signalCode === null;
  }

  /** Starts it (again, on the same port and directory after a stop). */
  async start(): Promise<void> {
    if (this.running) throw new Error('ThrowawayRedis is already running');
    if (this.portNumber === 0) this.portNumber = await freePort();
    const persistence = this.options.durable
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no'];
    const args = [
      '--port',
      String(this.portNumber),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      ...persistence,
      ...(this.options.args ?? []),
    ];
    this.output = '';
    const server = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const failed = new Promise<never>((_, reject) => {
      server.once('error', reject);
      server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${this.output}`)));
    });
    failed.catch(() => {});
    this.server = server;
    try {
      await Promise.race([failed, waitForRedisPong(this.portNumber, 10_000)]);
    } catch (error) {
      server.kill('SIGKILL');
      throw error;
    }
  }

  /** Ends the server at once, as a crash or an OOM kill would: nothing gets a chance to run. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** SIGSTOP: it stops answering, connections stay open (a hung host, a long GC pause of a VM); resume() ends it. */
  pause(): void {
    this.server?.kill('SIGSTOP');
  }

  resume(): void {
    this.server?.kill('SIGCONT');
  }

  /** SIGTERM: Redis finishes the command at hand, writes what it must and exits. */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  /** Stops it (if running) and deletes its data directory. */
  async remove(): Promise<void> {
    await this.kill();
    process.removeListener('exit', this.stopOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const server = this.server;
    if (!server || !this.running) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill(signal);
    await exited;
  }
}
