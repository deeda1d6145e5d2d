import assert from 'node:assert/strict';
import { dumpYaml, parseYaml, YamlSyntaxError } from '../../src/compat/yaml/yaml';

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
    // `n` is not a YAML 1.1 boolean for PyYAML's resolver, so PyYAML writes it plain too.
    assert.equal(
      dumpYaml({ s: 'on', n: '99999', d: '2020-01-01', l: ['a'] }),
      "s: 'on'\nn: '99999'\nd: '2020-01-01'\nl:\n- a\n",
    );
  });

  it('resolves plain scalars as YAML 1.1 (PyYAML) does', function () {
    const doc = parseYaml(
      'a: 1_000\nb: 0o17\nc: 017\nd: 1e3\ne: 1:20\nf: 0x1f\ng: ~\nh: 2.0\ni: 1.0e-07\nj: -.5\nk: 1.0e+5\n',
    ) as Record<string, unknown>;
    assert.deepEqual(
      { ...doc, h: undefined, k: undefined },
      {
        a: 1000,
        b: '0o17',
        c: 15,
        d: '1e3',
        e: 80,
        f: 31,
        g: null,
        h: undefined,
        i: 1e-7,
        j: '-.5',
        k: undefined,
      },
    );
    // Whole floats stay floats (boxed), so they are written back with their `.0`.
    assert.ok(doc['h'] instanceof Number && Number(doc['h']) === 2);
    assert.ok(doc['k'] instanceof Number && Number(doc['k']) === 100000);
  });

  it('writes floats as PyYAML does and quotes exactly the text PyYAML would read as another type', function () {
    assert.equal(
      dumpYaml({ w: parseYaml('2.0'), f: 1e-7, s: ['1_000', 'y', '1e3', '0o17', '~', '2.0', '1:20', '='] }),
      "w: 2.0\nf: 1.0e-07\ns:\n- '1_000'\n- y\n- 1e3\n- 0o17\n- '~'\n- '2.0'\n- '1:20'\n- '='\n",
    );
  });

  it('refuses an int it cannot hold exactly, and a mapping used as a key', function () {
    assert.throws(() => parseYaml('x: 12345678901234567890'), /beyond ±2\*\*53/);
    // 2**53 itself is exact as a double, so it is kept.
    assert.deepEqual(parseYaml('x: 9007199254740992'), { x: 2 ** 53 });
    assert.throws(() => parseYaml('{{ state.gitTag }}'), YamlSyntaxError);
  });

  it('names the line of a syntax error', function () {
    assert.throws(
      () => parseYaml('a: [\n'),
      (e: unknown) => e instanceof YamlSyntaxError && /at line 2/.test(e.message),
    );
  });
});
