import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCicdstatemgrConfig } from '../../src/config/load-cicdstatemgr-config';
import { RedisStore } from '../../src/store/redis/redis-store';
import { waitFor } from '../helpers/slack-requests';
import { freePort } from '../helpers/loopback-port';
import { ThrowawayRedis } from '../helpers/throwaway-redis';

/** A throwaway master and a sentinel watching it, both on loopback, both stopped afterwards. */
describe('RedisStore through Redis Sentinel', function () {
  this.timeout(30_000);
  let master: ThrowawayRedis | undefined;
  let sentinel: ChildProcess | undefined;
  let dir: string;
  let sentinelPort: number;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'slackline-sentinel-'));
    master = new ThrowawayRedis({ durable: false });
    await master.start();
    sentinelPort = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor mymaster 127.0.0.1 ${master.port} 1\n`,
    );
    sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  });

  after(async function () {
    sentinel?.kill();
    await master?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the master through the sentinel and keeps documents there', async function () {
    const config = {
      type: 'redis' as const,
      isPrimary: true,
      sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
      sentinelName: 'mymaster',
    };
    const store = new RedisStore(config);
    try {
      assert.equal(store.description, `redis master "mymaster" of sentinels 127.0.0.1:${sentinelPort} db 0`);
      await waitFor('the sentinel to name the master', () =>
        store.load('ctx-1').then(
          () => true,
          () => false,
        ),
      );
      await store.update('ctx-1', () => ({ state: { cicdContextDataId: 'ctx-1' } }));
      assert.deepEqual(await store.load('ctx-1'), { state: { cicdContextDataId: 'ctx-1' } });
    } finally {
      await store.close();
    }
  });

  it('is configured in config.yaml with sentinels and sentinelName, and both are required together', function () {
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      'cicdstatemgr:\n  datasources:\n    redis: {isPrimary: true, sentinels: [{host: s1, port: 26379}], sentinelName: mymaster}\n',
    );
    const [redis] = loadCicdstatemgrConfig({ configPath: file, cwd: dir }).datasources;
    assert.deepEqual(redis && 'sentinels' in redis ? [redis.sentinels, redis.sentinelName] : undefined, [
      [{ host: 's1', port: 26379 }],
      'mymaster',
    ]);
    writeFileSync(
      file,
      'cicdstatemgr:\n  datasources:\n    redis: {isPrimary: true, sentinels: [{host: s1, port: 26379}]}\n',
    );
    assert.throws(
      () => loadCicdstatemgrConfig({ configPath: file, cwd: dir }),
      /sentinelName is required with sentinels/,
    );
  });
});
