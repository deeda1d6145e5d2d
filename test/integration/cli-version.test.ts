import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { version } from '../../package.json';
import { runCli } from '../helpers/cli';
import { SLACKLINE } from '../helpers/gateway-process';

/** The built gateway entry point with `args`, from a directory without package.json: the bundle must carry its version. */
function runSlackline(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [SLACKLINE, ...args],
      { cwd, env: { PATH: process.env.PATH }, encoding: 'utf8' },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('--version and --help of the built entry points', function () {
  let cwd: string;
  before(function () {
    cwd = mkdtempSync(join(tmpdir(), 'slackline-version-'));
    assert.match(version, /^\d+\.\d+\.\d+/);
  });
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('cicdstatemgr --version prints "cicdstatemgr <version>" and exits 0, without a config', async function () {
    const result = await runCli(['--version'], { cwd });
    assert.deepEqual(result, { code: 0, stdout: `cicdstatemgr ${version}\n`, stderr: '' });
  });

  it('slackline --version prints "slackline <version>" and exits 0, without any settings', async function () {
    const result = await runSlackline(['--version'], cwd);
    assert.deepEqual(result, { code: 0, stdout: `slackline ${version}\n`, stderr: '' });
  });

  it('slackline serve --help prints the usage and exits 0 instead of starting', async function () {
    const result = await runSlackline(['serve', '--help'], cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^usage: slackline serve \[--config FILE\]/);
    assert.match(result.stdout, /slackline --version/);
    assert.equal(result.stderr, '');
  });

  it('slackline serve with an unknown flag is still a usage error (exit 2)', async function () {
    const result = await runSlackline(['serve', '--verbose'], cwd);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /slackline serve takes only --config FILE/);
  });
});
