import assert from 'node:assert/strict';
import { concurrencyLimit } from '../../src/gateway/concurrency-limit';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrencyLimit', function () {
  it('runs at most the limit at once, and the others in the order they came', async function () {
    const limited = concurrencyLimit(2);
    const started: number[] = [];
    const release: Array<() => void> = [];
    const tasks = [0, 1, 2, 3].map((n) =>
      limited(async () => {
        started.push(n);
        await new Promise<void>((resolve) => release.push(resolve));
        return n * 10;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    release.shift()?.();
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    while (release.length > 0 || started.length < 4) {
      release.shift()?.();
      await tick();
    }
    assert.deepEqual(await Promise.all(tasks), [0, 10, 20, 30]);
    assert.deepEqual(started, [0, 1, 2, 3]);
  });

  it('frees the place of a task that failed, and passes its error on', async function () {
    const limited = concurrencyLimit(1);
    await assert.rejects(
      limited(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await limited(async () => 'next'), 'next');
  });

  it('refuses a limit that is not a whole number above 0', function () {
    assert.throws(() => concurrencyLimit(0), /whole number above 0/);
    assert.throws(() => concurrencyLimit(1.5), /whole number above 0/);
  });
});
