import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors';
import { initializeDocument } from '../../src/compat/state/initialize-document';
import { parseYaml } from '../../src/compat/yaml/yaml';
import { keyOrder } from '../helpers/key-order';

const FIXTURES = join(__dirname, '../fixtures/workspace');
const load = (name: string) =>
  parseYaml(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

describe('initializeDocument', function () {
  const input = () => ({
    id: 'ctx-1',
    contextName: 'qa',
    appConfig: load('app.yaml'),
    bases: [load('bases/core.yaml'), load('bases/extra.yaml')],
    sets: [
      { path: 'state.key1', value: 'value1' },
      { path: 'extra.flag', value: 'on' },
    ],
  });

  it('builds the reference document: keys, order and rendered variables', function () {
    assert.deepEqual(keyOrder(initializeDocument(input())), keyOrder(load('expected-init.yaml')));
  });

  it('keeps the position of a state key the context defines, replacing its content', function () {
    const appConfig = { 'cicd-contexts': { qa: { state: { stale: true }, channel: 'c' } } };
    const doc = initializeDocument({ ...input(), appConfig, bases: [], sets: [] });
    assert.deepEqual(Object.keys(doc), ['state', 'channel', 'appPipelinesConfig', 'jinja2Macros']);
    assert.deepEqual(doc['state'], { cicdContextDataId: 'ctx-1', cicdContextName: 'qa' });
  });

  it('keeps variables a --set created unless a variable of the same name overwrites them', function () {
    const doc = initializeDocument({
      ...input(),
      sets: [
        { path: 'variables.fromSet', value: 'kept' },
        { path: 'variables.team', value: 'replaced' },
      ],
    });
    assert.equal((doc['variables'] as Record<string, string>)['fromSet'], 'kept');
    assert.equal((doc['variables'] as Record<string, string>)['team'], 'payments');
  });

  it('names the defined contexts when the requested one is missing', function () {
    assert.throws(
      () => initializeDocument({ ...input(), contextName: 'staging' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === 'cicd context "staging" is not defined under cicd-contexts (defined: qa, prod)',
    );
  });

  it('refuses a variable that is not a template', function () {
    const appConfig = { variables: { n: 5 }, 'cicd-contexts': { qa: {} } };
    assert.throws(
      () => initializeDocument({ ...input(), appConfig, bases: [] }),
      /variables\.n must be text/,
    );
  });
});
