import assert from 'node:assert/strict';
import { renderTemplate } from '../../src/compat/template/render-template';

const marker = globalThis as { __pwned?: unknown };

function assertRefused(template: string, context: Record<string, unknown> = {}): void {
  assert.equal(renderTemplate(template, context), `<jinja2 parse error> ${template}`);
  assert.equal(marker.__pwned, undefined, `payload executed: ${template}`);
}

describe('template sandbox', function () {
  beforeEach(function () {
    delete marker.__pwned;
  });

  afterEach(function () {
    delete marker.__pwned;
  });

  describe('known nunjucks escapes fail without executing anything', function () {
    const payloads = [
      `{{range.constructor("return global.process.mainModule.require('child_process').execSync('id')")()}}`,
      `{{ range.constructor("global.__pwned=1; return global.process.mainModule.require('child_process').execSync('id')")() }}`,
      '{{ cycler.constructor("global.__pwned=1")() }}',
      '{{ joiner.constructor("global.__pwned=1")() }}',
      "{{ ''.constructor.constructor('global.__pwned=1')() }}",
      "{{ ''.toString.constructor.call({}, 'global.__pwned=1')() }}",
      "{{ [].map.constructor('global.__pwned=1')() }}",
      "{{ ({}).valueOf.constructor('global.__pwned=1')() }}",
      '{{ joiner.__proto__ }}',
      "{{ ''.__proto__ }}",
      "{{ x['__proto__']['constructor'] }}",
      '{{ [].constructor }}',
      "{% set f = range['constructor'] %}{{ f('global.__pwned=1')() }}",
      "{% set f = range['con' ~ 'structor'] %}{{ f('global.__pwned=1')() }}",
      "{{ x['con' ~ 'structor']['con' ~ 'structor']('global.__pwned=1')() }}",
      '{{ constructor }}',
      '{{ hasOwnProperty }}',
      '{{ toString }}',
      '{{ valueOf }}',
      '{{ __proto__ }}',
      '{{ __defineGetter__ }}',
      "{{ constructor.getOwnPropertyDescriptors(constructor.getPrototypeOf(range)).constructor.value('global.__pwned=1')() }}",
      "{{ constructor.getOwnPropertyDescriptor(constructor.getPrototypeOf(range), 'constructor').value('global.__pwned=1')() }}",
      "{% set j = joiner('constructor') %}{{ j() }}{{ range[{'toString': j}]('global.__pwned=1')() }}",
      "{% set j = joiner('constructor') %}{{ j() }}{{ x[{'toString': j}] }}",
      '{{ range.call }}',
      '{{ range.apply(None, [3]) }}',
      "{{ range.bind(None)('global.__pwned=1') }}",
      "{{ ([range] | first).constructor('global.__pwned=1')() }}",
      '{{ lipsum.__globals__ }}',
      '{{ self.__init__.__globals__.__builtins__ }}',
      '{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}',
      '{{ x.items }}',
      '{{ range }}',
    ];
    for (const payload of payloads) {
      it(payload, function () {
        assertRefused(payload, { x: { a: 1 } });
      });
    }
  });

  it('refuses function constructors that reach a template through its context', function () {
    assertRefused("{{ f('global.__pwned=1')() }}", { f: Function });
    assertRefused("{{ o.f('global.__pwned=1')() }}", { o: { f: Function } });
    assertRefused("{{ g()('global.__pwned=1')() }}", { g: () => Function });
    assertRefused("{{ e('global.__pwned=1') }}", { e: eval });
  });

  it('does not let a `__proto__` set by a template expose prototype members', function () {
    assert.equal(renderTemplate('{% set __proto__ = range %}[{{ call }}][{{ apply }}]', {}), '[][]');
  });

  it('ignores a `__proto__` key in JSON data', function () {
    const context = JSON.parse('{"__proto__": {"leaked": "yes"}, "a": 1}') as Record<string, unknown>;
    assert.equal(renderTemplate('[{{ leaked }}][{{ a }}]', context), '[][1]');
  });

  it('treats Object.prototype members of a dict as undefined', function () {
    assert.equal(
      renderTemplate('[{{ d.hasOwnProperty }}][{{ d.toString }}][{{ d.a }}]', { d: { a: 1 } }),
      '[][][1]',
    );
    assert.equal(renderTemplate("{{ 'toString' in d }} {{ 'a' in d }}", { d: { a: 1 } }), 'False True');
  });

  it('prints data that looks like a template as text, without evaluating it', function () {
    const body = "{{ range.constructor('global.__pwned=1')() }}";
    assert.equal(renderTemplate('{{ body }}', { body }), body);
    assert.equal(marker.__pwned, undefined);
  });

  it('allows own properties named like Object.prototype members', function () {
    assert.equal(
      renderTemplate('{{ toString }} {{ d.valueOf }}', { toString: 'own', d: { valueOf: 2 } }),
      'own 2',
    );
  });

  it('keeps rendering normal templates after refusing payloads', function () {
    assertRefused('{{ cycler.constructor("global.__pwned=1")() }}');
    assert.equal(
      renderTemplate(
        "{% for k, v in d.items() %}{{ k }}={{ v | upper }}{{ ',' if not loop.last }}{% endfor %}",
        {
          d: { a: 'x', b: 'y' },
        },
      ),
      'a=X,b=Y',
    );
    assert.equal(
      renderTemplate("{% set c = cycler('odd', 'even') %}{{ c.next() }}-{{ c.next() }}", {}),
      'odd-even',
    );
    assert.equal(
      renderTemplate("{% set j = joiner(', ') %}{% for x in [1, 2] %}{{ j() }}{{ x }}{% endfor %}", {}),
      '1, 2',
    );
  });
});
