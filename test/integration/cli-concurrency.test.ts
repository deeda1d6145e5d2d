import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { createAclUser, rawClient, testRedisUrl } from '../helpers/redis';
import { Workspace } from '../helpers/workspace';

const WRITERS = 50;

/** Fifty Task steps at once, each setting its own key on one context: cicdstatemgr 1.2.4 keeps a handful. */
async function fiftyParallelSets(ws: Workspace, id: string): Promise<void> {
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      ws.run(['--id', id, '--set', `state.parallel.key${i}=value${i}`]),
    ),
  );
  const failed = results.filter((r) => r.code !== 0);
  assert.equal(failed.length, 0, `failed writers:\n${failed.map((r) => r.stderr).join('\n')}`);
}

function assertAllKeys(json: string): void {
  const parallel = JSON.parse(json) as Record<string, string>;
  const expected = Object.fromEntries(Array.from({ length: WRITERS }, (_, i) => [`key${i}`, `value${i}`]));
  assert.deepEqual(parallel, expected);
}

describe('cicdstatemgr CLI: no lost updates', function () {
  this.timeout(120_000);

  it(`keeps all ${WRITERS} keys set by ${WRITERS} processes at once on one Redis context`, async function () {
    const url = await testRedisUrl();
    const { hostname, port } = new URL(url);
    const ws = new Workspace({
      type: 'redis',
      host: hostname,
      port: Number(port || 6379),
      ...(await createAclUser(url)),
    });
    const redis: Redis = rawClient(url);
    const id = Workspace.uniqueId('parallel');
    try {
      await ws.init(id);
      await fiftyParallelSets(ws, id);
      ws.removeLocalData();
      assertAllKeys(await ws.get(id, 'state.parallel'));
    } finally {
      await redis.del(id);
      redis.disconnect();
      ws.remove();
    }
  });

  it(`keeps all ${WRITERS} keys set by ${WRITERS} processes at once on one file-store context`, async function () {
    const ws = new Workspace({ type: 'filestore' });
    const id = Workspace.uniqueId('parallel');
    try {
      await ws.init(id);
      await fiftyParallelSets(ws, id);
      ws.removeLocalData();
      assertAllKeys(await ws.get(id, 'state.parallel'));
    } finally {
      ws.remove();
    }
  });
});
