import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { RedisDatasourceConfig } from '../../src/config/datasource-config';
import { waitFor } from './slack-requests';
import { FORWARD_SECRET, SIGNING_SECRET, testGatewayConfig, type StandIns } from './test-gateway';

export const SLACKLINE = resolve(__dirname, '../../dist/slackline.js');

/** What a gateway process is told, in the shapes the in-process builder takes (test-gateway.ts). */
export interface GatewayProcessSettings {
  /** Its primary: a Redis (or a Cluster, by URL), from redisStoreConfig. Without it, only `env` says. */
  store?: RedisDatasourceConfig;
  /** The loopback stand-ins, as testGatewayConfig points a gateway at them. */
  standIns?: StandIns;
  /** Further settings as `slackline serve` reads them (they win). */
  env?: Record<string, string>;
}

/** The environment that tells `slackline serve` what testGatewayConfig would, for the settings given. */
function serveEnv({ store, standIns = {}, env = {} }: GatewayProcessSettings): Record<string, string> {
  const config = testGatewayConfig({}, standIns);
  return {
    ...(store?.url ? { REDIS_URL: store.url } : {}),
    ...(store?.keyPrefix !== undefined ? { SLACKLINE_KEY_PREFIX: store.keyPrefix } : {}),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: config.slack.botToken,
    SLACK_API_URL: config.slack.apiUrl as string,
    SLACKLINE_EVENT_LISTENER_URL: config.forwarding.defaultUrl as string,
    SLACKLINE_FORWARD_SECRET: FORWARD_SECRET,
    ...env,
  };
}

/**
 * `slackline serve` as its own process (the built gateway), started and SIGKILLed as an orchestrator would: on a
 * port of its own choosing, found in its "listening" log line. Restarting it starts a new process with the same
 * environment, so a new consumer in the intake log's group.
 */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private baseUrl: string | undefined;
  readonly env: NodeJS.ProcessEnv;

  constructor(settings: GatewayProcessSettings) {
    this.env = {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...serveEnv(settings),
    };
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('the gateway process is not running');
    return this.baseUrl;
  }

  /** Where it listens, while it does; undefined while it is down or still starting. */
  get listeningUrl(): string | undefined {
    return this.running ? this.baseUrl : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything it wrote, for a failing test to show. */
  get log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    this.baseUrl = undefined;
    const child = spawn(process.execPath, [SLACKLINE, 'serve'], { env: this.env });
    this.child = child;
    let lines = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      lines += text;
      this.output += text;
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const line = await waitFor(
      'the gateway to listen',
      () => {
        if (child.exitCode !== null) throw new Error(`slackline serve exited ${child.exitCode}:\n${lines}`);
        return lines.split('\n').find((l) => l.includes('"msg":"slackline listening"'));
      },
      15_000,
    );
    this.baseUrl = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  }

  /** A crash or an OOM kill: no shutdown hook runs. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
}
