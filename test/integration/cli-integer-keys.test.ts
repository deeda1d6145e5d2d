import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { aclRedisPrimary, rawClient, testRedisUrl } from '../helpers/redis';
import { Workspace } from '../helpers/workspace';

/** The keys of `state` in the order a text writes them, one per `  key:` line of its YAML. */
function stateKeyLines(yamlText: string): string[] {
  const state = yamlText.split('\n');
  const from = state.indexOf('state:');
  const keys: string[] = [];
  for (const line of state.slice(from + 1)) {
    const match = /^ {2}([^ ].*?):(?: |$)/.exec(line);
    if (!match) break;
    keys.push(match[1] as string);
  }
  return keys;
}

// cicdstatemgr's documents carry mappings keyed by numbers (`postedData: {11318: …}`); Python's dicts keep
// them where they were written, and so must we, in what --get finds and in every text written back.
describe('cicdstatemgr CLI: integer-like keys keep the order they are written in', function () {
  let ws: Workspace;
  let redis: Redis;
  let id: string;

  before(async function () {
    const url = await testRedisUrl();
    ws = new Workspace(await aclRedisPrimary(url));
    redis = rawClient(url);
    id = Workspace.uniqueId('intkeys');
    await redis.set(id, `state:\n  b: 1\n  11318: 2\n  cicdContextDataId: ${id}\n`);
  });

  after(async function () {
    await redis.del(id);
    redis.disconnect();
    ws.remove();
  });

  it("--get 'state.*' finds the values in the written order, as cicdstatemgr 1.2.4 does", async function () {
    assert.equal(await ws.get(id, 'state.*'), `[1, 2, "${id}"]\n`);
  });

  it('--get of the mapping prints its keys in the written order', async function () {
    assert.equal(await ws.get(id, 'state'), `{"b": 1, "11318": 2, "cicdContextDataId": "${id}"}\n`);
  });

  describe('after a --set of another key', function () {
    before(async function () {
      await ws.runOk(['--id', id, '--set', 'state.c=3', '--set', 'state.7=seven']);
    });

    it('writes the Redis document back with 11318 after b and new keys last', async function () {
      const text = (await redis.get(id)) as string;
      assert.deepEqual(stateKeyLines(text), ['b', "'11318'", 'cicdContextDataId', 'c', "'7'"]);
    });

    it('writes the local yaml file in the same order', function () {
      const text = ws.read('localdata/cicdContextData.yaml');
      assert.deepEqual(stateKeyLines(text), ['b', "'11318'", 'cicdContextDataId', 'c', "'7'"]);
    });

    it('writes the local json file in the same order', function () {
      const text = ws.read('localdata/cicdContextData.json');
      const keys = [...text.matchAll(/^ {4}"([^"]+)":/gm)].map((match) => match[1]);
      assert.deepEqual(keys, ['b', '11318', 'cicdContextDataId', 'c', '7']);
    });

    it('writes the shell file in the same order', function () {
      const names = ws
        .read('localdata/cicdContextData.sh')
        .split('\n')
        .filter((line) => line.startsWith('CICD_state__'))
        .map((line) => line.slice(0, line.indexOf('=')));
      assert.deepEqual(names, [
        'CICD_state__b',
        'CICD_state__11318',
        'CICD_state__cicdContextDataId',
        'CICD_state__c',
        'CICD_state__7',
      ]);
    });
  });

  it('a new integer-like key at the top of the document goes after the keys already there', async function () {
    const top = Workspace.uniqueId('intkeys-top');
    await redis.set(top, `b: 1\nstate:\n  cicdContextDataId: ${top}\n`);
    try {
      await ws.runOk(['--id', top, '--set', '5=five', '--set', 'a=x']);
      const text = (await redis.get(top)) as string;
      const keys = text
        .split('\n')
        .filter((line) => /^[^ ].*:/.test(line))
        .map((line) => line.split(':')[0]);
      assert.deepEqual(keys, ['b', 'state', "'5'", 'a']);
    } finally {
      await redis.del(top);
    }
  });
});
