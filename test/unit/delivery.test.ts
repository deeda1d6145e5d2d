import assert from 'node:assert/strict';
import { afterAttempt, afterDeadline, pendingDelivery, retryDelayMs } from '../../src/core/choice/delivery';

const AT = new Date('2024-05-01T12:00:00.000Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

describe('delivery of a decision', function () {
  it('waits 250 ms after the first failure, doubling to once a minute', function () {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map(retryDelayMs),
      [250, 500, 1000, 2000, 4000, 8000, 15_000, 30_000, 60_000, 60_000, 60_000],
    );
  });

  it('starts pending with its deadline, naming the route unless it is the default', function () {
    assert.deepEqual(pendingDelivery(AT, 600_000, 'deploy'), {
      status: 'pending',
      attempts: 0,
      since: '2024-05-01T12:00:00.000Z',
      deadline: '2024-05-01T12:10:00.000Z',
      route: 'deploy',
    });
    assert.equal('route' in pendingDelivery(AT, 600_000, null), false);
  });

  it('is delivered by an accepted attempt, with the EventListener event id', function () {
    const pending = pendingDelivery(AT, 600_000, null);
    assert.deepEqual(afterAttempt(pending, { ok: true, eventId: 'el-1', route: 'default' }, later(100)), {
      status: 'delivered',
      attempts: 1,
      eventId: 'el-1',
      at: '2024-05-01T12:00:00.100Z',
      route: 'default',
    });
  });

  it('stays pending after a failure before its deadline, with the error and when to try next', function () {
    const pending = pendingDelivery(AT, 600_000, 'deploy');
    const once = afterAttempt(
      pending,
      { ok: false, error: 'the EventListener answered 503', route: 'deploy' },
      later(0),
    );
    assert.deepEqual(once, {
      ...pending,
      attempts: 1,
      lastError: 'the EventListener answered 503',
      nextAttemptAt: '2024-05-01T12:00:00.250Z',
    });
    const twice = afterAttempt(
      once!,
      { ok: false, error: 'no answer within 2 s', route: 'deploy' },
      later(300),
    );
    assert.equal(twice?.status, 'pending');
    assert.equal(twice && 'nextAttemptAt' in twice && twice.nextAttemptAt, '2024-05-01T12:00:00.800Z');
  });

  it('is undelivered, with the reason, when an attempt fails at or after the deadline', function () {
    const pending = pendingDelivery(AT, 1000, null);
    assert.deepEqual(
      afterAttempt(pending, { ok: false, error: 'connection refused', route: 'default' }, later(1000)),
      {
        status: 'undelivered',
        attempts: 1,
        error: 'connection refused',
        at: '2024-05-01T12:00:01.000Z',
        route: 'default',
      },
    );
  });

  it('never turns an outcome back: an attempt on a settled delivery records nothing', function () {
    const delivered = afterAttempt(
      pendingDelivery(AT, 1000, null),
      { ok: true, eventId: null, route: 'default' },
      AT,
    )!;
    assert.equal(
      afterAttempt(delivered, { ok: false, error: 'late failure', route: 'default' }, AT),
      undefined,
    );
    assert.equal(afterDeadline(delivered, later(5000)), undefined);
  });

  it('is given up at the deadline with the last error, or saying no attempt could be made', function () {
    const pending = pendingDelivery(AT, 1000, 'deploy');
    assert.equal(afterDeadline(pending, later(999)), undefined, 'not yet');
    assert.deepEqual(afterDeadline(pending, later(1000)), {
      status: 'undelivered',
      attempts: 0,
      error: 'no attempt could be made before the deadline',
      at: '2024-05-01T12:00:01.000Z',
      route: 'deploy',
    });
    const failed = afterAttempt(pending, { ok: false, error: 'reset', route: 'deploy' }, later(10))!;
    assert.equal((afterDeadline(failed, later(2000)) as { error: string }).error, 'reset');
  });
});
