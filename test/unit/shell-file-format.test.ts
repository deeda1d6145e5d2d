import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatShellFile } from '../../src/store/shell-file-format';

describe('formatShellFile', function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'slackline-shell-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sources the file in bash and prints each variable's value back, NUL-separated. */
  function sourceAndRead(text: string, names: string[]): string[] {
    const file = join(dir, 'env.sh');
    writeFileSync(file, text);
    const script = `source "$1" || exit 9; shift; for n in "$@"; do printf '%s\\0' "\${!n}"; done`;
    const result = spawnSync('bash', ['-c', script, 'bash', file, ...names], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    return result.stdout.split('\0').slice(0, -1);
  }

  it('gives back every value verbatim when sourced by bash, and runs nothing', function () {
    const canary = join(dir, 'canary');
    const values: Record<string, string> = {
      dq: 'say "hi"',
      sq: "it's 'quoted'",
      subst: '$(id)',
      backticks: '`id` and `touch x`',
      backslash: 'back\\slash \\n \\\\',
      newlines: 'line 1\nline 2\n\nline 4\n',
      home: '$HOME ${HOME} $1 $@ $$',
      unicode: 'café ✓ 日本 🚀',
      canary: `$(touch ${canary}) \`touch ${canary}\``,
      mixed: `'"'"$'\\x41'"; touch ${canary}; '`,
      empty: '',
    };
    const text = formatShellFile({ state: values });
    const names = Object.keys(values).map((k) => `CICD_state__${k}`);
    assert.deepEqual(sourceAndRead(text, names), Object.values(values));
    assert.equal(existsSync(canary), false, 'a command inside a value ran');
  });

  it('quotes with single quotes and writes a quote as an escaped quote between two quoted parts', function () {
    assert.equal(formatShellFile({ a: "x'y" }), `CICD_a='x'\\''y'\n`);
    assert.equal(formatShellFile({ a: 'line1\nline2' }), `CICD_a='line1\nline2'\n`);
  });

  it('flattens nested keys with __ and gives list items their index, also at the top level', function () {
    const text = formatShellFile({
      state: { key1: 'value1', nested: { deeper: 'x' } },
      appPipelinesConfig: { bases: ['base1.yaml', 'base2.yaml'] },
      someList: ['a', 'b', 'c'],
      items: [{ name: 'n0' }, { name: 'n1', tags: ['t'] }],
    });
    assert.equal(
      text,
      [
        "CICD_state__key1='value1'",
        "CICD_state__nested__deeper='x'",
        "CICD_appPipelinesConfig__bases__0='base1.yaml'",
        "CICD_appPipelinesConfig__bases__1='base2.yaml'",
        "CICD_someList__0='a'",
        "CICD_someList__1='b'",
        "CICD_someList__2='c'",
        "CICD_items__0__name='n0'",
        "CICD_items__1__name='n1'",
        "CICD_items__1__tags__0='t'",
        '',
      ].join('\n'),
    );
  });

  it('writes values as Python str() does, keeps falsy values, skips null and empty collections', function () {
    const text = formatShellFile({
      t: true,
      f: false,
      zero: 0,
      n: 5,
      x: 1.5,
      empty: '',
      none: null,
      emptyList: [],
      emptyDict: {},
      nested: [[1, 2], null, [], 'z'],
    });
    assert.equal(
      text,
      [
        "CICD_t='True'",
        "CICD_f='False'",
        "CICD_zero='0'",
        "CICD_n='5'",
        "CICD_x='1.5'",
        "CICD_empty=''",
        "CICD_nested__0='[1, 2]'",
        "CICD_nested__3='z'",
        '',
      ].join('\n'),
    );
  });

  it('leaves out excluded key names at any depth, including inside list items', function () {
    const text = formatShellFile(
      {
        jinja2Macros: { all: '{% macro x() %}{% endmacro %}' },
        state: { keep: 1, jinja2Macros: 'inner', testGenerator1: { a: 1 } },
        list: [{ testGenerator1: 'x', keep: 'y' }],
      },
      ['jinja2Macros', 'testGenerator1'],
    );
    assert.equal(text, "CICD_state__keep='1'\nCICD_list__0__keep='y'\n");
  });

  it('turns each run of characters not allowed in a shell name into one _', function () {
    const text = formatShellFile({
      pipelines: { 'event-handlers': { 'key.with-dash sp': 'v' } },
      'a..b': 1,
      ünï: 2,
    });
    assert.equal(text, "CICD_pipelines__event_handlers__key_with_dash_sp='v'\nCICD_a_b='1'\nCICD__n_='2'\n");
    assert.deepEqual(sourceAndRead(text, ['CICD_pipelines__event_handlers__key_with_dash_sp', 'CICD_a_b']), [
      'v',
      '1',
    ]);
  });

  it('writes nothing for an empty document', function () {
    assert.equal(formatShellFile({}), '');
  });
});
