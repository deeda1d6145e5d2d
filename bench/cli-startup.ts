/**
 * CLI wall time, measured side by side: every round runs each command once, in turn, so machine noise falls on
 * all of them alike; the medians are reported as ratios to `node -e 0` (what any Node CLI pays to start).
 *
 *   npm run bench            (ROUNDS=30 by default; REDIS_URL as for the tests)
 */
import { spawnSync } from 'node:child_process';
import { CLI_PATH } from '../test/helpers/cli';
import { rawClient, stopTestRedis, testRedisUrl } from '../test/helpers/redis';
import { Workspace } from '../test/helpers/workspace';

const ROUNDS = Number(process.env.ROUNDS ?? 30);

interface Case {
  name: string;
  argv: () => string[];
  before?: () => void;
}

function timeOnce(argv: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${result.stderr}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const url = await testRedisUrl();
  const { hostname, port } = new URL(url);
  const ws = new Workspace({ type: 'redis', host: hostname, port: Number(port || 6379) });
  // The same Redis primary without local yaml/json files: every --get has to ask Redis.
  ws.write(
    'config-redis-only.yaml',
    ws.read('config.yaml').replace(/\n {4}yamlfile:[\s\S]*?(?=\n {2}dashboard:)/, ''),
  );
  const id = Workspace.uniqueId('bench');
  await ws.init(id, '--set', 'state.key1=value1');
  let counter = 0;
  const cli = (...args: string[]) => [CLI_PATH, '--config', 'config.yaml', '--id', id, ...args];
  const cases: Case[] = [
    { name: 'node -e 0', argv: () => ['-e', '0'] },
    { name: '--get (local projection)', argv: () => cli('--get', 'state.key1') },
    {
      name: '--get (Redis, no projection)',
      argv: () => [CLI_PATH, '--config', 'config-redis-only.yaml', '--id', id, '--get', 'state.key1'],
    },
    { name: '--set (Redis)', argv: () => cli('--set', `state.counter=${++counter}`) },
  ];

  for (const c of cases) timeOnce(c.argv(), ws.dir); // warm the file cache
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) samples.get(c.name)?.push(timeOnce(c.argv(), ws.dir));
  }

  const baseline = median(samples.get('node -e 0') as number[]);
  console.log(`cicdstatemgr start-up, median of ${ROUNDS} interleaved rounds (node ${process.version})`);
  console.log('case                            median ms   ratio to node -e 0');
  for (const c of cases) {
    const m = median(samples.get(c.name) as number[]);
    console.log(`${c.name.padEnd(32)}${m.toFixed(1).padStart(9)}   ${(m / baseline).toFixed(2)}x`);
  }
  const redis = rawClient(url);
  await redis.del(id);
  redis.disconnect();
  ws.remove();
  await stopTestRedis();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
