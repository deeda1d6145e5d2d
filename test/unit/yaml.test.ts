import assert from 'node:assert/strict';
import { dumpYaml, parseYaml, YamlSyntaxError } from '../../src/core/yaml';

describe('YAML as PyYAML reads and writes it', function () {
  it('reads YAML 1.1 booleans, keeps dates and y/n as text, and honours merge keys', function () {
    assert.deepEqual(
      parseYaml('a: yes\nb: Off\nc: 2020-01-01\nd: y\nbase: &b {x: 1}\ne:\n  <<: *b\n  y: 2\n'),
      {
        a: true,
        b: false,
        c: '2020-01-01',
        d: 'y',
        base: { x: 1 },
        e: { x: 1, y: 2 },
      },
    );
  });

  it('reads names of Object.prototype members as plain text', function () {
    assert.deepEqual(parseYaml('[toString, constructor, valueOf, hasOwnProperty]'), [
      'toString',
      'constructor',
      'valueOf',
      'hasOwnProperty',
    ]);
  });

  it('quotes strings PyYAML would read as something else, and writes lists unindented', function () {
    assert.equal(
      dumpYaml({ s: 'on', n: '99999', d: '2020-01-01', l: ['a'] }),
      "s: 'on'\n'n': '99999'\nd: '2020-01-01'\nl:\n- a\n",
    );
  });

  it('names the line of a syntax error', function () {
    assert.throws(
      () => parseYaml('a: [\n'),
      (e: unknown) => e instanceof YamlSyntaxError && /at line 2/.test(e.message),
    );
  });
});
