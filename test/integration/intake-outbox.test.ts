import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger';
import { FileClaims } from '../../src/store/file/file-claims';
import { FileStore } from '../../src/store/file/file-store';
import { RedisStore } from '../../src/store/redis/redis-store';
import type { GatewayStore } from '../../src/store/store';
import { flushTestKeys, uniqueKeyPrefix } from '../helpers/redis';
import { REDIS_BACKENDS, type RedisBackend } from '../helpers/redis-backends';
import { redisStoreConfig } from '../helpers/store-configs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const record = (requestKey: string, body = '{"n":1}') => ({
  kind: 'click' as const,
  receivedAt: Date.now(),
  body,
  requestKey,
});
/** Fresh for each append: a deadline fixed when the file loaded has passed by the time a long run gets here. */
const append = () => ({ dedupeTtlMs: 60_000, notAfter: Date.now() + 60_000 });

/** The same contract for both primaries, Redis single and clustered: what the gateway's worker and sweeper rely on. */
for (const backend of [...REDIS_BACKENDS, 'file'] as const) {
  const name = backend === 'file' ? 'file store' : `redis store, on ${(backend as RedisBackend).name}`;
  describe(`intake log and outbox (${name})`, function () {
    let store: GatewayStore;
    /** A second process on the same store: another replica, or the same one restarted. */
    let other: GatewayStore;
    let cleanup: () => Promise<void>;

    beforeEach(async function () {
      if (backend !== 'file') {
        const url = await backend.url();
        const keyPrefix = uniqueKeyPrefix('intake');
        const redis = new RedisStore(redisStoreConfig(url, keyPrefix));
        const second = new RedisStore(redisStoreConfig(url, keyPrefix));
        store = redis;
        other = second;
        cleanup = async () => {
          await redis.close();
          await second.close();
          await flushTestKeys(url, keyPrefix);
        };
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'slackline-intake-'));
        const files = new FileStore(dir);
        const second = new FileStore(dir);
        store = files;
        other = second;
        cleanup = async () => {
          await files.close();
          await second.close();
          rmSync(dir, { recursive: true, force: true });
        };
      }
    });
    afterEach(() => cleanup());

    it('hands each entry to one consumer, and drops a second append of the same request key', async function () {
      assert.equal(await store.intake.append(record('k1', '{"a":1}'), append()), 'appended');
      assert.equal(await store.intake.append(record('k1', '{"a":1}'), append()), 'duplicate');
      assert.equal(await store.intake.append(record('k2', '{"b":2}'), append()), 'appended');
      const first = await store.intake.read('one', 10, 100);
      const second = await other.intake.read('two', 10, 100);
      assert.deepEqual(first.map((e) => [e.requestKey, e.body, e.deliveries]).sort(), [
        ['k1', '{"a":1}', 1],
        ['k2', '{"b":2}', 1],
      ]);
      assert.deepEqual(second, [], 'nothing is handed out twice while its consumer works on it');
      assert.equal(await store.intake.backlog(), 2);
    });

    it("keeps a click's context as the index named it before the ack, and none for an entry without one", async function () {
      await store.intake.append({ ...record('k1'), contextId: 'ctx-é 1' }, append());
      await store.intake.append(record('k2'), append());
      const entries = await store.intake.read('one', 10, 100);
      assert.deepEqual(entries.map((e) => [e.requestKey, e.contextId]).sort(), [
        ['k1', 'ctx-é 1'],
        ['k2', undefined],
      ]);
      assert.ok(entries.every((e) => e.kind === 'click' && e.body === '{"n":1}'));
    });

    it('refuses an append that arrives after its deadline, so a user told it failed is never acted on', async function () {
      assert.equal(
        await store.intake.append(record('late'), { dedupeTtlMs: 60_000, notAfter: Date.now() - 1 }),
        'late',
      );
      assert.deepEqual(await store.intake.read('one', 10, 50), []);
    });

    it("lets a live consumer claim a dead one's entries after they were idle, counting the deliveries", async function () {
      await store.intake.append(record('k1'), append());
      const [taken] = await store.intake.read('dead', 10, 100);
      assert.ok(taken);
      assert.deepEqual(await other.intake.claimStale('live', 60_000, 10), [], 'not idle long enough');
      await sleep(150);
      const claimed = await other.intake.claimStale('live', 100, 10);
      assert.deepEqual(
        claimed.map((e) => [e.id, e.deliveries]),
        [[taken.id, 2]],
      );
      await other.intake.ack(taken.id);
      await sleep(150);
      assert.deepEqual(await store.intake.claimStale('third', 100, 10), [], 'an acked entry is gone');
      assert.equal(await store.intake.backlog(), 0);
    });

    it('keeps an entry its consumer touches from being claimed', async function () {
      await store.intake.append(record('k1'), append());
      const [taken] = await store.intake.read('busy', 10, 100);
      await sleep(120);
      await store.intake.touch('busy', [taken!.id]);
      assert.deepEqual(await other.intake.claimStale('other', 100, 10), []);
    });

    it('schedules in the outbox with the ack, leases what is due to one claimer, and forgets it when done', async function () {
      await store.intake.append(record('k1'), append());
      const [taken] = await store.intake.read('one', 10, 100);
      await store.intake.ack(taken!.id, { ref: 'choice:a', delayMs: 0, onlyIfAbsent: false });
      await store.outbox.schedule('choice:later', 60_000);
      assert.equal(await store.outbox.size(), 2);
      assert.deepEqual(await store.outbox.claimDue(60_000, 10), ['choice:a']);
      assert.deepEqual(await store.outbox.claimDue(60_000, 10), [], 'leased to the first claimer');
      await store.outbox.done('choice:a');
      assert.equal(await store.outbox.size(), 1);
    });

    it('does not bring back with "unless present" what was just done, but does when told to', async function () {
      await store.outbox.schedule('choice:a', 0);
      await store.outbox.done('choice:a');
      await store.outbox.schedule('choice:a', 0, true);
      assert.deepEqual(await store.outbox.claimDue(1000, 10), [], 'done in the last day');
      await store.outbox.schedule('choice:a', 0);
      assert.deepEqual(await store.outbox.claimDue(1000, 10), ['choice:a'], 'a redelivery asked for');
      // And "unless present" keeps a live lease as it is.
      await store.outbox.schedule('choice:a', 0, true);
      assert.deepEqual(await store.outbox.claimDue(1000, 10), []);
    });

    it('claims a key once until it expires', async function () {
      assert.equal(await store.claimOnce('passed:t:k', 200), true);
      assert.equal(await store.claimOnce('passed:t:k', 200), false);
      await sleep(300);
      assert.equal(await store.claimOnce('passed:t:k', 200), true);
    });
  });
}

describe('file store claims', function () {
  it('removes claims that have ended, so the directory does not grow with every click', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'slackline-claims-'));
    try {
      const claims = new FileClaims(dir, { timeoutMs: 2000, staleMs: 10_000, logger: silentLogger }, 0);
      assert.equal(await claims.claim('a', 50), true);
      assert.equal(await claims.claim('b', 60_000), true);
      const files = () => readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n)).length;
      assert.equal(files(), 2);
      await sleep(100);
      assert.equal(await claims.claim('c', 60_000), true);
      assert.equal(files(), 2, 'the ended claim of a is gone, b and c are kept');
      assert.equal(await claims.claim('b', 60_000), false, 'a live claim still holds');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
