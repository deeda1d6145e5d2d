import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCicdstatemgrConfig } from '../../src/config/load-cicdstatemgr-config';
import { ConfigError } from '../../src/core/errors';

describe('loadCicdstatemgrConfig', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'slackline-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('merges secrets into the datasources and makes paths absolute', function () {
    const configPath = write(
      'config.yaml',
      [
        'cicdstatemgr:',
        '  datasources:',
        '    redis: {host: localhost, port: 6379, db: 0, isPrimary: true}',
        '    yamlfile: {path: localdata/c.yaml}',
        '    shellfile: {path: ./localdata/c.sh, excludeKeyNames: [jinja2Macros]}',
        '  slack: {url: "http://127.0.0.1:1/api"}',
      ].join('\n'),
    );
    const secretsPath = write(
      'secrets.yaml',
      'cicdstatemgr:\n  datasources:\n    redis: {username: u1, password: 12345}\n  slack: {token: T}\n',
    );
    const config = loadCicdstatemgrConfig({ configPath, secretsPath, cwd: dir });
    assert.deepEqual(config.datasources[0], {
      type: 'redis',
      isPrimary: true,
      url: undefined,
      host: 'localhost',
      port: 6379,
      db: 0,
      username: 'u1',
      password: '12345',
      tls: undefined,
      keyPrefix: undefined,
    });
    assert.deepEqual(config.datasources[1], {
      type: 'yamlfile',
      isPrimary: false,
      path: join(dir, 'localdata/c.yaml'),
    });
    assert.deepEqual(config.datasources[2], {
      type: 'shellfile',
      isPrimary: false,
      path: join(dir, 'localdata/c.sh'),
      excludeKeyNames: ['jinja2Macros'],
    });
    assert.deepEqual(config.secretData['slack'], { token: 'T' });
    assert.equal((config.configData['slack'] as { url: string }).url, 'http://127.0.0.1:1/api');
  });

  it('works without secrets', function () {
    const configPath = write(
      'config.yaml',
      'cicdstatemgr:\n  datasources:\n    filestore: {path: s, isPrimary: true}\n',
    );
    const config = loadCicdstatemgrConfig({ configPath, cwd: dir });
    assert.deepEqual(config.secretData, {});
    assert.deepEqual(config.datasources, [{ type: 'filestore', isPrimary: true, path: join(dir, 's') }]);
  });

  const invalid: Array<[string, string, RegExp]> = [
    ['no section', 'other: 1\n', /must have a top-level "cicdstatemgr:" mapping/],
    ['no datasources', 'cicdstatemgr: {}\n', /datasources must map datasource types/],
    [
      'no primary',
      'cicdstatemgr:\n  datasources:\n    yamlfile: {path: a}\n',
      /no datasource has isPrimary: true/,
    ],
    [
      'two primaries',
      'cicdstatemgr:\n  datasources:\n    redis: {isPrimary: true}\n    filestore: {path: s, isPrimary: true}\n',
      /only one datasource may be primary, found: redis, filestore/,
    ],
    [
      'a projection as primary',
      'cicdstatemgr:\n  datasources:\n    yamlfile: {path: a, isPrimary: true}\n',
      /yamlfile cannot be the primary: use redis or filestore/,
    ],
    [
      'a Redis that is not the primary',
      'cicdstatemgr:\n  datasources:\n    redis: {host: h}\n    filestore: {path: s, isPrimary: true}\n',
      /datasources\.redis can only be the primary: set isPrimary: true/,
    ],
    [
      'every problem at once',
      'cicdstatemgr:\n  datasources:\n    redis: {port: abc, url: "http://x", isPrimary: true}\n    jsonfile: {}\n',
      /redis\.port must be a port number.*redis\.url must start with redis:\/\/.*jsonfile\.path is required/,
    ],
  ];
  for (const [name, text, message] of invalid) {
    it(`rejects a config with ${name}`, function () {
      const configPath = write('config.yaml', text);
      assert.throws(
        () => loadCicdstatemgrConfig({ configPath, cwd: dir }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
