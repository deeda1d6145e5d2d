import { strict as assert } from 'node:assert';
import { sha1, versionOf } from '../../src/store/redis/document-version';

describe('versionOf: what a key holds, as RedisStore remembers it', () => {
  it('keeps the version it knows, with its parse, when the key still holds that text', () => {
    const known = versionOf(Buffer.from('a: 1\n'), undefined);
    known.parsed = { a: 1 };
    const again = versionOf(Buffer.from('a: 1\n'), known);
    assert.equal(again, known);
    assert.deepEqual(again.parsed, { a: 1 });
  });

  it('starts a new version, unparsed, when the text changed', () => {
    const known = { ...versionOf(Buffer.from('a: 1\n'), undefined), parsed: { a: 1 } };
    const changed = versionOf(Buffer.from('a: 2\n'), known);
    assert.notEqual(changed, known);
    assert.deepEqual(changed, { sha1: sha1('a: 2\n'), text: 'a: 2\n' });
  });

  it("is '' with no text for a key that is not there", () => {
    assert.deepEqual(versionOf(null, versionOf(Buffer.from('a: 1\n'), undefined)), {
      sha1: '',
      text: undefined,
    });
  });

  it('hashes text as its UTF-8 bytes, as Redis does', () => {
    assert.equal(sha1('é'), sha1(Buffer.from('é', 'utf8')));
    assert.equal(sha1(''), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});
