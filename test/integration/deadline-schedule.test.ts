import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../src/store/file/file-store';
import { RedisStore } from '../../src/store/redis/redis-store';
import type { DeadlineSchedule } from '../../src/store/deadline-schedule';
import { flushTestKeys, testClient, uniqueKeyPrefix } from '../helpers/redis';
import { REDIS_BACKENDS, type RedisBackend } from '../helpers/redis-backends';
import { redisStoreConfig } from '../helpers/store-configs';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');
const a = { contextId: 'ctx/1 with spaces', choiceId: 'choice-a' };
const b = { contextId: 'ctx-2', choiceId: 'choice-b' };

/** The same contract for both primaries: what the gateway's deadline worker relies on. */
for (const backend of [...REDIS_BACKENDS, 'file'] as const) {
  const name = backend === 'file' ? 'file store' : `redis store, on ${(backend as RedisBackend).name}`;
  describe(`deadline schedule (${name})`, function () {
    let one: DeadlineSchedule;
    /** Another replica on the same store. */
    let other: DeadlineSchedule;
    let cleanup: () => Promise<void>;

    beforeEach(async function () {
      if (backend !== 'file') {
        const url = await backend.url();
        const keyPrefix = uniqueKeyPrefix('deadlines');
        const stores = [0, 1].map(() => new RedisStore(redisStoreConfig(url, keyPrefix)));
        [one, other] = [stores[0]!.deadlines, stores[1]!.deadlines];
        cleanup = async () => {
          const raw = testClient(url);
          // Under the gateway's hash tag, beside its outbox.
          assert.equal(await raw.zcard(`${keyPrefix}slackline:{slackline}:deadlines`), await one.size());
          raw.disconnect();
          for (const s of stores) await s.close();
          await flushTestKeys(url, keyPrefix);
        };
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'slackline-deadlines-'));
        const stores = [new FileStore(dir), new FileStore(dir)];
        [one, other] = [stores[0]!.deadlines, stores[1]!.deadlines];
        cleanup = async () => {
          for (const s of stores) await s.close();
          rmSync(dir, { recursive: true, force: true });
        };
      }
    });
    afterEach(() => cleanup());

    it("hands out what is due by the caller's clock, leased to one claimer until the lease ends", async function () {
      await one.schedule(a, T0 + 1000);
      await one.schedule(b, T0 + 5000);
      assert.deepEqual(await other.claimDue(T0 + 999, 60_000, 10), [], 'not due yet');
      assert.deepEqual(await other.claimDue(T0 + 1000, 60_000, 10), [a]);
      assert.deepEqual(await one.claimDue(T0 + 2000, 60_000, 10), [], 'leased to the first claimer');
      assert.deepEqual(
        await one.claimDue(T0 + 61_000, 60_000, 10),
        [b, a],
        'due again when the lease ended, earliest first',
      );
      assert.equal(await one.size(), 2);
    });

    it('moves an entry to its next step, and forgets it when done', async function () {
      await one.schedule(a, T0);
      assert.deepEqual(await one.claimDue(T0, 60_000, 10), [a]);
      // The holder reschedules for the next step, replacing its lease.
      await one.schedule(a, T0 + 10_000);
      assert.deepEqual(await other.claimDue(T0 + 10_000, 60_000, 10), [a]);
      await other.done(a);
      assert.equal(await one.size(), 0);
      assert.deepEqual(await one.claimDue(T0 + 10 * 60_000 * 60, 60_000, 10), []);
    });

    it('claims at most max entries, the earliest first', async function () {
      await one.schedule(b, T0 + 2);
      await one.schedule(a, T0 + 1);
      assert.deepEqual(await one.claimDue(T0 + 5, 1000, 1), [a]);
      assert.deepEqual(await other.claimDue(T0 + 5, 1000, 1), [b]);
    });
  });
}
