import assert from 'node:assert/strict';
import { bindParams, instantiate } from '../helpers/tekton-triggers';
import type { Doc } from '../helpers/tekton-manifests';

const binding = (params: Record<string, string>): Doc => ({
  spec: { params: Object.entries(params).map(([name, value]) => ({ name, value })) },
});

/** The TriggerBinding evaluator the example-loop test binds real events with: what Tekton's bindings do. */
describe('TriggerBinding evaluation (test helper)', function () {
  const event = {
    body: {
      actions: [{ value: 'deploy-v1|e30=', n: 2 }, { value: 'reject' }],
      user: { id: 'U0ANA' },
      'a.b': 'dotted key',
      count: 3,
      nested: { x: [1, 2] },
    },
    header: { 'x-slack-signature': 'v0=abc', 'X-Multi': ['a', 'b'] },
    extensions: { slackline: { event: { id: 'ev-1' } }, text: ['first', 'second'] },
    context: { eventID: 'e-42' },
  };

  it("reads $(body…) with brackets, indexes, quoted keys and escaped dots, as Kubernetes' JSONPath does", function () {
    const { params, missing } = bindParams(
      binding({
        first: '$(body.actions[0].value)',
        last: '$(body.actions[-1].value)',
        quoted: "$(body['user'].id)",
        escaped: '$(body.a\\.b)',
        mixed: 'user $(body.user.id) clicked $(body.actions[1].value)',
      }),
      event,
    );
    assert.deepEqual(missing, []);
    assert.deepEqual(params, {
      first: 'deploy-v1|e30=',
      last: 'reject',
      quoted: 'U0ANA',
      escaped: 'dotted key',
      mixed: 'user U0ANA clicked reject',
    });
  });

  it('inserts anything but a string as JSON text, and a wildcard as a JSON array', function () {
    const { params } = bindParams(
      binding({ n: '$(body.count)', obj: '$(body.nested)', all: '$(body.actions[*].value)' }),
      event,
    );
    assert.deepEqual(params, { n: '3', obj: '{"x":[1,2]}', all: '["deploy-v1|e30=","reject"]' });
  });

  it('reads $(header.X) by canonical name with values joined by commas, $(extensions…) and $(context.eventID)', function () {
    const { params } = bindParams(
      binding({
        sig: '$(header.X-Slack-Signature)',
        lower: '$(header.x-slack-signature)',
        multi: '$(header.X-Multi)',
        ext: '$(extensions.slackline.event.id)',
        text: '$(extensions.text[1])',
        id: '$(context.eventID)',
      }),
      event,
    );
    assert.deepEqual(params, {
      sig: 'v0=abc',
      lower: 'v0=abc',
      multi: 'a,b',
      ext: 'ev-1',
      text: 'second',
      id: 'e-42',
    });
  });

  it("leaves out a param whose path selects nothing, so the template's default applies or instantiation fails", function () {
    const { params, missing } = bindParams(
      binding({ gone: '$(body.actions[5].value)', id: '$(body.user.id)' }),
      event,
    );
    assert.deepEqual(params, { id: 'U0ANA' });
    assert.deepEqual(missing, ['gone: $(body.actions[5].value)']);
    const template = {
      metadata: { name: 'tt' },
      spec: { params: [{ name: 'id' }, { name: 'gone' }], resourcetemplates: [{ v: '$(tt.params.gone)' }] },
    };
    assert.throws(() => instantiate(template, params), /no value for gone/);
    template.spec.params[1] = { name: 'gone', default: 'none' } as never;
    assert.deepEqual(instantiate(template, params), [{ v: 'none' }]);
  });

  it('fails loudly on what it cannot evaluate, instead of binding the text', function () {
    for (const value of [
      '$(body.actions[?(@.value=="x")].value)',
      '$(body.actions[0:1])',
      '$(body..value)',
      '$(body.actions[0,1])',
      '$(params.x)',
      '$(header.X.Y)',
      '$(context.somethingElse)',
      '$(body.user.id',
    ])
      assert.throws(() => bindParams(binding({ p: value }), event), /cannot evaluate|no reference/, value);
  });
});
