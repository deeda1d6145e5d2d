import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeLegacyButtonValue } from '../../src/core/legacy-button-value';
import { renderTemplate } from '../../src/compat/template/render-template';
import { DEPLOY_BUTTON_FIELDS, DEPLOY_BUTTON_VALUE } from '../helpers/deploy-button-value';

const DEPLOY_MACRO = `{%- macro deployButtonValue(targetAppName, targetAppTag) -%}
deploy-{{state.cicdVersion}}-{{state.appName}}|{{ {'trigger':'deploy','gitCloneUrl':state.gitCloneUrl,'cicdVersion':state.cicdVersion,'targetAppName':targetAppName,'targetAppTag':targetAppTag,'cicdContextDataId':state.cicdContextDataId,'cicdContextName':state.cicdContextName,'relatedPipelineName':event.data.params.pipelineName,'relatedCicdContextDataId':state.cicdContextDataId,'relatedPipelineRunUid':event.data.params.pipelineRunUid} | tojson | to_base64 }}
{%- endmacro -%}{{ deployButtonValue('nginx-hello-world', '1.0.0') }}`;

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

describe('decodeLegacyButtonValue', function () {
  it('decodes a value as cicdstatemgr 1.2.4 builds it', function () {
    assert.deepEqual(decodeLegacyButtonValue(DEPLOY_BUTTON_VALUE), {
      trigger: 'deploy',
      label: 'deploy-v1-nginx-hello-world',
      fields: DEPLOY_BUTTON_FIELDS,
    });
  });

  it('decodes the same value when slackline renders the macro (the two build it byte for byte alike)', function () {
    const rendered = renderTemplate(DEPLOY_MACRO, {
      state: {
        cicdVersion: 'v1',
        appName: 'nginx-hello-world',
        gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
        cicdContextDataId: 'nginx-hello-world-1.0.0-v1-dev-abc123',
        cicdContextName: 'dev',
      },
      event: {
        data: { params: { pipelineName: 'build', pipelineRunUid: 'build-dev-nginx-hello-world-x7k2p' } },
      },
    });
    assert.equal(rendered, DEPLOY_BUTTON_VALUE);
  });

  for (const trigger of ['test', 'validate', 'changeContext']) {
    it(`reads the ${trigger} prefix`, function () {
      const value = `${trigger}-v1-app|${b64(JSON.stringify({ trigger, cicdContextDataId: 'id-1' }))}`;
      assert.equal(decodeLegacyButtonValue(value)?.trigger, trigger);
    });
  }

  it("reads tojson's HTML-safe escapes and non-ASCII text", function () {
    // Jinja2: {{ {'trigger': 'deploy', 'note': "<b>&'é"} | tojson | to_base64 }}
    const value =
      'deploy-v1-app|eyJub3RlIjogIlx1MDAzY2JcdTAwM2VcdTAwMjZcdTAwMjdcdTAwZTkiLCAidHJpZ2dlciI6ICJkZXBsb3kifQ==';
    assert.deepEqual(decodeLegacyButtonValue(value)?.fields, { note: "<b>&'é", trigger: 'deploy' });
  });

  it('decodes a prefix other than the four of the reference (configs define their own macros)', function () {
    const value = `rollback-v1-app|${b64('{"trigger": "rollback", "cicdContextDataId": "id-1"}')}`;
    assert.deepEqual(decodeLegacyButtonValue(value), {
      trigger: 'rollback',
      label: 'rollback-v1-app',
      fields: { trigger: 'rollback', cicdContextDataId: 'id-1' },
    });
  });

  it('splits at the last "|", since base64 has none but an app name might', function () {
    const value = `deploy-v1-odd|name|${b64('{"a": 1}')}`;
    assert.deepEqual(decodeLegacyButtonValue(value), {
      trigger: 'deploy',
      label: 'deploy-v1-odd|name',
      fields: { a: 1 },
    });
  });

  const notLegacy: [string, string][] = [
    ['a plain value', 'prod'],
    ['no "|"', `deploy-v1-app${b64('{"a": 1}')}`],
    ['nothing after "|"', 'deploy-v1-app|'],
    ['no label', `|${b64('{"a": 1}')}`],
    ['a label without "-"', `deploy|${b64('{"a": 1}')}`],
    ['a label not starting with a word', `-v1-app|${b64('{"a": 1}')}`],
    ['characters outside base64', 'deploy-v1-app|eyJhIjogMX0*'],
    ['base64 without its padding', 'deploy-v1-app|eyJhIjogMX0'],
    ['URL-safe base64', `deploy-v1-app|${b64('{"a": "??>"}').replace(/\//g, '_')}`],
    ['base64 with a line break', `deploy-v1-app|${b64('{"a": 1}').slice(0, 4)}\n${b64('{"a": 1}').slice(4)}`],
    ['base64 of text that is not JSON', `deploy-v1-app|${b64('not json')}`],
    ['base64 of a JSON list', `deploy-v1-app|${b64('[1, 2]')}`],
    ['base64 of a JSON string', `deploy-v1-app|${b64('"deploy"')}`],
    ['base64 of JSON null', `deploy-v1-app|${b64('null')}`],
    [
      'base64 of bytes that are not UTF-8',
      `deploy-v1-app|${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64')}`,
    ],
  ];
  for (const [what, value] of notLegacy) {
    it(`returns undefined for ${what}`, function () {
      assert.equal(decodeLegacyButtonValue(value), undefined);
    });
  }

  it('never throws, whatever the value', function () {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (label, json, tail) => {
        decodeLegacyButtonValue(`${label}|${tail}`);
        decodeLegacyButtonValue(`deploy-${label}|${b64(json)}`);
      }),
    );
  });

  it('round-trips any JSON object', function () {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (dict) => {
        const decoded = decodeLegacyButtonValue(`deploy-v1-app|${b64(JSON.stringify(dict))}`);
        assert.deepEqual(decoded?.fields, JSON.parse(JSON.stringify(dict)));
      }),
    );
  });
});
