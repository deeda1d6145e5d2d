import assert from 'node:assert/strict';
import { WorkQueue } from '../../src/gateway/work-queue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkQueue', function () {
  it('runs at most the limit at once, and the others in the order they came', async function () {
    const queue = new WorkQueue(2);
    const started: number[] = [];
    const release: Array<() => void> = [];
    const tasks = [0, 1, 2, 3].map((n) =>
      queue.run(async () => {
        started.push(n);
        await new Promise<void>((resolve) => release.push(resolve));
        return n * 10;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.equal(queue.size, 4);
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
    const queue = new WorkQueue(1);
    await assert.rejects(
      queue.run(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await queue.run(async () => 'next'), 'next');
  });

  it('tells when it is empty: at once when idle, else after the last running and waiting task', async function () {
    const queue = new WorkQueue(1);
    await queue.empty();
    const release: Array<() => void> = [];
    const hold = () => new Promise<void>((resolve) => release.push(resolve));
    void queue.run(hold);
    void queue.run(hold);
    let emptied = false;
    void queue.empty().then(() => (emptied = true));
    release.shift()?.();
    await tick();
    assert.equal(emptied, false, 'the second task still runs');
    release.shift()?.();
    await tick();
    assert.equal(emptied, true);
    assert.equal(queue.size, 0);
  });

  it('refuses a limit that is not a whole number above 0', function () {
    assert.throws(() => new WorkQueue(0), /whole number above 0/);
    assert.throws(() => new WorkQueue(1.5), /whole number above 0/);
  });
});
