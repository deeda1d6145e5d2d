/**
 * The interceptor endpoints under load, side by side with the bare node:http server reading the same bodies: CPU
 * per request of each, as issue 11 compares them with Go's slack-payload-handler (6.7x the bare server there).
 *
 *   - webhook: Slack's signed block_actions form, as an EventListener posts it to /interceptor/webhook (the
 *     clicked message is looked up in Redis: one script);
 *   - cluster: a Tekton InterceptorRequest holding a slackline-signed forwarded event, as a trigger sends it to
 *     /interceptor/cluster (each event a new idempotency key: one SET NX).
 *
 * Closed loop, CONCURRENCY requests in flight, COUNT per endpoint and server, in alternating blocks.
 *
 *   npx tsx bench/interceptors.ts   (COUNT=2000 CONCURRENCY=32 BLOCKS=4 PIN_CPU=0; REDIS_URL as for the tests)
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { forwardSignatureHeaders } from '../src/core/forward-signature';
import { commandEvent } from '../src/core/forwarded-event';
import { freePort } from '../test/helpers/loopback-port';
import { flushTestKeys, stopTestRedis, testRedisUrl, uniqueKeyPrefix } from '../test/helpers/redis';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  newTriggerId,
  slackSignature,
} from '../test/helpers/slack-requests';
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
  type Server,
} from './bench-processes';

const COUNT = setting('COUNT', 2000, 10, 50_000);
const CONCURRENCY = setting('CONCURRENCY', 32, 1, 256);
const BLOCKS = setting('BLOCKS', 4, 1, 20);
const SLACKLINE = resolve(__dirname, '../dist/slackline.js');
const SLACK_SECRET = 'bench-slack-secret';
const FORWARD_SECRET = 'bench-forward-secret';

interface Request {
  path: string;
  headers: Record<string, string>;
  body: string;
}

function webhookRequest(): Request {
  const body = interactionBody(
    blockActionsPayload({
      channelId: 'C0BENCH',
      messageTs: '1700000000.000100',
      value: 'approve',
      userId: 'U0BENCH',
      responseUrl: 'http://127.0.0.1:9/respond',
      triggerId: newTriggerId(),
    }),
  );
  return {
    path: '/interceptor/webhook',
    headers: { 'content-type': FORM, ...slackSignature(SLACK_SECRET, body) },
    body,
  };
}

function clusterRequest(): Request {
  const event = commandEvent({
    command: { name: '/deploy', text: 'dev app 1.0.0', args: { env: 'dev' } },
    user: { id: 'U0BENCH', username: 'bench', teamId: 'T0BENCH' },
    slack: { channelId: 'C0BENCH', triggerId: newTriggerId() },
    context: { id: 'bench-context', name: 'dev' },
    now: new Date(),
    id: randomUUID(),
  });
  const text = JSON.stringify(event);
  const header: Record<string, string[]> = { 'Content-Type': ['application/json'] };
  for (const [name, value] of Object.entries(forwardSignatureHeaders(FORWARD_SECRET, text, Date.now()))) {
    header[name] = [value];
  }
  const body = JSON.stringify({
    body: text,
    header,
    extensions: {},
    interceptor_params: {},
    context: { event_url: '/', event_id: randomUUID(), trigger_id: 'namespaces/ci/triggers/deploy' },
  });
  return { path: '/interceptor/cluster', headers: { 'content-type': 'application/json' }, body };
}

function post(base: string, agent: http.Agent, request: Request): Promise<number> {
  return new Promise((done, fail) => {
    const sentAt = performance.now();
    const req = http.request(
      `${base}${request.path}`,
      { method: 'POST', agent, headers: request.headers },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? done(performance.now() - sentAt)
            : fail(new Error(`${request.path}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', fail);
    req.end(request.body);
  });
}

async function closedLoop(server: Server, requests: Request[]): Promise<number[]> {
  const base = new URL(server.url).origin;
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length)
      latencies.push(await post(base, server.agent, requests[next++] as Request));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies;
}

/** One endpoint's row: CPU per request on both servers in interleaved blocks, the gateway's rate and p99. */
async function measure(servers: Server[], kind: { name: string; make: () => Request }): Promise<void> {
  const meters = new Map(servers.map((s) => [s.name, new CpuMeter(s.child.pid)]));
  const latencies = new Map<string, number[]>(servers.map((s) => [s.name, []]));
  const walls = new Map<string, number>(servers.map((s) => [s.name, 0]));
  for (const server of servers) await closedLoop(server, Array.from({ length: 300 }, kind.make)); // warm-up
  for (let block = 0; block < BLOCKS; block++) {
    const order = block % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) {
      const requests = Array.from({ length: Math.ceil(COUNT / BLOCKS) }, kind.make);
      const started = performance.now();
      const seen = await (meters.get(server.name) as CpuMeter).around(() => closedLoop(server, requests));
      walls.set(server.name, (walls.get(server.name) ?? 0) + performance.now() - started);
      latencies.get(server.name)?.push(...seen);
    }
  }
  const perRequest = (name: 'gateway' | 'bare') =>
    ((meters.get(name) as CpuMeter).run * 1000) / (latencies.get(name)?.length ?? 1);
  const gw = perRequest('gateway');
  const br = perRequest('bare');
  const count = latencies.get('gateway')?.length ?? 0;
  console.log(
    `${kind.name.padEnd(28)}${gw.toFixed(0).padStart(16)}${br.toFixed(0).padStart(14)}${`${(gw / br).toFixed(1)}x`.padStart(8)}` +
      `${((count * 1000) / (walls.get('gateway') ?? 1)).toFixed(0).padStart(10)}${percentile(
        latencies.get('gateway') ?? [],
        0.99,
      )
        .toFixed(1)
        .padStart(11)}`,
  );
}

async function main(): Promise<void> {
  const redisUrl = await testRedisUrl();
  const prefix = uniqueKeyPrefix('bench-interceptors');
  const elsewhere = pinSelfElsewhere();
  const port = await freePort();
  try {
    const gateway = await startServer(
      'gateway',
      [process.execPath, SLACKLINE, 'serve'],
      {
        REDIS_URL: redisUrl,
        SLACKLINE_KEY_PREFIX: prefix,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACKLINE_FORWARD_SECRET: FORWARD_SECRET,
        SLACKLINE_EVENT_LISTENER_URL: 'http://127.0.0.1:9/',
        LOG_LEVEL: 'warn',
        PORT: String(port),
      },
      async () => {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
            signal: AbortSignal.timeout(1000),
          });
          return response.status === 200 ? `http://127.0.0.1:${port}/` : undefined;
        } catch {
          return undefined;
        }
      },
    );
    const bare = await startServer('bare', [process.execPath, '-e', BARE_SERVER], {}, async (server) => {
      const line = server.output.split('\n').find((l) => l.includes('"msg":"bare listening"'));
      return line && `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/`;
    });
    const servers = [gateway, bare];
    const kinds = [
      { name: 'webhook (Slack form)', make: webhookRequest },
      { name: 'cluster (forwarded event)', make: clusterRequest },
    ];
    console.log(
      `slackline interceptors vs a bare node:http server, ${BLOCKS} interleaved blocks, ${CONCURRENCY} in flight` +
        ` (node ${process.version}${PINNED ? `, servers pinned to CPU ${PIN_CPU}, load generator to ${elsewhere}` : ''})`,
    );
    console.log(
      `${'endpoint'.padEnd(28)}${'gateway µs/req'.padStart(16)}${'bare µs/req'.padStart(14)}${'ratio'.padStart(8)}${'gw req/s'.padStart(10)}${'gw p99 ms'.padStart(11)}`,
    );
    for (const kind of kinds) await measure(servers, kind);
    console.log(
      'target: CPU per request within 6x the bare server (slack-payload-handler, Go, measured 6.7x)',
    );
  } finally {
    await Promise.all(children.map(stopChild));
    await flushTestKeys(redisUrl, prefix);
    await stopTestRedis();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
