import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../helpers/workspace';

describe('cicdstatemgr CLI: the shell file is safe to source', function () {
  let ws: Workspace;
  const id = Workspace.uniqueId('shell');
  const hostile: Record<string, string> = {
    doubleQuotes: 'say "hi" to "them"',
    singleQuotes: "it's Bob's",
    commandSubstitution: '$(touch pwned-by-dollar)',
    backticks: '`touch pwned-by-backtick`',
    backslashes: 'c:\\windows\\path\\n not a newline',
    variables: '$HOME and ${PATH}',
    unicode: 'café ✓ 🚀',
  };

  before(async function () {
    ws = new Workspace({ type: 'filestore' });
    await ws.init(id);
    const sets = Object.entries(hostile).flatMap(([k, v]) => ['--set', `state.hostile.${k}=${v}`]);
    await ws.runOk(['--id', id, ...sets]);
    // A JSON string file keeps its newlines exactly (plain text would be folded by the YAML scalar rules).
    ws.write('multiline.json', JSON.stringify('line one\n\nline "three" $(touch pwned-by-multiline)\n'));
    await ws.runOk(['--id', id, '--set', 'state.hostile.multiline=file://multiline.json']);
    await ws.runOk(['--id', id, '--set', 'topList[]=first,second']);
  });

  after(() => ws.remove());

  const source = (variable: string) =>
    spawnSync('bash', ['-c', `source localdata/cicdContextData.sh && printf %s "$${variable}"`], {
      cwd: ws.dir,
      encoding: 'utf8',
    });

  for (const [key, value] of Object.entries(hostile)) {
    it(`gives back ${key} verbatim`, function () {
      const result = source(`CICD_state__hostile__${key}`);
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, value);
    });
  }

  it('gives back a multi-line value verbatim', function () {
    assert.equal(
      source('CICD_state__hostile__multiline').stdout,
      'line one\n\nline "three" $(touch pwned-by-multiline)\n',
    );
  });

  it('runs nothing while being sourced', function () {
    source('CICD_state__hostile__backticks');
    for (const canary of ['pwned-by-dollar', 'pwned-by-backtick', 'pwned-by-multiline']) {
      assert.equal(existsSync(join(ws.dir, canary)), false, `${canary} was created`);
    }
  });

  it('keeps the indexes of a top-level list', function () {
    assert.equal(source('CICD_topList__0').stdout, 'first');
    assert.equal(source('CICD_topList__1').stdout, 'second');
  });
});
