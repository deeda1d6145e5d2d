import { strict as assert } from 'node:assert';
import { BufferedResponse } from '../../src/http/buffered-response';

describe('BufferedResponse: a read-whole answer as fetch callers read it', () => {
  const answer = (status = 200) =>
    new BufferedResponse(
      Buffer.from('{"ok":true,"text":"déployé"}'),
      status,
      new Headers({ 'content-type': 'application/json', 'retry-after': '3' }),
      'http://127.0.0.1:1/api/chat.update',
    );

  it('gives status, ok, headers and url as a Response does', () => {
    const response = answer(429);
    assert.equal(response.status, 429);
    assert.equal(response.ok, false);
    assert.equal(answer(204).ok, true);
    assert.equal(response.headers.get('Retry-After'), '3');
    assert.deepEqual(Object.fromEntries(response.headers.entries()), {
      'content-type': 'application/json',
      'retry-after': '3',
    });
    assert.equal(response.url, 'http://127.0.0.1:1/api/chat.update');
  });

  it('reads its body once, as UTF-8 text, JSON or bytes', async () => {
    const response = answer();
    assert.equal(response.bodyUsed, false);
    assert.deepEqual(await response.json(), { ok: true, text: 'déployé' });
    assert.equal(response.bodyUsed, true);
    await assert.rejects(response.text(), /Body has already been read/);
    const bytes = await answer().arrayBuffer();
    assert.equal(Buffer.from(bytes).toString('utf8'), '{"ok":true,"text":"déployé"}');
  });
});
