/**
 * How a decided click's cost grows with its context document: the gateway's CPU per click on documents of 1, 10,
 * 100 and 1,000 KB (a real context after months of deliveries reaches hundreds of KB), each as a ratio to the
 * 1 KB one, measured in one run. Every click decides its own choice in its own document, is forwarded and
 * recorded as delivered; the run fails otherwise.
 *
 *   npx tsx bench/click-growth.ts   (CLICKS=40 per size, CONCURRENCY=4, PIN_CPU=0, SIZES_KB=1,10,100,1000,
 *   PROFILE_DIR= for the gateway's V8 CPU profile; REDIS_URL as for the tests)
 */
import { resolve } from 'node:path';
import { RedisStore } from '../src/store/redis/redis-store';
import { FakeEventListener } from '../test/helpers/fake-event-listener';
import { FakeSlack } from '../test/helpers/fake-slack';
import { seedContext, storedChoice, type SeededChoice } from '../test/helpers/seed-context';
import { freePort } from '../test/helpers/loopback-port';
import { flushTestKeys, stopTestRedis, testRedisUrl, uniqueKeyPrefix } from '../test/helpers/redis';
import { blockActionsPayload, FORM, interactionBody, slackSignature } from '../test/helpers/slack-requests';
import { children, CpuMeter, pinSelfElsewhere, setting, startServer, stopChild } from './bench-processes';

const CLICKS = setting('CLICKS', 40, 5, 1000);
const CONCURRENCY = setting('CONCURRENCY', 4, 1, 64);
const SIZES_KB = (process.env.SIZES_KB ?? '1,10,100,1000').split(',').map(Number);
const SLACKLINE = resolve(__dirname, '../dist/slackline.js');
const SECRET = 'bench-growth-secret';
/** Where the gateway writes its V8 CPU profile when it stops, if set. */
const PROFILE_DIR = process.env.PROFILE_DIR;

/** A history of past runs, as a busy app's context document accumulates one. */
function padding(kb: number): Record<string, string> {
  const entries: Record<string, string> = {};
  for (let i = 0; i * 100 < kb * 1024; i++)
    entries[`run${i}`] = `deployed 1.0.${i} to dev, ok`.padEnd(90, '.');
  return entries;
}

async function seed(store: RedisStore, kb: number, label: string): Promise<SeededChoice[]> {
  const history = padding(kb);
  const seeded: SeededChoice[] = [];
  for (let i = 0; i < CLICKS; i++) {
    const choices = [{ channel: 'C0GROWTH', ts: `18${kb}${String(i).padStart(5, '0')}.000100` }];
    seeded.push(
      ...(await seedContext(store, { contextId: `${label}-${kb}-${i}`, choices, state: { history } })),
    );
  }
  return seeded;
}

async function clickAll(url: string, choices: SeededChoice[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < choices.length) {
      const choice = choices[next++] as SeededChoice;
      const body = interactionBody(
        blockActionsPayload({
          channelId: choice.channel,
          messageTs: choice.ts,
          value: choice.values[0] as string,
          userId: 'U0GROWTH',
          responseUrl: 'http://127.0.0.1:9/respond',
        }),
      );
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': FORM, ...slackSignature(SECRET, body) },
        body,
      });
      if (response.status !== 200) throw new Error(`the gateway answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function delivered(store: RedisStore, choices: SeededChoice[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const choice of choices) {
    for (;;) {
      const record = await storedChoice(store, choice);
      if (record?.decision?.delivery?.status === 'delivered') break;
      if (Date.now() > deadline) throw new Error(`${choice.choiceId} was not delivered`);
      await new Promise((done) => setTimeout(done, 20));
    }
  }
}

async function main(): Promise<void> {
  const redisUrl = await testRedisUrl();
  const prefix = uniqueKeyPrefix('bench-growth');
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  const store = new RedisStore({ type: 'redis', isPrimary: true, url: redisUrl, keyPrefix: prefix });
  const port = await freePort();
  pinSelfElsewhere();
  try {
    await slack.start();
    await listener.start();
    const gateway = await startServer(
      'gateway',
      [
        process.execPath,
        ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
        SLACKLINE,
        'serve',
      ],
      {
        REDIS_URL: redisUrl,
        SLACKLINE_KEY_PREFIX: prefix,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_API_URL: `${slack.url}/api/`,
        SLACKLINE_EVENT_LISTENER_URL: `${listener.url}/growth`,
        LOG_LEVEL: 'warn',
        PORT: String(port),
      },
      async () => {
        const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return health?.status === 200 ? `http://127.0.0.1:${port}/slack/events` : undefined;
      },
    );
    const rows: Array<{ kb: number; cpuMs: number }> = [];
    await clickAll(gateway.url, await seed(store, 1, 'warmup')); // JIT, connections
    for (const kb of SIZES_KB) {
      const choices = await seed(store, kb, 'growth');
      const meter = new CpuMeter(gateway.child.pid);
      await meter.around(async () => {
        await clickAll(gateway.url, choices);
        await delivered(store, choices);
      });
      rows.push({ kb, cpuMs: meter.run / CLICKS });
    }
    const base = rows[0]?.cpuMs ?? 1;
    console.log(
      `gateway CPU per decided click by context document size (${CLICKS} clicks each, node ${process.version})`,
    );
    console.log(`${'document'.padEnd(10)}${'CPU ms/click'.padStart(14)}${'ratio to 1 KB'.padStart(15)}`);
    for (const row of rows) {
      console.log(
        `${`${row.kb} KB`.padEnd(10)}${row.cpuMs.toFixed(2).padStart(14)}${`${(row.cpuMs / base).toFixed(1)}x`.padStart(15)}`,
      );
    }
    console.log('target: 1 MB within 6x of 1 KB');
  } finally {
    await Promise.all(children.map(stopChild));
    await slack.stop();
    await listener.stop();
    await store.close();
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
