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

/** A workspace on each primary, and how to remove what it left. */
const primaries: Array<[string, () => Promise<{ ws: Workspace; cleanUp: (id: string) => Promise<void> }>]> = [
  [
    'Redis',
    async () => {
      const url = await testRedisUrl();
      const { hostname, port } = new URL(url);
      const user = await createAclUser(url);
      const ws = new Workspace({ type: 'redis', host: hostname, port: Number(port || 6379), ...user });
      const redis: Redis = rawClient(url);
      return {
        ws,
        cleanUp: async (id) => {
          await redis.del(id);
          redis.disconnect();
        },
      };
    },
  ],
  ['file-store', async () => ({ ws: new Workspace({ type: 'filestore' }), cleanUp: async () => {} })],
];

describe('cicdstatemgr CLI: no lost updates', function () {
  this.timeout(120_000);

  for (const [name, open] of primaries) {
    it(`keeps all ${WRITERS} keys set by ${WRITERS} processes at once on one ${name} context`, async function () {
      const { ws, cleanUp } = await open();
      const id = Workspace.uniqueId('parallel');
      try {
        await ws.init(id);
        await fiftyParallelSets(ws, id);
        ws.removeLocalData();
        assertAllKeys(await ws.get(id, 'state.parallel'));
      } finally {
        await cleanUp(id);
        ws.remove();
      }
    });
  }
});
