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
 *   npm run bench     (RATE=200 DURATION=5 COUNT=1000 CONCURRENCY=32 BLOCKS=5 WARMUP=200 PIN_CPU=0
 *                      LOG_LEVEL=warn; REDIS_URL as for the tests; PIN_CPU=none pins nothing;
 *                      PROFILE_DIR=/tmp/prof writes the gateway's V8 CPU profile there)
 */
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { offeredChoice } from '../src/events/offered-choice';
import { RedisStore } from '../src/store/redis/redis-store';
import { FakeEventListener } from '../test/helpers/fake-event-listener';
import { FakeSlack, type RecordedRequest } from '../test/helpers/fake-slack';
import { flushTestKeys, stopTestRedis, testRedisUrl, uniqueKeyPrefix } from '../test/helpers/redis';
import { blockActionsPayload, FORM, interactionBody, slackSignature } from '../test/helpers/slack-requests';
import { freePort } from '../test/helpers/loopback-port';
import {
  BARE_SERVER,
  children,
  CpuMeter,
  percentile,
  PINNED,
  PIN_CPU,
  pinSelfElsewhere,
  setting,
  startServer,
  stopChild,
  type Server as AnyServer,
} from './bench-processes';

type Server = AnyServer<'gateway' | 'bare'>;

const RATE = setting('RATE', 200, 1, 2000);
const DURATION_S = setting('DURATION', 5, 1, 30);
const COUNT = setting('COUNT', 1000, 1, 20_000);
const CONCURRENCY = setting('CONCURRENCY', 32, 1, 256);
const BLOCKS = setting('BLOCKS', 5, 1, 50);
const WARMUP = setting('WARMUP', 200, 0, 5000);
/** The gateway's; at info it writes one JSON line per decision to stdout (read by this process). */
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
/** When set, the gateway writes a V8 CPU profile there when it stops (open it in Chrome DevTools). */
const PROFILE_DIR = process.env.PROFILE_DIR;
const TARGET_P99_MS = 50;
/** The whole bench gives up after this long, cleaning up. */
const DEADLINE_MS = 150_000;
/** One request, or one block's forwards, may take this long before the bench fails. */
const REQUEST_TIMEOUT_MS = 15_000;
const DRAIN_TIMEOUT_MS = 30_000;

const SLACKLINE = resolve(__dirname, '../dist/slackline.js');
const SECRET = 'bench-signing-secret';
const CHANNEL = 'C0BENCH';
const LISTENER_PATH = '/bench';

interface Click {
  ts: string;
  body: string;
  headers: Record<string, string>;
}

interface Sample {
  sentAt: number;
  ackMs: number;
}

/** The URL once GET /healthz answers 200. */
async function healthy(base: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
    return response.status === 200 ? `${base}/slack/events` : undefined;
  } catch {
    return undefined;
  }
}

/** The URL from the JSON line the bare server prints once it listens. */
async function announced(server: Server): Promise<string | undefined> {
  const line = server.output.split('\n').find((l) => l.includes('"msg":"bare listening"'));
  return line && `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/slack/events`;
}

// ---- requests --------------------------------------------------------------------------------------------

function send(server: Server, click: Click): Promise<Sample> {
  return new Promise((done, fail) => {
    const sentAt = performance.now();
    const req = http.request(
      server.url,
      { method: 'POST', agent: server.agent, headers: click.headers },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) fail(new Error(`${server.name} answered ${res.statusCode}`));
          else done({ sentAt, ackMs: performance.now() - sentAt });
        });
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${server.name}: no answer in time`)));
    req.on('error', (error) => fail(new Error(`${server.name}: ${error.message}`, { cause: error })));
    req.end(click.body);
  });
}

/** Sends click i at start + i/rate (catching up after a late timer), and waits for every answer. */
async function openLoop(server: Server, clicks: Click[], rate: number) {
  const interval = 1000 / rate;
  const pending: Promise<Sample>[] = [];
  let maxLagMs = 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (pending.length < clicks.length && start + pending.length * interval <= now) {
        maxLagMs = Math.max(maxLagMs, now - (start + pending.length * interval));
        const sent = send(server, clicks[pending.length] as Click);
        sent.catch(() => {}); // seen by Promise.all below; a failure must not crash the run before it
        pending.push(sent);
      }
      if (pending.length >= clicks.length) return done();
      setTimeout(tick, Math.max(0, start + pending.length * interval - performance.now()));
    };
    tick();
  });
  const samples = await Promise.all(pending);
  const sendSeconds = ((samples.at(-1)?.sentAt ?? start) - start) / 1000;
  return { samples, maxLagMs, sentPerSecond: clicks.length > 1 ? (clicks.length - 1) / sendSeconds : rate };
}

/** CONCURRENCY requests in flight until every click is sent; resolves when the last answer is in. */
async function closedLoop(server: Server, clicks: Click[], concurrency: number) {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < clicks.length) await send(server, clicks[next++] as Click);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, clicks.length) }, worker));
  return { start, end: performance.now() };
}

/** What the fakes received, by message ts: receive times (performance.now(), the same clock as `sentAt`). */
class Receipts {
  readonly at = new Map<string, number[]>();
  private seen = 0;

  constructor(
    private readonly requests: RecordedRequest[],
    private readonly keyOf: (request: RecordedRequest) => string | undefined,
  ) {}

  refresh(): this {
    for (; this.seen < this.requests.length; this.seen++) {
      const request = this.requests[this.seen] as RecordedRequest;
      const key = this.keyOf(request);
      if (key === undefined) continue;
      const times = this.at.get(key) ?? [];
      times.push(request.receivedAtMs);
      this.at.set(key, times);
    }
    return this;
  }

  first(ts: string): number | undefined {
    return this.at.get(ts)?.[0];
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 5));
  }
}

// ---- statistics ------------------------------------------------------------------------------------------

function blocksOf<T>(items: T[], blocks: number): T[][] {
  const size = Math.ceil(items.length / blocks);
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

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

  // Seed one open choice per click, each in its own context document, indexed by its message.
  const seedStart = performance.now();
  const now = new Date();
  const clicks: Click[] = [];
  const seeded: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const ts = `1800000000.${String(i + 1).padStart(6, '0')}`;
    const contextId = `bench-${i}`;
    const choice = offeredChoice({
      pipeline: 'build',
      event: 'success',
      handler: 'manual-choice',
      title: `Deploy build ${i}?`,
      choices: { deploy: { header: 'Deploy?', options: [{ text: 'Go', value: 'go', style: 'primary' }] } },
      config: { 'approvals-needed': 1 },
      initiator: null,
      answer: { ok: true, channel: CHANNEL, ts, message: { type: 'message', ts } },
      now,
    });
    seeded.push(
      (async () => {
        await store.update(contextId, () => ({
          state: {
            cicdContextDataId: contextId,
            cicdContextName: 'bench',
            offeredChoices: { [choice.id]: choice },
          },
        }));
        await store.indexMessage(CHANNEL, ts, contextId);
      })(),
    );
    const body = interactionBody(
      blockActionsPayload({
        channelId: CHANNEL,
        messageTs: ts,
        value: 'go',
        userId: 'U0BENCH',
        text: 'Go',
        responseUrl: `${slack.url}/respond/${i}`,
      }),
    );
    // Signed now: the bench takes far less than Slack's five minutes.
    const headers = {
      'content-type': FORM,
      'content-length': String(Buffer.byteLength(body)),
      ...slackSignature(SECRET, body),
    };
    clicks.push({ ts, body, headers });
  }
  await Promise.all(seeded);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const gatewayPort = await freePort();
  const gateway = await startServer(
    'gateway',
    [
      process.execPath,
      ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
      SLACKLINE,
      'serve',
    ],
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_API_URL: `${slack.url}/api/`,
      REDIS_URL: redisUrl,
      SLACKLINE_KEY_PREFIX: prefix,
      SLACKLINE_EVENT_LISTENER_URL: `${listener.url}${LISTENER_PATH}`,
      PORT: String(gatewayPort),
      LOG_LEVEL: LOG_LEVEL,
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
  const take = (n: number) => clicks.slice(used, (used += n));
  /** Gateway first in even blocks, bare first in odd ones. */
  const order = (block: number): Server[] => (block % 2 === 0 ? [gateway, bare] : [bare, gateway]);

  // Warm both up (JIT, connections, Redis) with clicks that are checked but not measured.
  const warmGateway = take(WARMUP);
  await openLoop(gateway, warmGateway, RATE);
  await openLoop(bare, warmGateway, RATE);
  await drained(warmGateway);

  // 1. Latency at a fixed rate.
  const latency = {
    gateway: [] as number[],
    bare: [] as number[],
    forward: [] as number[],
    update: [] as number[],
  };
  const meter = (server: Server) => new CpuMeter(server.child.pid);
  const cpu = { gateway: meter(gateway), bare: meter(bare) };
  const cpuThroughput = { gateway: meter(gateway), bare: meter(bare) };
  let maxLagMs = 0;
  let slowestSendRate = Infinity;
  const latencyClicks = take(latencyCount);
  for (const [b, batch] of blocksOf(latencyClicks, BLOCKS).entries()) {
    for (const server of order(b)) {
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

  // 2. Throughput, closed loop.
  const seconds = { gateway: 0, bare: 0, gatewayAcks: 0, gatewayShown: 0 };
  const throughputClicks = take(COUNT);
  for (const [b, batch] of blocksOf(throughputClicks, BLOCKS).entries()) {
    for (const server of order(b)) {
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

  // Correctness: every clicked choice forwarded exactly once, shown once, and recorded as delivered in Redis.
  const clicked = clicks.slice(0, used);
  await drained(clicked);
  await new Promise((done) => setTimeout(done, 200)); // a late duplicate would show up here
  forwards.refresh();
  updates.refresh();
  const problems: string[] = [];
  const notOnce = clicked.filter((c) => forwards.at.get(c.ts)?.length !== 1);
  if (notOnce.length) problems.push(`${notOnce.length} choices were not forwarded exactly once`);
  const forwardCount = listener.requests.length;
  if (forwardCount !== clicked.length) {
    problems.push(`the EventListener received ${forwardCount} requests for ${clicked.length} decisions`);
  }
  const ephemerals = slack.requests.filter((r) => r.path.startsWith('/respond/'));
  if (ephemerals.length) {
    problems.push(
      `${ephemerals.length} clicks were answered with an ephemeral message, e.g. ${ephemerals[0]?.text}`,
    );
  }
  const notDelivered = await undelivered(store, clicked.length);
  if (notDelivered)
    problems.push(`${notDelivered} choices are not recorded as decided and delivered in Redis`);
  if (problems.length) {
    throw new Error(`the gateway misbehaved under load:\n- ${problems.join('\n- ')}\n${gateway.output}`);
  }

  // Report.
  const p50 = { gateway: percentile(latency.gateway, 0.5), bare: percentile(latency.bare, 0.5) };
  const p99 = { gateway: percentile(latency.gateway, 0.99), bare: percentile(latency.bare, 0.99) };
  const perSecond = { gateway: COUNT / seconds.gateway, bare: COUNT / seconds.bare };
  const pin = PINNED
    ? `servers pinned to CPU ${PIN_CPU}, load generator and fakes to ${benchCpus ?? 'any'}`
    : 'nothing pinned';
  const cores = `${cpus().length} CPUs`;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const row = (name: string, g: string, b: string, ratio: string) =>
    console.log(`${name.padEnd(44)}${g.padStart(12)}${b.padStart(12)}${ratio.padStart(10)}`);
  const x = (v: number) => `${v.toFixed(1)}x`;
  console.log();
  console.log(
    `slackline gateway vs a bare node:http server, ${BLOCKS} interleaved blocks each (node ${process.version}, ${cores}, ${pin})`,
  );
  row('measure', 'gateway', 'bare', 'gw/bare');
  row(
    `ack p50 @${RATE}/s (${latencyCount} clicks)`,
    ms(p50.gateway),
    ms(p50.bare),
    x(p50.gateway / p50.bare),
  );
  row(`ack p99 @${RATE}/s`, ms(p99.gateway), ms(p99.bare), x(p99.gateway / p99.bare));
  row(`forward received p50 @${RATE}/s (end to end)`, ms(percentile(latency.forward, 0.5)), '-', '');
  row(`forward received p99 @${RATE}/s`, ms(percentile(latency.forward, 0.99)), '-', '');
  row(`chat.update received p99 @${RATE}/s`, ms(percentile(latency.update, 0.99)), '-', '');
  const perClick = (m: CpuMeter, clicks: number, digits: number) => `${(m.run / clicks).toFixed(digits)} ms`;
  const cpuRatio = (g: CpuMeter, b: CpuMeter) => (b.run > 0 ? x(g.run / b.run) : '');
  if (cpu.gateway.run > 0) {
    row(
      `server CPU per click @${RATE}/s`,
      perClick(cpu.gateway, latencyCount, 2),
      perClick(cpu.bare, latencyCount, 3),
      cpuRatio(cpu.gateway, cpu.bare),
    );
    const busy = (100 * cpu.gateway.run) / cpu.gateway.wall;
    row(`  gateway CPU busy, ${RATE}/s blocks to drained`, `${busy.toFixed(0)}%`, '', '');
    row(
      `  event loop waiting for the CPU, per click`,
      `${(cpu.gateway.wait / latencyCount).toFixed(2)} ms`,
      `${(cpu.bare.wait / latencyCount).toFixed(3)} ms`,
      '',
    );
  }
  row(
    `clicks/s end to end, ${CONCURRENCY} in flight (${COUNT})`,
    perSecond.gateway.toFixed(0),
    perSecond.bare.toFixed(0),
    `${(perSecond.gateway / perSecond.bare).toFixed(3)}x`,
  );
  row(`  gateway acks/s in that run`, (COUNT / seconds.gatewayAcks).toFixed(0), '', '');
  row(`  gateway clicks/s to the last chat.update`, (COUNT / seconds.gatewayShown).toFixed(0), '', '');
  if (cpuThroughput.gateway.run > 0) {
    row(
      `server CPU per click, ${CONCURRENCY} in flight`,
      perClick(cpuThroughput.gateway, COUNT, 2),
      perClick(cpuThroughput.bare, COUNT, 3),
      cpuRatio(cpuThroughput.gateway, cpuThroughput.bare),
    );
  }
  console.log(
    `target, ack p99 < ${TARGET_P99_MS} ms at 200 clicks/s on one core: ${
      RATE < 200 ? `not tested (RATE=${RATE})` : p99.gateway < TARGET_P99_MS ? 'MET' : 'NOT MET'
    } (${ms(p99.gateway)} at ${RATE}/s${PINNED ? '' : ', not pinned to one core'})`,
  );
  console.log(
    `checked: ${clicked.length} clicks (${WARMUP} warm-up), each forwarded exactly once, shown with chat.update, recorded as delivered`,
  );
  console.log(
    `load generator: slowest block sent at ${slowestSendRate.toFixed(0)}/s, max timer lag ${ms(maxLagMs)}; seeded ${total} choices in ${seedSeconds.toFixed(1)} s; load average ${loadBefore} before, ${loadavg()[0]?.toFixed(1)} after`,
  );
  console.log(
    `reproduce: npm run bench   (this part only: npm run build && RATE=${RATE} DURATION=${DURATION_S} COUNT=${COUNT} CONCURRENCY=${CONCURRENCY} npx tsx bench/gateway.ts)`,
  );
}

/** How many of the first `count` seeded choices Redis does not show as decided with a delivered decision. */
async function undelivered(store: RedisStore, count: number): Promise<number> {
  let missing = 0;
  for (let start = 0; start < count; start += 200) {
    const ids = Array.from({ length: Math.min(200, count - start) }, (_, i) => `bench-${start + i}`);
    const docs = await Promise.all(ids.map((id) => store.load(id)));
    for (const doc of docs) {
      const choices = Object.values((doc?.['state'] as { offeredChoices?: object })?.offeredChoices ?? {});
      const choice = choices[0] as
        { status?: string; decision?: { delivery?: { status?: string } } } | undefined;
      if (choice?.status !== 'decided' || choice.decision?.delivery?.status !== 'delivered') missing++;
    }
  }
  return missing;
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
