import assert from 'node:assert/strict';
import { LogLevel } from '@slack/bolt';
import { redactText } from '../../src/gateway/redact-text';
import { boltLogger } from '../../src/gateway/slack/bolt-logger';

const HOOK = 'https://hooks.slack.com/actions/T0TEST/1234567890/abcdefSECRET';
const SIGNATURE = `v0=${'a1'.repeat(32)}`;

describe('redactText', function () {
  it('takes out Slack tokens of every kind, wherever they stand', function () {
    const text = redactText(
      'bot xoxb-1-2-abc, user xoxp-9-z, app Bearer xapp-1-A0-123-def, refresh xoxe-1-q.',
    );
    assert.equal(text, 'bot [redacted], user [redacted], app Bearer [redacted], refresh [redacted].');
  });

  it('takes out response URLs plain, JSON-escaped and percent-encoded', function () {
    assert.equal(redactText(`posting to ${HOOK} now`), 'posting to [redacted] now');
    const escaped = HOOK.replace(/\//g, '\\/');
    assert.equal(redactText(`{"url":"${escaped}"}`), '{"url":"[redacted]"}');
    assert.equal(redactText(`a=1&u=${encodeURIComponent(HOOK)}&b=2`), 'a=1&u=[redacted]&b=2');
  });

  it('takes out Slack and slackline signatures', function () {
    assert.equal(redactText(`x-slack-signature: ${SIGNATURE}`), 'x-slack-signature: [redacted]');
    assert.equal(redactText(`sig v1=${'0f'.repeat(32)}`), 'sig [redacted]');
  });

  it('takes out the values of secret-named keys in JSON and forms, whatever the value looks like', function () {
    assert.equal(
      redactText('{"token":"plain-verification-token","team":"T1","response_url":"http://127.0.0.1/r"}'),
      '{"token":"[redacted]","team":"T1","response_url":"[redacted]"}',
    );
    assert.equal(redactText('{"botToken" : "abc", "id":"x"}'), '{"botToken" : "[redacted]", "id":"x"}');
    assert.equal(
      redactText('token=abc123&team_id=T1&response_url=http%3A%2F%2F127.0.0.1%2Fr'),
      'token=[redacted]&team_id=T1&response_url=[redacted]',
    );
  });

  it('leaves ordinary text alone', function () {
    const text =
      'chat.update of C123 1710000000.000100 failed: channel_not_found (attempt=2, url=http://x/api/)';
    assert.equal(redactText(text), text);
  });
});

describe('boltLogger', function () {
  function capture(level: 'debug' | 'info' = 'debug') {
    const lines: string[] = [];
    const log = (message: string) => lines.push(message);
    return { lines, logger: boltLogger({ debug: log, info: log, warn: log, error: log }, level) };
  }

  it('redacts what the Slack packages log, at every level, objects included', function () {
    const { lines, logger } = capture();
    logger.debug('Received a message on the WebSocket:', `{"token":"vt","response_url":"${HOOK}"}`);
    logger.info({ headers: { Authorization: 'Bearer xoxb-1-secret' } });
    logger.warn(new Error(`failed with ${SIGNATURE}`));
    logger.error('token=vt2');
    assert.deepEqual(lines, [
      'Received a message on the WebSocket: {"token":"[redacted]","response_url":"[redacted]"}',
      '{"headers":{"Authorization":"[redacted]"}}',
      'Error: failed with [redacted]',
      'token=[redacted]',
    ]);
  });

  it('reports the gateway’s level, which the Slack packages ask before building debug lines', function () {
    assert.equal(capture('debug').logger.getLevel(), LogLevel.DEBUG);
    const { logger } = capture('info');
    logger.setLevel(LogLevel.DEBUG);
    assert.equal(logger.getLevel(), LogLevel.INFO);
  });
});
