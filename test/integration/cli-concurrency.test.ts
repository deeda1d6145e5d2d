import assert from 'node:assert/strict';
import { createAclUser, redisEndpoint, testClient } from '../helpers/redis';
import { REDIS_BACKENDS } from '../helpers/redis-backends';
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
type Primary = readonly [string, () => Promise<{ ws: Workspace; cleanUp: (id: string) => Promise<void> }>];
const primaries: Primary[] = [
  ...REDIS_BACKENDS.map(
    (backend) =>
      [
        `Redis context, on ${backend.name}`,
        async () => {
          const url = await backend.url();
          const user = await createAclUser(url);
          const ws = new Workspace({ type: 'redis', ...redisEndpoint(url), ...user });
          const redis = testClient(url);
          return {
            ws,
            cleanUp: async (id: string) => {
              await redis.del(backend.documentKey('', id));
              redis.disconnect();
            },
          };
        },
      ] as const,
  ),
  ['file-store context', async () => ({ ws: new Workspace({ type: 'filestore' }), cleanUp: async () => {} })],
];

describe('cicdstatemgr CLI: no lost updates', function () {
  this.timeout(120_000);

  for (const [name, open] of primaries) {
    it(`keeps all ${WRITERS} keys set by ${WRITERS} processes at once on one ${name}`, async function () {
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
