/**
 * The Slack gateway under load, side by side with a bare node:http server that reads the same body and answers
 * `{}`. Both run as their own processes, pinned to one CPU when taskset is there (this process, the load
 * generator with Slack and the EventListener played by the test fakes, then keeps to the other CPUs). Redis and
 * the fakes are part of the gateway's path, as in production.
 *
 * Every click is a signed block_actions payload on its own open choice (seeded in Redis beforehand), so every
 * click decides, is forwarded once, and is shown with chat.update. The two servers get identical bodies and
 * headers, in alternating blocks (gateway first, then bare first, …), so machine noise falls on both alike.
 *
 *   1. latency: open loop at RATE requests/s for DURATION s per server; send -> HTTP response (Slack's ack),
 *      and for the gateway send -> the EventListener received the forward, and send -> chat.update received;
 *   2. throughput: closed loop, CONCURRENCY requests in flight, COUNT requests per server; the gateway's
 *      clicks/s end to end are counted until the EventListener has every forward.
 *
 * Each server's CPU time is read from /proc around both (Linux), and the run fails unless every choice was
 * forwarded exactly once, shown once, and recorded as delivered.
 *
 *   npm run bench     (RATE=300 DURATION=5 COUNT=1000 CONCURRENCY=32 BLOCKS=5 WARMUP=1000 PIN_CPU=0
 *                      LOG_LEVEL=warn; REDIS_URL as for the tests; PIN_CPU=none pins nothing;
 *                      PROFILE_DIR and GATEWAY_NODE_FLAGS: gateway-settings.ts)
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RedisStore } from '../src/store/redis/redis-store';
import { FakeEventListener } from '../test/helpers/fake-event-listener';
import { FakeSlack } from '../test/helpers/fake-slack';
import { flushTestKeys, stopTestRedis, testRedisUrl, uniqueKeyPrefix } from '../test/helpers/redis';
import { freePort } from '../test/helpers/loopback-port';
import { BLOCKS, CONCURRENCY, COUNT, DURATION_S, GATEWAY_NODE, RATE, WARMUP } from './gateway-settings';
import { checkEveryClickOnce } from './gateway-checks';
import { printReport } from './gateway-report';
import { SECRET, seedClicks } from './seed-clicks';
import {
  announced,
  blocksOf,
  closedLoop,
  healthy,
  openLoop,
  Receipts,
  until,
  type Click,
  type Server,
} from './load-generator';
import { BARE_SERVER, children, CpuMeter, pinSelfElsewhere, startServer, stopChild } from './bench-processes';

/** The whole bench gives up after this long, cleaning up. */
const DEADLINE_MS = 240_000;
const DRAIN_TIMEOUT_MS = 30_000;

const SLACKLINE = resolve(__dirname, '../dist/slackline.js');
const LISTENER_PATH = '/bench';

// ---- the run ---------------------------------------------------------------------------------------------

/** Child processes, fakes, the seeded keys: undone on success, failure, the deadline and Ctrl-C alike. */
const cleanups: Array<() => Promise<unknown>> = [];

async function main(): Promise<void> {
  const redisUrl = await testRedisUrl();
  const prefix = uniqueKeyPrefix('bench');
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  const store = new RedisStore({ type: 'redis', isPrimary: true, url: redisUrl, keyPrefix: prefix });
  cleanups.push(
    async () => Promise.all(children.map(stopChild)),
    () => slack.stop(),
    () => listener.stop(),
    () => store.close(),
    () => flushTestKeys(redisUrl, prefix),
    () => stopTestRedis(),
  );
  const deadline = setTimeout(() => {
    console.error(`bench/gateway: gave up after ${DEADLINE_MS / 1000} s`);
    void cleanUp().finally(() => process.exit(1));
  }, DEADLINE_MS);
  deadline.unref();
  try {
    await slack.start();
    await listener.start();
    await run(redisUrl, prefix, slack, listener, store);
  } finally {
    clearTimeout(deadline);
    await cleanUp();
  }
}

async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0)) await step().catch((error) => console.error(`cleanup: ${error}`));
}

/** What the phases share: the two servers, what Slack and the EventListener received, the seeded clicks. */
interface Bench {
  gateway: Server;
  bare: Server;
  forwards: Receipts;
  updates: Receipts;
  /** waits until the gateway forwarded and showed every click of the batch */
  drained(batch: Click[]): Promise<unknown>;
  /** the next n seeded clicks */
  take(n: number): Click[];
  /** every click taken so far */
  taken(): Click[];
}

interface LatencyResult {
  latency: { gateway: number[]; bare: number[]; forward: number[]; update: number[] };
  cpu: { gateway: CpuMeter; bare: CpuMeter };
  maxLagMs: number;
  slowestSendRate: number;
}

interface ThroughputResult {
  seconds: { gateway: number; bare: number; gatewayAcks: number; gatewayShown: number };
  cpu: { gateway: CpuMeter; bare: CpuMeter };
}

async function run(
  redisUrl: string,
  prefix: string,
  slack: FakeSlack,
  listener: FakeEventListener,
  store: RedisStore,
): Promise<void> {
  const benchCpus = pinSelfElsewhere();
  /** Other work on a shared machine shows here (1-minute load average). */
  const loadBefore = loadavg()[0]?.toFixed(1);
  const latencyCount = RATE * DURATION_S;
  const total = WARMUP + latencyCount + COUNT;
  const seedStart = performance.now();
  const clicks = await seedClicks(store, slack, total);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const bench = await startBench(redisUrl, prefix, slack, listener, clicks);
  await warmUp(bench);
  const latency = await measureLatency(bench, latencyCount);
  const throughput = await measureThroughput(bench);
  await checkEveryClickOnce(bench, store, slack, listener);
  printReport({ latencyCount, latency, throughput, benchCpus, checked: bench.taken().length });
  console.log(
    `load generator: slowest block sent at ${latency.slowestSendRate.toFixed(0)}/s, max timer lag ${latency.maxLagMs.toFixed(1)} ms; seeded ${total} choices in ${seedSeconds.toFixed(1)} s; load average ${loadBefore} before, ${loadavg()[0]?.toFixed(1)} after`,
  );
}

/** Starts the gateway and the bare server, and watches what reaches Slack and the EventListener. */
async function startBench(
  redisUrl: string,
  prefix: string,
  slack: FakeSlack,
  listener: FakeEventListener,
  clicks: Click[],
): Promise<Bench> {
  const gatewayPort = await freePort();
  const gateway = await startServer(
    'gateway',
    [process.execPath, ...GATEWAY_NODE.flags, SLACKLINE, 'serve'],
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_API_URL: `${slack.url}/api/`,
      REDIS_URL: redisUrl,
      SLACKLINE_KEY_PREFIX: prefix,
      SLACKLINE_EVENT_LISTENER_URL: `${listener.url}${LISTENER_PATH}`,
      PORT: String(gatewayPort),
      LOG_LEVEL: GATEWAY_NODE.logLevel,
    },
    () => healthy(`http://127.0.0.1:${gatewayPort}`),
  );
  const bare = await startServer('bare', [process.execPath, '-e', BARE_SERVER], {}, announced);

  const forwards = new Receipts(listener.requests, (r) =>
    r.path === LISTENER_PATH ? (r.json as { slack?: { messageTs?: string } })?.slack?.messageTs : undefined,
  );
  const updates = new Receipts(slack.requests, (r) =>
    r.path.startsWith('/api/chat.update') ? (r.json as { ts?: string })?.ts : undefined,
  );
  /** The gateway is done with a click when the forward and the chat.update after it have arrived. */
  const drained = (batch: Click[]) =>
    until(`the gateway to forward and show ${batch.length} decisions`, DRAIN_TIMEOUT_MS, () => {
      if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) {
        throw new Error(
          `the gateway stopped (${gateway.child.exitCode ?? gateway.child.signalCode}):\n${gateway.output}`,
        );
      }
      forwards.refresh();
      updates.refresh();
      return batch.every((c) => forwards.at.has(c.ts) && updates.at.has(c.ts)) ? true : undefined;
    });

  let used = 0;
  return {
    gateway,
    bare,
    forwards,
    updates,
    drained,
    take: (n) => clicks.slice(used, (used += n)),
    taken: () => clicks.slice(0, used),
  };
}

/** Gateway first in even blocks, bare first in odd ones. */
function order(bench: Bench, block: number): Server[] {
  return block % 2 === 0 ? [bench.gateway, bench.bare] : [bench.bare, bench.gateway];
}

/** Warms both up (JIT, connections, Redis) with clicks that are checked but not measured. */
async function warmUp({ gateway, bare, take, drained }: Bench): Promise<void> {
  const warmGateway = take(WARMUP);
  await openLoop(gateway, warmGateway, RATE);
  await openLoop(bare, warmGateway, RATE);
  await drained(warmGateway);
}

/** 1. Latency at a fixed rate. */
async function measureLatency(bench: Bench, latencyCount: number): Promise<LatencyResult> {
  const { gateway, bare, forwards, updates, drained } = bench;
  const latency = {
    gateway: [] as number[],
    bare: [] as number[],
    forward: [] as number[],
    update: [] as number[],
  };
  const meter = (server: Server) => new CpuMeter(server.child.pid);
  const cpu = { gateway: meter(gateway), bare: meter(bare) };
  let maxLagMs = 0;
  let slowestSendRate = Infinity;
  const latencyClicks = bench.take(latencyCount);
  for (const [b, batch] of blocksOf(latencyClicks, BLOCKS).entries()) {
    for (const server of order(bench, b)) {
      const result = await cpu[server.name].around(async () => {
        const sent = await openLoop(server, batch, RATE);
        if (server === gateway) await drained(batch);
        return sent;
      });
      maxLagMs = Math.max(maxLagMs, result.maxLagMs);
      slowestSendRate = Math.min(slowestSendRate, result.sentPerSecond);
      latency[server.name].push(...result.samples.map((s) => s.ackMs));
      if (server !== gateway) continue;
      for (const [i, sample] of result.samples.entries()) {
        const ts = (batch[i] as Click).ts;
        latency.forward.push((forwards.first(ts) as number) - sample.sentAt);
        latency.update.push((updates.first(ts) as number) - sample.sentAt);
      }
    }
  }

  return { latency, cpu, maxLagMs, slowestSendRate };
}

/** 2. Throughput, closed loop. */
async function measureThroughput(bench: Bench): Promise<ThroughputResult> {
  const { gateway, bare, forwards, updates, drained } = bench;
  const meter = (server: Server) => new CpuMeter(server.child.pid);
  const cpuThroughput = { gateway: meter(gateway), bare: meter(bare) };
  const seconds = { gateway: 0, bare: 0, gatewayAcks: 0, gatewayShown: 0 };
  const throughputClicks = bench.take(COUNT);
  for (const [b, batch] of blocksOf(throughputClicks, BLOCKS).entries()) {
    for (const server of order(bench, b)) {
      const { start, end } = await cpuThroughput[server.name].around(async () => {
        const sent = await closedLoop(server, batch, CONCURRENCY);
        if (server === gateway) await drained(batch);
        return sent;
      });
      if (server === bare) {
        seconds.bare += (end - start) / 1000;
        continue;
      }
      const lastForward = Math.max(...batch.map((c) => forwards.first(c.ts) as number));
      seconds.gateway += (lastForward - start) / 1000;
      seconds.gatewayAcks += (end - start) / 1000;
      const lastUpdate = Math.max(...batch.map((c) => updates.first(c.ts) as number));
      seconds.gatewayShown += (lastUpdate - start) / 1000;
    }
  }

  return { seconds, cpu: cpuThroughput };
}

process.once('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});
process.once('unhandledRejection', (error) => {
  console.error(error);
  void cleanUp().finally(() => process.exit(1));
});

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
