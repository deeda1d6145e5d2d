import assert from 'node:assert/strict';
import { Workspace } from '../helpers/workspace';

/**
 * Jinja2 renders a runaway template for as long as it takes, which in a Task step means until the step is
 * killed. Here the command fails, on one line naming the limit, and changes nothing.
 */
describe('cicdstatemgr CLI: a runaway template fails the command instead of pinning the CPU', function () {
  let ws: Workspace;
  let config: string;
  const id = Workspace.uniqueId('budget');
  const RUNAWAY = '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}';

  before(async function () {
    ws = new Workspace({ type: 'filestore' });
    await ws.init(id, '--set', 'state.key1=value1');
    await ws.runOk(['--id', id, '--set', `state.runaway=${RUNAWAY}`]);
    await ws.runOk(['--id', id, '--set', 'state.small={% for i in range(50) %}.{% endfor %}']);
    config = ws.read('config.yaml');
  });
  after(() => ws.remove());

  it('two nested range(100000) loops stop at the default 1,000,000 iterations', async function () {
    // A time limit far out of reach, so that the iterations are what stops it however busy the machine is.
    ws.write('config.yaml', `${config}  templateBudget:\n    timeLimitMs: 600000\n`);
    const result = await ws.run(['--id', id, '--get', 'state.runaway']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^cicdstatemgr: error: cannot render .*past 1,000,000 loop iterations/);
  });

  it('cicdstatemgr.templateBudget.loopLimit sets the limit', async function () {
    assert.equal(await ws.get(id, 'state.small'), `${'.'.repeat(50)}\n`);
    ws.write('config.yaml', `${config}  templateBudget:\n    loopLimit: 20\n`);
    const result = await ws.run(['--id', id, '--get', 'state.small']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /past 20 loop iterations .*templateBudget\.loopLimit/);
  });
});
