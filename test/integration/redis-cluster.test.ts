import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { StoreError } from '../../src/core/errors';
import { INTAKE_STREAM, OUTBOX, OUTBOX_DONE, seenKey } from '../../src/store/redis/redis-keys';
import { RedisStore } from '../../src/store/redis/redis-store';
import {
  flushTestKeys,
  rawClient,
  serverUrls,
  testClient,
  testClusterUrl,
  uniqueKeyPrefix,
} from '../helpers/redis';
import { waitFor } from '../helpers/slack-requests';
import { ThrowawayCluster } from '../helpers/throwaway-cluster';
import { redisStoreConfig } from '../helpers/store-configs';

/** Every key under `prefix`, from every node. */
async function keysOf(url: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for (const server of serverUrls(url)) {
    const node = rawClient(server);
    keys.push(...(await node.keys(`${prefix}*`)));
    node.disconnect();
  }
  return keys;
}

/** What only a cluster has: slots, and masters that go away while the others keep serving. */
describe('RedisStore on a Redis Cluster: slots and nodes', function () {
  this.timeout(60_000);

  it("keeps a context's document and its write receipts in one slot, and the gateway's own keys in another", async function () {
    const url = await testClusterUrl();
    const prefix = uniqueKeyPrefix('cluster-slots');
    const store = new RedisStore(redisStoreConfig(url, prefix), { reconnect: true });
    const client = testClient(url);
    const slot = (key: string) => client.call('CLUSTER', 'KEYSLOT', key) as Promise<number>;
    try {
      const id = 'app-1.0-dev-abc';
      await store.update(id, () => ({ state: { n: 1 } }));
      await store.update(id, (doc) => ({ ...doc, more: true }));
      await store.indexMessage('C1', '1700000000.000100', id);
      assert.equal(await store.findMessage('C1', '1700000000.000100'), id);
      const notAfter = Date.now() + 60_000;
      await store.intake.append(
        { kind: 'click', receivedAt: Date.now(), requestKey: 'r1', body: '{}' },
        { notAfter, dedupeTtlMs: 60_000 },
      );
      await store.outbox.schedule(`${id}/choice-1`, 0);
      await store.outbox.done(`${id}/choice-1`);

      const keys = await keysOf(url, prefix);
      const document = `${prefix}{${id}}`;
      assert.equal(await client.get(document), 'state:\n  n: 1\nmore: true\n');
      const receipts = keys.filter((key) => key.startsWith(`${document}:slackline:txn:`));
      assert.equal(receipts.length, 2, `one receipt per write among ${keys.join(', ')}`);
      const documentSlot = await slot(document);
      assert.equal(documentSlot, await slot(id), 'the id is the hash tag');
      for (const receipt of receipts) assert.equal(await slot(receipt), documentSlot);
      // The message index entry is named by channel and ts, which is all a click knows: its slot is its own.
      assert.ok(keys.includes(`${prefix}slackline:message:C1:1700000000.000100`));
      for (const name of [INTAKE_STREAM, OUTBOX_DONE, seenKey('r1')]) {
        assert.ok(keys.includes(prefix + name), `${prefix + name} among ${keys.join(', ')}`);
        assert.equal(await slot(prefix + name), await slot('slackline'));
      }
      assert.equal(await slot(prefix + OUTBOX), await slot('slackline'));
    } finally {
      client.disconnect();
      await store.close();
      await flushTestKeys(url, prefix);
    }
  });

  it('a master SIGKILLed: its contexts fail in one line, the others are served, and its own come back with it', async function () {
    const cluster = new ThrowawayCluster();
    await cluster.start();
    // As the gateway opens it: reconnecting, commands given up after a while (here sooner).
    const store = new RedisStore(redisStoreConfig(cluster.url), {
      reconnect: true,
      commandTimeoutMs: 2000,
      conflictTimeoutMs: 3000,
    });
    const client = testClient(cluster.url);
    try {
      const [first, last] = cluster.slotsOf(0);
      const onFirst = async (id: string) => {
        const slot = (await client.call('CLUSTER', 'KEYSLOT', id)) as number;
        return slot >= first && slot <= last;
      };
      const ids = Array.from({ length: 40 }, (_, i) => `ctx-${i}`);
      const onDead: string[] = [];
      const onLive: string[] = [];
      for (const id of ids) ((await onFirst(id)) ? onDead : onLive).push(id);
      const [dead, live] = [onDead[0]!, onLive[0]!];
      await store.update(dead, () => ({ n: 1 }));
      await store.update(live, () => ({ n: 1 }));

      await cluster.nodes[0]!.kill();
      await assert.rejects(
        store.update(dead, (doc) => ({ n: Number(doc?.['n']) + 1 })),
        (error: Error) => {
          assert.ok(error instanceof StoreError, String(error));
          // The write may have been sent before the node died: whether it was applied is then not known.
          assert.ok(
            ['unavailable', 'timeout', 'outcome-unknown'].includes(error.kind),
            `${error.kind}: ${error.message}`,
          );
          assert.match(error.message, /Redis/);
          return true;
        },
      );
      assert.deepEqual(await store.update(live, (doc) => ({ n: Number(doc?.['n']) + 1 })), { n: 2 });

      // Back on its port with its cluster config (not its data: this node keeps none): its slots are served again.
      await cluster.nodes[0]!.start();
      const after = await waitFor(
        'the restarted master to serve its slots',
        () => store.update(dead, (doc) => ({ ...doc, back: true })).catch(() => undefined),
        20_000,
      );
      assert.deepEqual(after, { back: true });
      assert.deepEqual(await store.load(live), { n: 2 });
    } finally {
      client.disconnect();
      await store.close();
      await cluster.remove();
    }
  });

  it("follows a context's slot to the master it moved to (MOVED), with the store connected all along", async function () {
    const cluster = new ThrowawayCluster();
    await cluster.start();
    const store = new RedisStore(redisStoreConfig(cluster.url), { reconnect: true });
    const client = testClient(cluster.url);
    const nodes: Redis[] = [];
    try {
      const id = 'ctx-moving';
      await store.update(id, () => ({ n: 1 }));
      const key = `{${id}}`;
      const slot = (await client.call('CLUSTER', 'KEYSLOT', key)) as number;
      const owner = cluster.nodes.findIndex((_, i) => {
        const [first, last] = cluster.slotsOf(i);
        return slot >= first && slot <= last;
      });
      // Move it from its owner to the next node, as `redis-cli --cluster reshard` does.
      const targetNode = cluster.nodes[(owner + 1) % cluster.nodes.length]!;
      const [source, target] = [rawClient(cluster.nodes[owner]!.url), rawClient(targetNode.url)];
      nodes.push(source, target);
      const sourceId = (await source.call('CLUSTER', 'MYID')) as string;
      const targetId = (await target.call('CLUSTER', 'MYID')) as string;
      await target.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId);
      await source.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId);
      const keys = (await source.call('CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
      // The document, and its write's receipt with it: one slot.
      assert.deepEqual(keys.sort(), [key, keys.find((k) => k.startsWith(`${key}:slackline:txn:`))].sort());
      await source.call('MIGRATE', '127.0.0.1', targetNode.port, '', 0, 5000, 'KEYS', ...keys);
      for (const node of [source, target]) await node.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId);

      // The store still maps the slot to its old master (ioredis refreshes the map every 5 s, or on MOVED), which
      // answers MOVED: the write goes where the slot now is.
      assert.deepEqual(await store.update(id, (doc) => ({ n: Number(doc?.['n']) + 1 })), { n: 2 });
      assert.equal(await target.get(key), 'n: 2\n');
      assert.deepEqual(await store.load(id), { n: 2 });
    } finally {
      for (const node of nodes) node.disconnect();
      client.disconnect();
      await store.close();
      await cluster.remove();
    }
  });
});
