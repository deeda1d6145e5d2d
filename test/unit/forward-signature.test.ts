import assert from 'node:assert/strict';
import {
  forwardSignatureHeaders,
  signForward,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyForwardSignature,
} from '../../src/core/forward-signature';

const NOW_MS = 1_700_000_000_000;
const BODY = '{"text":"déploy € 🚀"}';

describe('forward signature', () => {
  it('matches a vector computed outside this code', () => {
    // printf '%s' 'v1:1700000000:{"text":"déploy € 🚀"}' | openssl dgst -sha256 -hmac 'slackline-test-secret' -hex
    assert.equal(
      signForward('slackline-test-secret', 1700000000, BODY),
      'v1=1204003b48ba55db9bad0af19183a2d42adbd2cc12b93ada805037f04635fb62',
    );
  });

  it('produces headers that verify', () => {
    const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS);
    assert.deepEqual(Object.keys(headers).sort(), [SIGNATURE_HEADER, TIMESTAMP_HEADER].sort());
    assert.equal(headers[TIMESTAMP_HEADER], '1700000000');
    assert.deepEqual(verifyForwardSignature(['s3cret'], headers, BODY, NOW_MS), { ok: true });
  });

  it('finds the headers whatever their case, as node:http or a proxy may present them', () => {
    const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS);
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    assert.deepEqual(verifyForwardSignature(['s3cret'], upper, BODY, NOW_MS), { ok: true });
  });

  it('accepts any of several secrets, so a secret can be rotated', () => {
    const signedWithOld = forwardSignatureHeaders('old', BODY, NOW_MS);
    const signedWithNew = forwardSignatureHeaders('new', BODY, NOW_MS);
    assert.deepEqual(verifyForwardSignature(['new', 'old'], signedWithOld, BODY, NOW_MS), { ok: true });
    assert.deepEqual(verifyForwardSignature(['new', 'old'], signedWithNew, BODY, NOW_MS), { ok: true });
    assert.deepEqual(verifyForwardSignature(['new'], signedWithOld, BODY, NOW_MS), {
      ok: false,
      reason: 'bad signature',
    });
  });

  it('rejects a body changed after signing', () => {
    const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS);
    const tampered = BODY.replace('€', '$');
    assert.deepEqual(verifyForwardSignature(['s3cret'], headers, tampered, NOW_MS), {
      ok: false,
      reason: 'bad signature',
    });
  });

  it('rejects a signature with another version or not in hex', () => {
    const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS);
    const hex = headers[SIGNATURE_HEADER]?.slice(3) ?? '';
    for (const signature of [`v0=${hex}`, `v1=${hex.toUpperCase()}`, `v1=${hex}00`, 'v1=', 'garbage']) {
      const verdict = verifyForwardSignature(
        ['s3cret'],
        { ...headers, [SIGNATURE_HEADER]: signature },
        BODY,
        NOW_MS,
      );
      assert.deepEqual(verdict, { ok: false, reason: 'bad signature' }, signature);
    }
  });

  it('accepts timestamps up to the tolerance away in either direction', () => {
    for (const offsetSeconds of [-300, 300]) {
      const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS + offsetSeconds * 1000);
      assert.deepEqual(verifyForwardSignature(['s3cret'], headers, BODY, NOW_MS), { ok: true });
    }
  });

  it('rejects a stale timestamp (a replay) and one from the future', () => {
    const old = forwardSignatureHeaders('s3cret', BODY, NOW_MS - 301_000);
    const future = forwardSignatureHeaders('s3cret', BODY, NOW_MS + 301_000);
    assert.deepEqual(verifyForwardSignature(['s3cret'], old, BODY, NOW_MS), {
      ok: false,
      reason: 'stale timestamp (301 s old, limit 300 s)',
    });
    assert.deepEqual(verifyForwardSignature(['s3cret'], future, BODY, NOW_MS), {
      ok: false,
      reason: 'stale timestamp (301 s in the future, limit 300 s)',
    });
    assert.deepEqual(verifyForwardSignature(['s3cret'], old, BODY, NOW_MS, 600), { ok: true });
  });

  it('checks the timestamp against the signature, so it cannot be refreshed by a replayer', () => {
    const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS - 3600_000);
    const refreshed = { ...headers, [TIMESTAMP_HEADER]: String(NOW_MS / 1000) };
    assert.deepEqual(verifyForwardSignature(['s3cret'], refreshed, BODY, NOW_MS), {
      ok: false,
      reason: 'bad signature',
    });
  });

  it('names missing headers', () => {
    const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS);
    assert.deepEqual(verifyForwardSignature(['s3cret'], {}, BODY, NOW_MS), {
      ok: false,
      reason: `missing ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers`,
    });
    assert.deepEqual(
      verifyForwardSignature(['s3cret'], { [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER] }, BODY, NOW_MS),
      { ok: false, reason: `missing ${TIMESTAMP_HEADER} header` },
    );
    assert.deepEqual(
      verifyForwardSignature(
        ['s3cret'],
        { [TIMESTAMP_HEADER]: headers[TIMESTAMP_HEADER], [SIGNATURE_HEADER]: '' },
        BODY,
        NOW_MS,
      ),
      { ok: false, reason: `missing ${SIGNATURE_HEADER} header` },
    );
  });

  it('treats a header sent twice as missing rather than picking one', () => {
    const headers = forwardSignatureHeaders('s3cret', BODY, NOW_MS);
    const twice = { ...headers, [SIGNATURE_HEADER]: [headers[SIGNATURE_HEADER] ?? '', 'v1=00'] };
    assert.deepEqual(verifyForwardSignature(['s3cret'], twice, BODY, NOW_MS), {
      ok: false,
      reason: `missing ${SIGNATURE_HEADER} header`,
    });
  });

  it('rejects a timestamp that is not a number of seconds', () => {
    const headers = { ...forwardSignatureHeaders('s3cret', BODY, NOW_MS), [TIMESTAMP_HEADER]: '1.7e9' };
    assert.deepEqual(verifyForwardSignature(['s3cret'], headers, BODY, NOW_MS), {
      ok: false,
      reason: `invalid ${TIMESTAMP_HEADER} header`,
    });
  });

  it('never verifies with an empty secret, whose HMAC anyone can compute', () => {
    const headers = forwardSignatureHeaders('', BODY, NOW_MS);
    assert.deepEqual(verifyForwardSignature([''], headers, BODY, NOW_MS), {
      ok: false,
      reason: 'no signing secret configured',
    });
    assert.deepEqual(verifyForwardSignature([], headers, BODY, NOW_MS), {
      ok: false,
      reason: 'no signing secret configured',
    });
  });
});
