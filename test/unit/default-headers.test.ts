import assert from 'node:assert/strict';
import { withDefaultHeaders } from '../../src/http/default-headers';

describe('withDefaultHeaders', function () {
  it('adds User-Agent and Accept when the config sets neither', function () {
    const headers = withDefaultHeaders({ 'Content-Type': 'application/json' });
    assert.match(headers['user-agent'] ?? '', /^cicdstatemgr\/\d+\.\d+\.\d+ \(slackline\)$/);
    assert.equal(headers['accept'], '*/*');
    assert.equal(headers['Content-Type'], 'application/json');
  });

  it("keeps the config's own value, whatever the case of its name, and adds no second one", function () {
    const headers = withDefaultHeaders({ 'User-Agent': 'my-bot/1', ACCEPT: 'application/json' });
    assert.deepEqual(headers, { 'User-Agent': 'my-bot/1', ACCEPT: 'application/json' });
  });
});
