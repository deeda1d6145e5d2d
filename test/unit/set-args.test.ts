import assert from 'node:assert/strict';
import type { Logger } from '../../src/core/logger';
import { parseSetArgs } from '../../src/compat/state/set-args';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
}

describe('parseSetArgs', () => {
  it('splits every argument on | and keeps the pairs in order', () => {
    assert.deepEqual(parseSetArgs(['a=1|b=2', 'c=3']), [
      { path: 'a', value: '1' },
      { path: 'b', value: '2' },
      { path: 'c', value: '3' },
    ]);
  });

  it('keeps everything after the first = as the value', () => {
    assert.deepEqual(parseSetArgs(['a=b=c', 'x==y']), [
      { path: 'a', value: 'b=c' },
      { path: 'x', value: '=y' },
    ]);
  });

  it('strips the pair, the path and the value', () => {
    assert.deepEqual(parseSetArgs(['  state.x = some value  | state.y= z']), [
      { path: 'state.x', value: 'some value' },
      { path: 'state.y', value: 'z' },
    ]);
  });

  it('keeps file:// and hint syntax for setValue to interpret', () => {
    assert.deepEqual(parseSetArgs(['state.l[]=a,b', 'state.f=file://x.json']), [
      { path: 'state.l[]', value: 'a,b' },
      { path: 'state.f', value: 'file://x.json' },
    ]);
  });

  it('warns about and skips a pair without =, with an empty path or with an empty value', () => {
    const logger = recordingLogger();
    assert.deepEqual(parseSetArgs(['novalue', 'state.x=', ' =v ', 'ok=1', ''], logger), [
      { path: 'ok', value: '1' },
    ]);
    assert.deepEqual(logger.warnings, [
      'setValues() invalid kvPair: novalue',
      'setValues() invalid kvPair: state.x=',
      'setValues() invalid kvPair: =v',
      'setValues() invalid kvPair: ',
    ]);
  });

  it('cuts a template at its filter pipe, as the reference does', () => {
    const logger = recordingLogger();
    assert.deepEqual(parseSetArgs(['state.t={{ x | upper }}'], logger), [{ path: 'state.t', value: '{{ x' }]);
    assert.deepEqual(logger.warnings, ['setValues() invalid kvPair: upper }}']);
  });

  it('works without a logger', () => {
    assert.deepEqual(parseSetArgs(['bad']), []);
  });
});
