import assert from 'node:assert/strict';
import { RecentDocuments } from '../../src/store/recent-documents';

describe('RecentDocuments', function () {
  it('keeps the last entry set for each key', function () {
    const recent = new RecentDocuments<number>(3);
    recent.set('a', 1);
    recent.set('a', 2);
    assert.equal(recent.get('a'), 2);
    assert.equal(recent.get('b'), undefined);
  });

  it('drops the least recently used entry beyond its capacity', function () {
    const recent = new RecentDocuments<string>(2);
    recent.set('a', 'A');
    recent.set('b', 'B');
    assert.equal(recent.get('a'), 'A'); // now b is the least recently used
    recent.set('c', 'C');
    assert.equal(recent.get('b'), undefined);
    assert.equal(recent.get('a'), 'A');
    assert.equal(recent.get('c'), 'C');
  });

  it('forgets one key, or everything', function () {
    const recent = new RecentDocuments<number>(5);
    recent.set('a', 1);
    recent.set('b', 2);
    recent.delete('a');
    assert.equal(recent.get('a'), undefined);
    assert.equal(recent.get('b'), 2);
    recent.clear();
    assert.equal(recent.get('b'), undefined);
  });
});
