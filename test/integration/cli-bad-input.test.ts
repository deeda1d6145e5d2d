import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli';
import { Workspace } from '../helpers/workspace';

/** Every file under localdata/ with its content, to show a failed command changed none of them. */
function localData(ws: Workspace): Record<string, string> {
  const dir = join(ws.dir, 'localdata');
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

function assertOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr:\n${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing on stdout');
  const lines = result.stderr.trimEnd().split('\n');
  assert.match(lines[0] as string, /^cicdstatemgr: error: /);
  assert.match(lines[0] as string, pattern);
  // A usage error adds where to find the flags; nothing else (no help dump, no stack trace).
  assert.ok(lines.length <= 2 && (lines.length === 1 || /--help/.test(lines[1] as string)), result.stderr);
}

describe('cicdstatemgr CLI: bad input gets one clear line and loses nothing', function () {
  let ws: Workspace;
  const id = Workspace.uniqueId('bad');
  let before_: Record<string, string>;

  before(async function () {
    ws = new Workspace({ type: 'filestore' });
    await ws.init(id, '--set', 'state.key1=value1');
    before_ = localData(ws);
  });
  afterEach(function () {
    assert.deepEqual(localData(ws), before_, 'a local file changed');
  });
  after(() => ws.remove());

  const run = (args: string[]) => ws.run(args);
  const initArgs = ['--init-new', 'other', '--init-bases-dir', 'bases', '--init-app-config-file'];

  it('no config at all is a usage error', async function () {
    assertOneLineError(await runCli(['--id', id, '--get', 'x'], { cwd: ws.dir }), 2, /--config is required/);
  });

  it('a missing config file', async function () {
    assertOneLineError(
      await runCli(['--config', 'nope.yaml', '--id', id, '--get', 'state'], { cwd: ws.dir }),
      1,
      /config file not found: .*nope\.yaml/,
    );
  });

  it('a config file that is not YAML, naming the line', async function () {
    ws.write('broken.yaml', 'cicdstatemgr:\n  datasources: [\n');
    const result = await runCli(['--config', 'broken.yaml', '--id', id, '--get', 'state'], { cwd: ws.dir });
    assertOneLineError(result, 1, /config file .*broken\.yaml is not valid YAML: .* at line \d+/);
  });

  it('a config file without datasources, listing every problem', async function () {
    ws.write('nods.yaml', 'cicdstatemgr:\n  datasources:\n    mongo: {}\n    yamlfile: {isPrimary: maybe}\n');
    const result = await runCli(['--config', 'nods.yaml', '--id', id, '--get', 'state'], { cwd: ws.dir });
    assertOneLineError(
      result,
      1,
      /mongo: unknown datasource type.*isPrimary must be true or false.*path is required/,
    );
  });

  it('a missing secrets file', async function () {
    const result = await run(['--secrets', 'nope-secrets.yaml', '--id', id, '--get', 'state']);
    assertOneLineError(result, 1, /secrets file not found: .*nope-secrets\.yaml/);
  });

  it('a secrets file that is not YAML', async function () {
    ws.write('broken-secrets.yaml', 'cicdstatemgr:\n  slack: {token: "unterminated\n');
    const result = await run(['--secrets', 'broken-secrets.yaml', '--id', id, '--get', 'state']);
    assertOneLineError(result, 1, /secrets file .*broken-secrets\.yaml is not valid YAML: .* at line \d+/);
  });

  it('a secrets file without its cicdstatemgr section', async function () {
    ws.write('bad-secrets.yaml', 'slack:\n  token: x\n');
    const result = await run(['--secrets', 'bad-secrets.yaml', '--id', id, '--get', 'state']);
    assertOneLineError(
      result,
      1,
      /secrets file .*bad-secrets\.yaml must have a top-level "cicdstatemgr:" mapping/,
    );
  });

  it('a missing app config file', async function () {
    assertOneLineError(
      await run([...initArgs, 'nope-app.yaml']),
      1,
      /app config file not found: .*nope-app\.yaml/,
    );
  });

  it('a malformed app config file', async function () {
    ws.write('bad-app.yaml', 'cicd-contexts:\n  qa: {channel: [}\n');
    assertOneLineError(
      await run([...initArgs, 'bad-app.yaml']),
      1,
      /app config file .*bad-app\.yaml is not valid YAML/,
    );
  });

  it('a missing base file', async function () {
    ws.write('app-missing-base.yaml', 'bases:\n- core.yaml\n- gone.yaml\ncicd-contexts:\n  qa: {}\n');
    const result = await run([...initArgs, 'app-missing-base.yaml', '--init-cicd-context-name', 'qa']);
    assertOneLineError(result, 1, /base file "gone\.yaml" of .* not found: .*bases\/gone\.yaml/);
  });

  it('an unknown context name, listing the defined ones', async function () {
    const result = await run([...initArgs, 'app.yaml', '--init-cicd-context-name', 'staging']);
    assertOneLineError(
      result,
      1,
      /cicd context "staging" is not defined under cicd-contexts \(defined: qa, prod\)/,
    );
  });

  it('an unknown id', async function () {
    assertOneLineError(
      await run(['--id', 'no-such-context', '--get', 'state']),
      1,
      /no context "no-such-context" in file store/,
    );
    assertOneLineError(
      await run(['--id', 'no-such-context', '--set', 'a=b']),
      1,
      /no context "no-such-context"/,
    );
    assertOneLineError(await run(['--id', 'no-such-context', '--load']), 1, /no context "no-such-context"/);
  });

  it('a JSONPath that does not parse', async function () {
    assertOneLineError(await run(['--id', id, '--get', 'state.[']), 1, /JSONPath "state\.\["/);
  });

  it('--tmpl-ctx-var without =', async function () {
    const result = await run(['--id', id, '--get', 'state.key1', '--tmpl-ctx-var', 'novalue']);
    assertOneLineError(result, 2, /--tmpl-ctx-var needs NAME=VALUE, got "novalue"/);
  });

  it('an unknown flag, a flag without its value, and a bad log level', async function () {
    assertOneLineError(await run(['--id', id, '--frobnicate']), 2, /unrecognized argument: --frobnicate/);
    assertOneLineError(await run(['--id', id, '--get']), 2, /--get needs a value/);
    assertOneLineError(
      await run(['-l', 'LOUD', '--id', id, '--get', 'state']),
      2,
      /unknown log level "LOUD"/,
    );
  });

  it('--generate on a path that does not match exactly one node', async function () {
    const result = await run(['--id', id, '--generate', 'pipelines.nothing']);
    assertOneLineError(result, 1, /--generate pipelines\.nothing must match exactly one node, it matched 0/);
  });

  // cicdstatemgr wrote the NUL raw into the shellfile, where `source` silently drops it.
  it('a file:// value holding a NUL character, which no shell variable can hold', async function () {
    ws.write('nul.txt', 'before\u0000after\n');
    const result = await run(['--id', id, '--set', 'state.key1=file://nul.txt']);
    assertOneLineError(result, 1, /cannot set "state\.key1": the value holds a NUL character/);
  });

  it('Redis down: the command fails and writes nothing', async function () {
    ws.write(
      'down.yaml',
      ws
        .read('config.yaml')
        .replace(/filestore:\n\s+path: store/, 'redis:\n      host: 127.0.0.1\n      port: 1'),
    );
    const result = await runCli(['--config', 'down.yaml', '--id', id, '--set', 'state.key1=lost'], {
      cwd: ws.dir,
    });
    assertOneLineError(result, 1, /cannot reach Redis at 127\.0\.0\.1:1/);
  });
});
