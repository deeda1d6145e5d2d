import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createJsonLogger } from '../../src/gateway/json-logger';

describe('createJsonLogger', function () {
  let out: Writable;
  let text: string;
  beforeEach(() => {
    text = '';
    out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
  });
  const lines = () =>
    text
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes one JSON object per line with level, time and msg', function () {
    const logger = createJsonLogger('info', out);
    logger.info('first');
    logger.warn('second');
    const [first, second] = lines();
    assert.equal(first?.['level'], 'info');
    assert.equal(first?.['msg'], 'first');
    assert.ok(!Number.isNaN(Date.parse(String(first?.['time']))));
    assert.equal(second?.['level'], 'warn');
  });

  it('leaves out lines below its level', function () {
    const logger = createJsonLogger('warn', out);
    logger.debug('no');
    logger.info('no');
    logger.error('yes');
    assert.deepEqual(
      lines().map((line) => line['msg']),
      ['yes'],
    );
  });

  it('puts a child’s bindings and a line’s fields on the line', function () {
    const logger = createJsonLogger('debug', out).child({ eventId: 'ev-1' }).child({ contextId: 'ctx-9' });
    logger.debug('resolved', { choice: 'deploy' });
    const [line] = lines();
    assert.equal(line?.['eventId'], 'ev-1');
    assert.equal(line?.['contextId'], 'ctx-9');
    assert.equal(line?.['choice'], 'deploy');
    assert.equal(line?.['msg'], 'resolved');
  });

  it('never writes secrets, at any depth, in fields or bindings', function () {
    const logger = createJsonLogger('info', out).child({ botToken: 'xoxb-BINDING' });
    const error = Object.assign(new Error('slack said no'), {
      request: { headers: { Authorization: 'Bearer xoxb-IN-ERROR' } },
    });
    logger.info('request', {
      token: 'legacy-VERIFICATION',
      headers: { 'x-slack-signature': 'v0=SIG', 'content-type': 'application/json' },
      config: { signingSecret: 'SIGNING', signing_secrets: ['ROTATED'], redis: { password: 'PW' } },
      payload: [{ response_url: 'https://hooks.slack.com/actions/T/SECRET' }],
      err: error,
    });
    for (const secret of [
      'BINDING',
      'VERIFICATION',
      'v0=SIG',
      'SIGNING',
      'ROTATED',
      'PW',
      'SECRET',
      'IN-ERROR',
    ]) {
      assert.ok(!text.includes(secret), `${secret} was written: ${text}`);
    }
    const line = lines()[0] as { headers: Record<string, string>; err: { message: string; type: string } };
    assert.equal(line.headers['content-type'], 'application/json');
    assert.equal(line.headers['x-slack-signature'], '[redacted]');
    assert.equal(line.err.message, 'slack said no');
    assert.equal(line.err.type, 'Error');
  });

  it('survives objects that refer to themselves', function () {
    const logger = createJsonLogger('info', out);
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    logger.info('cyclic', { loop });
    assert.equal((lines()[0]?.['loop'] as Record<string, unknown>)['name'], 'loop');
  });
});
