/**
 * What both server benchmarks share: the bare node:http server they compare with, starting servers as their own
 * processes (pinned to PIN_CPU with taskset where it exists), stopping them, and reading their CPU time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

export function setting(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export const PIN_CPU = process.env.PIN_CPU ?? '0';
if (!/^(none|\d+)$/.test(PIN_CPU)) throw new Error('PIN_CPU must be a CPU number or none');

/**
 * Idle keep-alive connections are closed from this side after this long, well before the servers' 5 s: without
 * it, reusing one just as the server closes it fails the request with ECONNRESET.
 */
const IDLE_SOCKET_MS = 2000;

/** Reads the whole body and answers `{}`: what the same requests cost when nothing is done with them. */
export const BARE_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
    res.end('{}');
  });
});
server.listen(Number(process.env.PORT), process.env.HOST, () =>
  console.log(JSON.stringify({ msg: 'bare listening', port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export interface Server<Name extends string = string> {
  name: Name;
  child: ChildProcess;
  url: string;
  agent: http.Agent;
  output: string;
}

export const children: ChildProcess[] = [];

/** Whether the two servers run pinned to PIN_CPU (Linux with taskset, and that CPU exists). */
export const PINNED =
  PIN_CPU !== 'none' &&
  Number(PIN_CPU) < cpus().length &&
  spawnSync('taskset', ['-c', PIN_CPU, 'true']).status === 0;

function pinned(argv: string[]): [string, string[]] {
  return PINNED ? ['taskset', ['-c', PIN_CPU, ...argv]] : [argv[0] as string, argv.slice(1)];
}

/** With the servers pinned, this process (load generator and fakes) keeps off their CPU; says where it went. */
export function pinSelfElsewhere(): string | undefined {
  const others = cpus()
    .map((_, i) => String(i))
    .filter((cpu) => cpu !== PIN_CPU);
  if (!PINNED || others.length === 0) return undefined;
  const args = ['-a', '-p', '-c', others.join(','), String(process.pid)];
  return spawnSync('taskset', args).status === 0 ? others.join(',') : undefined;
}

export async function startServer<Name extends string>(
  name: Name,
  argv: string[],
  env: Record<string, string>,
  ready: (server: Server<Name>) => Promise<string | undefined>,
): Promise<Server<Name>> {
  const [command, args] = pinned(argv);
  // taskset execs the command, so the pid is the server's own (its CPU time is read from /proc below).
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const server: Server<Name> = {
    name,
    child,
    url: '',
    agent: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    output: '',
  };
  child.stdout?.on('data', (chunk: Buffer) => (server.output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (server.output += chunk.toString()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${server.output}`);
    const url = await ready(server);
    if (url) {
      server.url = url;
      return server;
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start within 15 s:\n${server.output}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Of a process in ms (Linux; undefined elsewhere): CPU time of all its threads, and how long its main thread
 * (the event loop) was ready to run but waited for the CPU, taken by other processes or its own helper threads.
 */
function cpuMs(pid: number | undefined): { run: number; wait: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const total = { run: 0, wait: 0 };
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ');
      total.run += Number(run) / 1e6;
      if (task === String(pid)) total.wait = Number(wait) / 1e6;
    }
    return total;
  } catch {
    return undefined;
  }
}

/** CPU time of one server over the measured stretches (each until the gateway has finished its clicks). */
export class CpuMeter {
  run = 0;
  wait = 0;
  wall = 0;

  constructor(private readonly pid: number | undefined) {}

  async around<T>(work: () => Promise<T>): Promise<T> {
    const before = cpuMs(this.pid);
    const started = performance.now();
    const result = await work();
    this.wall += performance.now() - started;
    const after = cpuMs(this.pid);
    if (before && after) {
      this.run += after.run - before.run;
      this.wait += after.wait - before.wait;
    }
    return result;
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}
