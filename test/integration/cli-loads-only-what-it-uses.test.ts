import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { FakeSlack } from '../helpers/fake-slack';
import { rawClient, testRedisUrl } from '../helpers/redis';
import { Workspace } from '../helpers/workspace';

const PRELOAD = resolve(__dirname, '../fixtures/preload/record-loaded-packages.cjs');
/** The three heavy libraries the CLI may need: each should be loaded only by the operations that use it. */
const HEAVY = ['ioredis', 'nunjucks', 'undici'];

describe('cicdstatemgr loads only what the operation uses', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  let ws: Workspace;
  let redis: Redis;
  const id = Workspace.uniqueId('loads');

  before(async function () {
    await slack.start();
    const url = await testRedisUrl();
    const { hostname, port } = new URL(url);
    ws = new Workspace(
      { type: 'redis', host: hostname, port: Number(port || 6379) },
      { slackUrl: slack.url, triggerUrl: `${slack.url}/t` },
    );
    ws.write('app.yaml', ws.read('app-events.yaml'));
    redis = rawClient(url);
    await ws.init(id, '--set', 'state.key1=value1', '--set', 'state.templated={{ state.key1 }}-x');
  });

  after(async function () {
    await redis.del(id);
    redis.disconnect();
    ws.remove();
    await slack.stop();
  });

  /** The heavy packages a CLI run loaded, and what it printed. */
  async function loadedBy(...args: string[]): Promise<{ heavy: string[]; stdout: string }> {
    const record = join(ws.dir, 'loaded.txt');
    const { stdout } = await ws.runOk(['--id', id, ...args], {
      NODE_OPTIONS: `--require ${PRELOAD}`,
      RECORD_LOADED_PACKAGES: record,
    });
    const heavy = readFileSync(record, 'utf8')
      .split('\n')
      .filter((name) => HEAVY.includes(name));
    return { heavy, stdout };
  }

  it('--get of a plain value from the local projection: none of them', async function () {
    assert.deepEqual(await loadedBy('--get', 'state.key1'), { heavy: [], stdout: 'value1\n' });
  });

  it('--get of a templated value: the template engine only', async function () {
    assert.deepEqual(await loadedBy('--get', 'state.templated'), {
      heavy: ['nunjucks'],
      stdout: 'value1-x\n',
    });
  });

  it('--set: the Redis client only', async function () {
    assert.deepEqual(await loadedBy('--set', 'state.key2=two'), { heavy: ['ioredis'], stdout: '' });
  });

  it('--handle-event posting to Slack: Redis and templates, but no undici for its one POST', async function () {
    const before = slack.requests.length;
    assert.deepEqual(await loadedBy('--handle-event', 'build=testNotifyEvent'), {
      heavy: ['ioredis', 'nunjucks'],
      stdout: '',
    });
    assert.equal(slack.requests.length, before + 1, 'the notify was posted');
  });
});
