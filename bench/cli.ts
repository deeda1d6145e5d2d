/**
 * The CLI's wall time, side by side with the Python cicdstatemgr 1.2.4 when it can be found: every round runs
 * each case once with each tool, in turn, so machine noise falls on all of them alike. Medians are printed as
 * ratios to the original and to `node -e 0` (what any Node CLI pays to start), for `--get` and `--set` on
 * context documents of 1, 10, 100 and 1,000 KB, `--get` from the local projection, and `--handle-event`.
 *
 *   npx tsx bench/cli.ts   (ROUNDS=7; REDIS_URL as for the tests)
 *
 * The original is run as CICDSTATEMGR_ORIGINAL says (a command line, e.g. `python3 -m cicdstatemgr`, with its
 * PYTHONPATH in the environment), else as `python3 -m cicdstatemgr` when that imports; otherwise its columns
 * say so. It is never installed by this bench.
 */
import { spawn, spawnSync } from 'node:child_process';
import { dumpYaml, parseYaml } from '../src/compat/yaml/yaml';
import { CLI_PATH } from '../test/helpers/cli';
import { FakeSlack } from '../test/helpers/fake-slack';
import { rawClient, stopTestRedis, testRedisUrl } from '../test/helpers/redis';
import { Workspace } from '../test/helpers/workspace';
import { setting } from './bench-processes';

const ROUNDS = setting('ROUNDS', 7, 1, 100);
const SIZES_KB = [1, 10, 100, 1000];

type Tool = 'ours' | 'original';

interface Case {
  name: string;
  /** the arguments after the CLI itself; a fresh list each run (a counter moves) */
  args: () => string[];
  tools: Tool[];
}

function findOriginal(): string[] | undefined {
  const given = process.env['CICDSTATEMGR_ORIGINAL'];
  const command = given ? given.split(' ').filter(Boolean) : ['python3', '-m', 'cicdstatemgr'];
  const probe = spawnSync(command[0] as string, [...command.slice(1), '--help'], { stdio: 'ignore' });
  return probe.status === 0 ? command : undefined;
}

/** Runs one command to its end; asynchronously, so the Slack stand-in in this process can answer it. */
function timeOnce(argv: string[], cwd: string): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(argv[0] as string, argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return new Promise((resolve, reject) =>
    child.on('close', (status) => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      if (status === 0) resolve(elapsed);
      else reject(new Error(`${argv.join(' ')} failed (${status}):\n${stderr}`));
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A context of `kb` KB: the workspace's own, with a history of past runs as a busy app accumulates one. */
async function seedSized(url: string, fromId: string, id: string, kb: number): Promise<void> {
  const redis = rawClient(url);
  const doc = parseYaml((await redis.get(fromId)) as string) as { state: Record<string, unknown> };
  const history: Record<string, string> = {};
  for (let i = 0; i * 100 < kb * 1024; i++)
    history[`run${i}`] = `deployed 1.0.${i} to dev, ok`.padEnd(90, '.');
  doc.state = { ...doc.state, cicdContextDataId: id, history };
  await redis.set(id, dumpYaml(doc));
  redis.disconnect();
}

function casesFor(ids: Map<number, string>, baseId: string): Case[] {
  let counter = 0;
  const both: Tool[] = ['ours', 'original'];
  const on = (id: string, ...args: string[]) => [
    '--config',
    'config.yaml',
    '--secrets',
    'secrets.yaml',
    '--id',
    id,
    ...args,
  ];
  const cases: Case[] = [{ name: 'node -e 0', args: () => [], tools: ['ours'] }];
  for (const [kb, id] of ids) {
    // A Task's steps: --load writes the local projection that the --get after it reads (both tools read it).
    cases.push(
      { name: `--load, ${kb} KB document`, args: () => on(id, '--load'), tools: both },
      { name: `--get, ${kb} KB document`, args: () => on(id, '--get', 'state.key1'), tools: both },
      {
        name: `--set, ${kb} KB document`,
        args: () => on(id, '--set', `state.counter=${++counter}`),
        tools: both,
      },
    );
  }
  cases.push({
    name: '--handle-event (notify: a Slack post)',
    args: () => on(baseId, '--handle-event', 'build=testNotifyEvent'),
    tools: both,
  });
  return cases;
}

async function main(): Promise<void> {
  const url = await testRedisUrl();
  const { hostname, port } = new URL(url);
  const slack = new FakeSlack();
  await slack.start();
  const ws = new Workspace(
    { type: 'redis', host: hostname, port: Number(port || 6379) },
    { slackUrl: slack.url, triggerUrl: `${slack.url}/trigger` },
  );
  ws.write('app.yaml', ws.read('app-events.yaml'));
  const original = findOriginal();
  const baseId = Workspace.uniqueId('bench');
  const ids = new Map(SIZES_KB.map((kb) => [kb, `${baseId}-${kb}kb`]));
  try {
    await ws.init(baseId, '--set', 'state.key1=value1');
    for (const [kb, id] of ids) await seedSized(url, baseId, id, kb);
    const tools: Record<Tool, string[] | undefined> = { ours: [process.execPath, CLI_PATH], original };
    const cases = casesFor(ids, baseId);
    const argv = (c: Case, tool: Tool) =>
      c.name === 'node -e 0' ? [process.execPath, '-e', '0'] : [...(tools[tool] as string[]), ...c.args()];
    const runnable = (c: Case) => c.tools.filter((tool) => tools[tool]);
    for (const c of cases) for (const tool of runnable(c)) await timeOnce(argv(c, tool), ws.dir);
    const samples = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) {
        for (const tool of runnable(c)) {
          const key = `${c.name}|${tool}`;
          samples.set(key, [...(samples.get(key) ?? []), await timeOnce(argv(c, tool), ws.dir)]);
        }
      }
    }
    report(cases, samples, original);
  } finally {
    const redis = rawClient(url);
    await redis.del(baseId, ...ids.values());
    redis.disconnect();
    ws.remove();
    await slack.stop();
    await stopTestRedis();
  }
}

function report(cases: Case[], samples: Map<string, number[]>, original: string[] | undefined): void {
  const m = (c: Case, tool: Tool) => {
    const values = samples.get(`${c.name}|${tool}`);
    return values ? median(values) : undefined;
  };
  const baseline = m(cases[0] as Case, 'ours') as number;
  console.log(`cicdstatemgr wall time, median of ${ROUNDS} interleaved rounds (node ${process.version})`);
  console.log(`original: ${original ? original.join(' ') : 'not found (set CICDSTATEMGR_ORIGINAL)'}`);
  console.log(
    `${'case'.padEnd(40)}${'ours ms'.padStart(9)}${'orig ms'.padStart(9)}${'ours/orig'.padStart(11)}${'ours/node'.padStart(11)}`,
  );
  for (const c of cases) {
    const ours = m(c, 'ours') as number;
    const theirs = m(c, 'original');
    console.log(
      `${c.name.padEnd(40)}${ours.toFixed(1).padStart(9)}${(theirs?.toFixed(1) ?? '-').padStart(9)}` +
        `${(theirs ? `${(ours / theirs).toFixed(2)}x` : '-').padStart(11)}${`${(ours / baseline).toFixed(2)}x`.padStart(11)}`,
    );
  }
  console.log(
    'targets: --get and --set at most 0.6x the original; --get from the local projection within 1.6x node -e 0; --handle-event at most 0.8x the original',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
