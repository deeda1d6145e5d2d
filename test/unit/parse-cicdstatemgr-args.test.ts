import assert from 'node:assert/strict';
import { UsageError } from '../../src/core/errors';
import { parseCicdstatemgrArgs } from '../../src/cli/parse-cicdstatemgr-args';

describe('parseCicdstatemgrArgs', function () {
  it('reads values, repeatable flags and switches as argparse does', function () {
    const args = parseCicdstatemgrArgs([
      '--config',
      'c.yaml',
      '--id=ctx-1',
      '--set',
      'a=1',
      '--set',
      'b=2|c=3',
      '--tmpl-ctx-var',
      'x=y',
      '--load',
      '-l',
      'INFO',
    ]);
    assert.equal(args.config, 'c.yaml');
    assert.equal(args.id, 'ctx-1');
    assert.deepEqual(args.set, ['a=1', 'b=2|c=3']);
    assert.deepEqual(args.tmplCtxVar, ['x=y']);
    assert.equal(args.load, true);
    assert.equal(args.logLevel, 'INFO');
    assert.equal(args.initCicdContextName, 'stage');
  });

  it('accepts unique prefixes, -lLEVEL, and values that start with a dash followed by a digit', function () {
    const args = parseCicdstatemgrArgs(['--init-app', 'app.yaml', '-lDEBUG', '--set', '-1']);
    assert.equal(args.initAppConfigFile, 'app.yaml');
    assert.equal(args.logLevel, 'DEBUG');
    assert.deepEqual(args.set, ['-1']);
  });

  it('reads --version, and its unique prefixes, as a switch that takes no value', function () {
    assert.equal(parseCicdstatemgrArgs(['--version']).version, true);
    assert.equal(parseCicdstatemgrArgs(['--vers']).version, true);
    assert.equal(parseCicdstatemgrArgs(['--config', 'c.yaml']).version, false);
    assert.throws(() => parseCicdstatemgrArgs(['--version=1']), UsageError);
  });

  it('keeps the last value of a flag given twice', function () {
    assert.equal(parseCicdstatemgrArgs(['--id', 'a', '--id', 'b']).id, 'b');
  });

  const rejects: Array<[string[], RegExp]> = [
    [['--init'], /ambiguous option --init: could be --init-new, --init-cicd-context-name/],
    [['--nope'], /unrecognized argument: --nope/],
    [['stray'], /unexpected argument: stray/],
    [['--get'], /--get needs a value/],
    [['--get', '--load'], /--get needs a value/],
    [['--load=yes'], /--load takes no value/],
  ];
  for (const [argv, message] of rejects) {
    it(`rejects ${argv.join(' ')} as a usage error`, function () {
      assert.throws(
        () => parseCicdstatemgrArgs(argv),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.equal(error.exitCode, 2);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
