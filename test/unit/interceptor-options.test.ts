import assert from 'node:assert/strict';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { interceptorOptions } from '../../src/gateway/interceptor/interceptor-options';

const config = {
  slack: { signingSecrets: ['slack-1', 'slack-2'] },
  forwarding: { signingSecret: 'forward' },
  interceptor: {
    secrets: { 'slack-b/signingSecret': ['b-key'], 'slack-b': ['b-whole'], plain: ['p1', 'p2'] },
  },
} as unknown as GatewayConfig;

describe('interceptorOptions: which secrets a trigger asks for', function () {
  it("uses the gateway's own secrets when no secret is named, and requires a signature", function () {
    assert.deepEqual(interceptorOptions({}, config), {
      ok: true,
      options: {
        secrets: { slackline: ['forward'], slack: ['slack-1', 'slack-2'] },
        requireSignature: true,
        deduplicate: true,
      },
    });
    const noForward = { ...config, forwarding: {} } as GatewayConfig;
    assert.deepEqual(interceptorOptions({ requireSignature: false }, noForward), {
      ok: true,
      options: {
        secrets: { slackline: [], slack: ['slack-1', 'slack-2'] },
        requireSignature: false,
        deduplicate: true,
      },
    });
  });

  it('finds secretName, and secretRef as <secretName>/<secretKey> before <secretName>', function () {
    const secretsOf = (params: Record<string, unknown>) => {
      const outcome = interceptorOptions(params, config);
      assert.ok(outcome.ok);
      return outcome.options.secrets;
    };
    assert.deepEqual(secretsOf({ secretName: 'plain' }), { slackline: ['p1', 'p2'], slack: ['p1', 'p2'] });
    assert.deepEqual(secretsOf({ secretRef: { secretName: 'slack-b', secretKey: 'signingSecret' } }).slack, [
      'b-key',
    ]);
    assert.deepEqual(secretsOf({ secretRef: { secretName: 'slack-b', secretKey: 'other' } }).slack, [
      'b-whole',
    ]);
    assert.deepEqual(secretsOf({ secretRef: { secretName: 'slack-b' } }).slack, ['b-whole']);
  });

  it('refuses a name not configured (code 9) and params of the wrong shape (code 3)', function () {
    assert.deepEqual(interceptorOptions({ secretName: 'missing' }, config), {
      ok: false,
      code: 9,
      message: 'no interceptor secret named "missing" is configured in slackline',
    });
    for (const params of [
      { secretName: '' },
      { secretName: ['plain'] },
      { secretRef: 'plain' },
      { secretRef: { secretKey: 'k' } },
      { secretRef: { secretName: 'plain', secretKey: 3 } },
      { requireSignature: 'no' },
    ]) {
      const outcome = interceptorOptions(params, config);
      assert.equal(outcome.ok, false, JSON.stringify(params));
      assert.equal((outcome as { code: number }).code, 3, JSON.stringify(params));
    }
  });
});
