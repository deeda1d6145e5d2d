import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasourceConfig } from '../../src/config/datasource-config';
import { StoreError } from '../../src/core/errors';
import { silentLogger, type Logger } from '../../src/core/logger';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { FileStore } from '../../src/store/file/file-store';
import { JsonFileProjection } from '../../src/store/json-file-projection';
import { openDatasources } from '../../src/store/open-datasources';
import { RedisStore } from '../../src/store/redis/redis-store';
import { YamlFileProjection } from '../../src/store/yaml-file-projection';
import { fileStoreConfig } from '../helpers/store-configs';

describe('projections and openDatasources', function () {
  let dir: string;
  const doc = {
    jinja2Macros: { all: '{% macro m() %}x{% endmacro %}' },
    state: { cicdContextDataId: 'ctx-1', gitAppName: 'app', tag: '99999', ok: true, note: 'café "$HOME"\n' },
    someList: ['a', 'b'],
  };

  function configs(extra: DatasourceConfig[] = []): DatasourceConfig[] {
    return [
      fileStoreConfig(join(dir, 'store')),
      { type: 'yamlfile', isPrimary: false, path: join(dir, 'out', 'cicdContextData.yaml') },
      { type: 'jsonfile', isPrimary: false, path: join(dir, 'out', 'cicdContextData.json') },
      {
        type: 'shellfile',
        isPrimary: false,
        path: join(dir, 'out', 'cicdContextData.sh'),
        excludeKeyNames: ['jinja2Macros'],
      },
      { type: 'idfile', isPrimary: false, path: join(dir, 'out', 'cicdContextDataId') },
      ...extra,
    ];
  }

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'slackline-projections-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes all four files in their formats', async function () {
    const ds = openDatasources(configs(), silentLogger);
    assert.ok(ds.primary instanceof FileStore);
    assert.deepEqual(
      ds.projections.map((p) => p.type),
      ['yamlfile', 'jsonfile', 'shellfile', 'idfile'],
    );
    await ds.project('ctx-1', doc);
    const out = (name: string) => readFileSync(join(dir, 'out', name), 'utf8');
    assert.equal(out('cicdContextData.yaml'), dumpYaml(doc));
    assert.equal(out('cicdContextData.json'), JSON.stringify(doc, null, 2));
    assert.ok(!out('cicdContextData.json').endsWith('\n'));
    assert.match(out('cicdContextData.json'), /"note": "café \\"\$HOME\\"\\n"/);
    assert.equal(out('cicdContextDataId'), 'ctx-1');
    assert.equal(
      out('cicdContextData.sh'),
      [
        "CICD_state__cicdContextDataId='ctx-1'",
        "CICD_state__gitAppName='app'",
        "CICD_state__tag='99999'",
        "CICD_state__ok='True'",
        `CICD_state__note='café "$HOME"\n'`,
        "CICD_someList__0='a'",
        "CICD_someList__1='b'",
        '',
      ].join('\n'),
    );
    const sourced = spawnSync(
      'bash',
      ['-c', 'source "$1"; printf %s "$CICD_state__note"', 'bash', join(dir, 'out', 'cicdContextData.sh')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(sourced.stdout, 'café "$HOME"\n');
    // Only the files themselves: no temporary files left next to them.
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), [
      'cicdContextData.json',
      'cicdContextData.sh',
      'cicdContextData.yaml',
      'cicdContextDataId',
    ]);
    await ds.close();
  });

  it('keeps a whole float a float through the json projection, as json.dumps writes 2.0', async function () {
    const projection = new JsonFileProjection(join(dir, 'out', 'cicdContextData.json'));
    const withFloat = parseYaml('state:\n  cicdContextDataId: ctx-1\n  w: 2.0\n  n: 2\n  e: é\n');
    await projection.write('ctx-1', withFloat as never);
    const text = readFileSync(join(dir, 'out', 'cicdContextData.json'), 'utf8');
    assert.equal(
      text,
      '{\n  "state": {\n    "cicdContextDataId": "ctx-1",\n    "w": 2.0,\n    "n": 2,\n    "e": "é"\n  }\n}',
    );
    assert.equal(
      dumpYaml(await projection.read('ctx-1')),
      'state:\n  cicdContextDataId: ctx-1\n  w: 2.0\n  n: 2\n  e: é\n',
    );
  });

  it('reads a yaml or json projection back only for the context it belongs to', async function () {
    const yaml = new YamlFileProjection(join(dir, 'c.yaml'));
    const json = new JsonFileProjection(join(dir, 'c.json'));
    for (const projection of [yaml, json]) {
      assert.equal(await projection.read('ctx-1'), undefined, 'absent file');
      await projection.write('ctx-1', doc);
      assert.deepEqual(await projection.read('ctx-1'), doc);
      assert.equal(await projection.read('ctx-2'), undefined, 'another context');
    }
    writeFileSync(yaml.path, 'no: id\n');
    assert.equal(await yaml.read('ctx-1'), undefined, 'a document without an id');
    writeFileSync(json.path, '');
    assert.equal(await json.read('ctx-1'), undefined, 'an empty file');
    writeFileSync(json.path, '{"state": ');
    await assert.rejects(
      json.read('ctx-1'),
      (error: Error) =>
        error instanceof StoreError && error.message.startsWith(`${json.path} is not valid: `),
    );
    writeFileSync(yaml.path, '- a list\n');
    await assert.rejects(yaml.read('ctx-1'), /does not hold a context document/);
  });

  it('readLocal prefers the json projection, falls back to yaml, and reads past a broken file', async function () {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    const ds = openDatasources(configs(), logger);
    assert.equal(await ds.readLocal('ctx-1'), undefined);
    await ds.project('ctx-1', doc);
    writeFileSync(join(dir, 'out', 'cicdContextData.yaml'), dumpYaml({ ...doc, from: 'yaml' }));
    assert.deepEqual(await ds.readLocal('ctx-1'), doc, 'the json file');
    writeFileSync(join(dir, 'out', 'cicdContextData.json'), '{ broken');
    assert.deepEqual(await ds.readLocal('ctx-1'), { ...doc, from: 'yaml' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /cicdContextData\.json is not valid/);
    assert.equal(await ds.readLocal('ctx-2'), undefined);
  });

  it('keeps the old files when writes fail half-way (disk full)', async function () {
    const ds = openDatasources(configs(), silentLogger);
    await ds.project('ctx-1', doc);
    const files = readdirSync(join(dir, 'out')).sort();
    const before = files.map((f) => readFileSync(join(dir, 'out', f), 'utf8'));
    // In a child that may write at most 4 KiB per file, every projection but the id file fails in the middle.
    const script = [
      "process.on('SIGXFSZ', () => {});",
      "const { openDatasources } = require('./src/store/open-datasources');",
      "const { silentLogger } = require('./src/core/logger');",
      'const [configs, doc] = JSON.parse(process.argv[1]);',
      "openDatasources(configs, silentLogger).project('ctx-1', doc).then(",
      '  () => process.exit(0),',
      '  (e) => { console.log(e.message); process.exit(3); });',
    ].join('\n');
    const big = { ...doc, state: { ...doc.state, big: 'x'.repeat(64 * 1024) } };
    const result = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -f 4; exec node --require tsx/cjs -e "$0" "$1"',
        script,
        JSON.stringify([configs(), big]),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 3, result.stderr);
    assert.match(
      result.stdout,
      /^cannot write .*cicdContextData\.yaml: file too large \(EFBIG\) \(and 2 more projection files\)/,
    );
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), files, 'no temporary files left');
    assert.deepEqual(
      files.map((f) => readFileSync(join(dir, 'out', f), 'utf8')),
      before,
    );
  });

  it('still writes the other projections when one cannot be written', async function () {
    const ds = openDatasources(configs(), silentLogger);
    // A directory where the json file belongs makes just that write fail.
    mkdirSync(join(dir, 'out', 'cicdContextData.json', 'x'), { recursive: true });
    await assert.rejects(ds.project('ctx-1', doc), (error: Error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, /^cannot write .*cicdContextData\.json: /);
      return true;
    });
    assert.deepEqual(
      await new YamlFileProjection(join(dir, 'out', 'cicdContextData.yaml')).read('ctx-1'),
      doc,
    );
    assert.match(readFileSync(join(dir, 'out', 'cicdContextData.sh'), 'utf8'), /gitAppName='app'/);
    assert.equal(readFileSync(join(dir, 'out', 'cicdContextDataId'), 'utf8'), 'ctx-1');
  });

  it('opens a redis primary without connecting, and refuses configs without exactly one store primary', async function () {
    const ds = openDatasources(
      [
        { type: 'redis', isPrimary: true, host: '127.0.0.1', port: 1 },
        { type: 'idfile', isPrimary: false, path: join(dir, 'id') },
      ],
      silentLogger,
    );
    assert.ok(ds.primary instanceof RedisStore);
    assert.equal(ds.primary.description, 'redis 127.0.0.1:1 db 0');
    await ds.close();
    const idfile: DatasourceConfig = { type: 'idfile', isPrimary: false, path: join(dir, 'id') };
    assert.throws(() => openDatasources([idfile], silentLogger), StoreError);
    assert.throws(
      () => openDatasources([{ ...idfile, isPrimary: true }], silentLogger),
      /cannot be the primary/,
    );
    assert.throws(
      () => openDatasources(configs([{ type: 'redis', isPrimary: true }]), silentLogger),
      /exactly one datasource must have isPrimary: true, found 2/,
    );
    assert.throws(
      () => openDatasources(configs([{ type: 'redis', isPrimary: false }]), silentLogger),
      /redis can only be the primary/,
    );
  });
});
