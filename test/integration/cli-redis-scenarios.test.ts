import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { parseYaml } from '../../src/compat/yaml/yaml';
import { keyOrder } from '../helpers/key-order';
import { aclRedisPrimary, rawClient, testRedisUrl } from '../helpers/redis';
import { Workspace } from '../helpers/workspace';

function sourced(ws: Workspace, variable: string): string {
  const script = `source ${join(ws.dir, 'localdata/cicdContextData.sh')} && printf %s "$${variable}"`;
  return spawnSync('bash', ['-c', script], { encoding: 'utf8' }).stdout;
}

describe('cicdstatemgr CLI: the reference scenarios against Redis with an ACL user', function () {
  let ws: Workspace;
  let redis: Redis;
  const ids: string[] = [];
  const newId = () => {
    const id = Workspace.uniqueId();
    ids.push(id);
    return id;
  };

  before(async function () {
    const url = await testRedisUrl();
    ws = new Workspace(await aclRedisPrimary(url));
    redis = rawClient(url);
  });

  after(async function () {
    if (ids.length > 0) await redis.del(...ids);
    redis.disconnect();
    ws.remove();
  });

  describe('--init-new', function () {
    let id: string;
    let stdout: string;
    before(async function () {
      id = newId();
      ({ stdout } = await ws.init(id, '--set', 'state.key1=value1', '--set', 'extra.flag=on'));
    });

    it('prints the id and nothing else on stdout', function () {
      assert.equal(stdout, `${id}\n`);
    });

    it('stores the document as YAML text under the bare id, with no expiry', async function () {
      const text = await redis.get(id);
      assert.ok(text, 'no value under the id');
      assert.equal((parseYaml(text) as { state: { key1: string } }).state.key1, 'value1');
      assert.equal(await redis.ttl(id), -1);
      assert.equal(await redis.type(id), 'string');
    });

    it('builds the document in the reference order and structure (bases merge, macros, variables)', async function () {
      const stored = parseYaml((await redis.get(id)) as string) as Record<string, unknown>;
      const expected = parseYaml(ws.read('expected-init.yaml')) as Record<string, unknown>;
      (expected['state'] as Record<string, unknown>)['cicdContextDataId'] = id;
      assert.deepEqual(keyOrder(stored), keyOrder(expected));
    });

    it('writes the id, json, yaml and shell files for the Task', async function () {
      assert.equal(ws.read('localdata/cicdContextData.id'), id);
      const json = JSON.parse(ws.read('localdata/cicdContextData.json'));
      assert.equal(json.state.key1, 'value1');
      const yaml = parseYaml(ws.read('localdata/cicdContextData.yaml')) as typeof json;
      assert.equal(yaml.state.key1, 'value1');
      assert.equal(
        ws.read('localdata/cicdContextData.yaml'),
        await redis.get(id),
        'yaml file and Redis value differ',
      );
      assert.equal(sourced(ws, 'CICD_state__key1'), 'value1');
      assert.equal(
        sourced(ws, 'CICD_pipelines__verify__event_handlers__done__notify__message'),
        "{{ shout('verify done') }}",
      );
    });

    it('works with no --set at all (cicdstatemgr 1.2.4 crashes)', async function () {
      const bare = newId();
      const { stdout: printed } = await ws.init(bare);
      assert.equal(printed, `${bare}\n`);
      assert.equal(await ws.get(bare, 'state.cicdContextName'), 'qa\n');
    });
  });

  describe('--get with --tmpl-ctx-var (get.sh)', function () {
    let id: string;
    before(async function () {
      id = newId();
      await ws.init(id, '--set', 'state.key1=value1');
      await ws.runOk(['--id', id, '--set', 'state.templateTest={{tmplctx.prop1}}']);
    });

    it('resolves the variable as a JSONPath into the document', async function () {
      assert.equal(
        await ws.get(id, 'state.templateTest', '--tmpl-ctx-var', 'tmplctx.prop1=state.key1'),
        'value1\n',
      );
      await ws.runOk(['--id', id, '--set', 'state.key1=yet a new value']);
      assert.equal(
        await ws.get(id, 'state.templateTest', '--tmpl-ctx-var', 'tmplctx.prop1=state.key1'),
        'yet a new value\n',
      );
    });

    it('falls back to the literal when the path matches nothing', async function () {
      const out = await ws.get(
        id,
        'state.templateTest',
        '--tmpl-ctx-var',
        'tmplctx.prop1=just-a-literal-value',
      );
      assert.equal(out, 'just-a-literal-value\n');
    });

    it('prints the reference error text when the template cannot render', async function () {
      assert.equal(await ws.get(id, 'state.templateTest'), '<jinja2 parse error> {{tmplctx.prop1}}\n');
    });

    it('keeps a right-hand side that is not a JSONPath literal (x=1 y=2 z=3)', async function () {
      await ws.runOk(['--id', id, '--set', 'state.templateTest={{tmplctx.prop1}}']);
      assert.equal(
        await ws.get(id, 'state.templateTest', '--tmpl-ctx-var', 'tmplctx.prop1=x=1 y=2 z=3'),
        'x=1 y=2 z=3\n',
      );
    });

    it('prints mappings as JSON, lists as JSON, and nothing for no match', async function () {
      assert.equal(await ws.get(id, 'state.nothing.here'), '');
      assert.equal(await ws.get(id, 'owners'), '["carol"]\n');
      const state = JSON.parse(await ws.get(id, 'state'));
      assert.equal(state.cicdContextDataId, id);
      assert.equal(await ws.get(id, "pipelines['verify'].retries"), '2\n');
      assert.equal(await ws.get(id, 'pipelines.package.event-handlers.done.notify.enabled'), '');
    });
  });

  describe('--set (set.sh)', function () {
    let id: string;
    before(async function () {
      id = newId();
      await ws.init(id, '--set', 'state.key1=value1');
    });
    const setAndGet = async (pair: string, expression: string) => {
      await ws.runOk(['--id', id, '--set', pair]);
      return ws.get(id, expression);
    };

    it('sets several pairs at once, with | separating pairs inside one --set', async function () {
      await ws.runOk([
        '--id',
        id,
        '--set',
        'state.key1=value1',
        '--set',
        'state.key2=value2|state.key3=value3',
      ]);
      assert.equal(await ws.get(id, 'state.key2'), 'value2\n');
      assert.equal(await ws.get(id, 'state.key3'), 'value3\n');
    });

    it('stores values as text without coercion', async function () {
      await ws.runOk(['--id', id, '--set', 'state.n=99999']);
      const stored = parseYaml((await redis.get(id)) as string) as { state: { n: unknown } };
      assert.equal(stored.state.n, '99999');
    });

    it('loads file:// values as JSON, then YAML, then raw text', async function () {
      assert.equal(
        await setAndGet('state.fileBody=file://set.simple.txt', 'state.fileBody'),
        'simple body contents\n',
      );
      assert.equal(await setAndGet('state.fileBody=file://set.list.json', 'state.fileBody[2]'), '3\n');
      ws.write('set.object.json', '{"dog":"beagle", "bark":{"quality":"high","volume":"loud"}}');
      assert.equal(
        await setAndGet('state.fileBody=file://set.object.json', 'state.fileBody.bark.quality'),
        'high\n',
      );
      assert.equal(
        await setAndGet('state.fileBody=file://set.nested.yaml', 'state.fileBody.bark.quality'),
        'high\n',
      );
      assert.equal(await setAndGet('state.raw=file://set.raw.txt', 'state.raw'), 'Total: 5 (HIGH: 2)\nfoo\n');
      assert.equal(
        await setAndGet('state.absent=file://no-such-file', 'state.absent'),
        'file://no-such-file\n',
      );
    });

    it('appends with the [] list hint, de-duplicates with the {} set hint, and clears with =[]', async function () {
      const steps: Array<[string, string, string]> = [
        ['state.testList[]=a,b,c', 'state.testList[2]', 'c\n'],
        ['state.testList[]=d,e,f', 'state.testList', '["a", "b", "c", "d", "e", "f"]\n'],
        ['state.testList[]=x,y,z', 'state.testList', '["a", "b", "c", "d", "e", "f", "x", "y", "z"]\n'],
        ['state.testList[]=[]', 'state.testList', '[]\n'],
        ['state.testList[]=a', 'state.testList', '["a"]\n'],
        ['state.testSet{}=a,a,a', 'state.testSet', '["a"]\n'],
        ['state.testSet{}=a,b,b', 'state.testSet', '["a", "b"]\n'],
        ['state.testSet{}=[]', 'state.testSet', '[]\n'],
        ['state.testSet{}=a,b,b,c,d,d', 'state.testSet', '["a", "b", "c", "d"]\n'],
      ];
      for (const [pair, expression, expected] of steps) {
        assert.equal(await setAndGet(pair, expression), expected, `after --set ${pair}`);
      }
    });

    it('accepts --pre-set-force-reload', async function () {
      await ws.runOk(['--id', id, '--pre-set-force-reload', '--set', 'state.reloaded=yes']);
      assert.equal(await ws.get(id, 'state.reloaded'), 'yes\n');
    });
  });

  describe('--load (load.sh)', function () {
    it('reads the primary, applies --set, and rewrites every local file', async function () {
      const id = newId();
      await ws.init(id, '--set', 'state.key1=value1');
      ws.removeLocalData();
      await ws.runOk(['--id', id, '--load']);
      assert.equal(JSON.parse(ws.read('localdata/cicdContextData.json')).state.key1, 'value1');
      await ws.runOk([
        '--id',
        id,
        '--load',
        '--set',
        'state.key1=valuechanged',
        '--set',
        'state.triggerAutoArg1=99999',
      ]);
      assert.equal(await ws.get(id, 'state.triggerAutoArg1'), '99999\n');
      assert.equal(sourced(ws, 'CICD_state__key1'), 'valuechanged');
    });

    it('serves --get from the primary when the local files hold another context', async function () {
      const first = newId();
      const second = newId();
      await ws.init(first, '--set', 'state.who=first');
      await ws.init(second, '--set', 'state.who=second');
      assert.equal(ws.read('localdata/cicdContextData.id'), second);
      assert.equal(await ws.get(first, 'state.who'), 'first\n');
      assert.equal(
        ws.read('localdata/cicdContextData.id'),
        first,
        'the local files now hold the context read',
      );
    });
  });

  describe('--generate (generate.sh)', function () {
    it('runs the generator whose if holds, with tmpl-ctx-vars', async function () {
      const id = newId();
      await ws.init(
        id,
        '--set',
        'state.gitTag=myapp-alpine-1.5.9',
        '--set',
        'state.gitAppName=my-application',
      );
      const vars = ['--tmpl-ctx-var', 'ctx.var1=v1val', '--tmpl-ctx-var', 'ctx.var2=v2val'];
      await ws.runOk(['--id', id, ...vars, '--generate', 'pipelines.release.generators.imageCmd']);
      assert.equal(
        await ws.get(id, 'state.release.imageInfo.buildCmd'),
        './build-image.sh --base alpine:3 --tag myapp-alpine-1.5.9 --a v1val --b v2val\n',
      );
      await ws.runOk(['--id', id, '--set', 'state.gitTag=myapp-debian-1.5.9']);
      await ws.runOk(['--id', id, ...vars, '--generate', 'pipelines.release.generators.imageCmd']);
      assert.equal(
        await ws.get(id, 'state.release.imageInfo.buildCmd'),
        './build-image.sh --base debian:12 --tag myapp-debian-1.5.9 --a v1val --b v2val\n',
      );
    });
  });
});
