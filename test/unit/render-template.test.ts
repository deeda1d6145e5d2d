import assert from 'node:assert/strict';
import { TemplateError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { renderTemplate, type TemplateContext } from '../../src/compat/template/render-template';

const BASIC_MACRO = '{%- macro basicMacro(msg) -%}\n  This is basicMacro! msg = {{msg}}\n{%- endmacro -%}';
const withMacros: TemplateContext = { jinja2Macros: { byName: {}, all: BASIC_MACRO } };

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (message) => errors.push(message) };
}

describe('renderTemplate', function () {
  describe('macro prefix and whitespace (parse_template)', function () {
    it('prefixes jinja2Macros.all so that templates can call the macros', function () {
      assert.equal(
        renderTemplate("{{ basicMacro('build is successful') }}", withMacros),
        'This is basicMacro! msg = build is successful',
      );
    });

    it('strips leading whitespace and newlines when there is a macro prefix ending in -%}', function () {
      assert.equal(renderTemplate('   app msg {{x}}', { ...withMacros, x: 'ok' }), 'app msg ok');
      assert.equal(renderTemplate('\n\n  {{x}} ', { ...withMacros, x: 'ok' }), 'ok ');
      assert.equal(renderTemplate('   ', withMacros), '');
    });

    it('keeps whitespace produced by an expression', function () {
      assert.equal(renderTemplate("{{ '  ' }}x", withMacros), '  x');
    });

    it('keeps leading whitespace when there are no macros', function () {
      assert.equal(renderTemplate('   app msg {{x}}', { x: 'ok' }), '   app msg ok');
      assert.equal(renderTemplate('   app msg', { jinja2Macros: { byName: {}, all: '' } }), '   app msg');
    });

    it('drops exactly one trailing newline (keep_trailing_newline=False)', function () {
      assert.equal(renderTemplate('line\n', {}), 'line');
      assert.equal(renderTemplate('line\n\n', {}), 'line\n');
      assert.equal(renderTemplate('a\nb\n', withMacros), 'a\nb');
    });

    it('turns \\r\\n and \\r into \\n, as the Jinja2 lexer does', function () {
      assert.equal(renderTemplate('a\r\nb\rc\r\n', {}), 'a\nb\nc');
    });
  });

  describe('empty and non-text templates', function () {
    it('returns an empty string for null, undefined and the empty string, in both modes', function () {
      for (const template of [null, undefined, '']) {
        assert.equal(renderTemplate(template, withMacros), '');
        assert.equal(renderTemplate(template, withMacros, { blankOnError: true }), '');
      }
    });

    it('throws a TemplateError naming the type for a template that is not text', function () {
      assert.throws(
        () => renderTemplate(5, withMacros),
        (error: unknown) => {
          assert.ok(error instanceof TemplateError);
          assert.equal(error.message, 'a template must be text, not int');
          return true;
        },
      );
      assert.throws(() => renderTemplate(true, {}), { name: 'TemplateError', message: /not bool$/ });
      assert.throws(() => renderTemplate({ a: 1 }, {}), { name: 'TemplateError', message: /not dict$/ });
    });
  });

  describe('undefined values and errors', function () {
    it('resolves tmplctx.prop1 when the context has it', function () {
      assert.equal(
        renderTemplate('{{tmplctx.prop1}}', { ...withMacros, tmplctx: { prop1: 'value1' } }),
        'value1',
      );
    });

    it('returns the error string with the original template when tmplctx is missing, and logs it', function () {
      const logger = recordingLogger();
      assert.equal(
        renderTemplate('{{tmplctx.prop1}}', withMacros, { logger }),
        '<jinja2 parse error> {{tmplctx.prop1}}',
      );
      assert.equal(logger.errors.length, 1);
      assert.match(
        logger.errors[0] as string,
        /^parse_template\(\) template = \{\{tmplctx\.prop1\}\} error: .+/,
      );
    });

    it('returns an empty string on error with blankOnError', function () {
      assert.equal(renderTemplate('{{tmplctx.prop1}}', withMacros, { blankOnError: true }), '');
      assert.equal(renderTemplate('{% if %}', {}, { blankOnError: true }), '');
    });

    it('reports syntax errors the same way', function () {
      assert.equal(renderTemplate('{{ x ', {}), '<jinja2 parse error> {{ x ');
      assert.equal(renderTemplate('{% for x in y %}', {}), '<jinja2 parse error> {% for x in y %}');
    });

    it('prints an undefined value as an empty string', function () {
      assert.equal(renderTemplate('[{{ missing }}][{{ state.missing }}]', { state: {} }), '[][]');
    });

    it('fails on attribute access below an undefined value, but not below None', function () {
      assert.equal(
        renderTemplate('{{ state.missing.x }}', { state: {} }),
        '<jinja2 parse error> {{ state.missing.x }}',
      );
      assert.equal(renderTemplate('[{{ state.nothing.x }}]', { state: { nothing: null } }), '[]');
    });
  });

  describe('printing values as Python does', function () {
    it('prints True, False, None, lists and dicts as Python str()', function () {
      const context = {
        t: true,
        f: false,
        n: null,
        l: ['a', 'b'],
        d: { a: true, b: null, c: [1, 'x'] },
        i: 3,
      };
      assert.equal(
        renderTemplate('{{ t }} {{ f }} {{ n }} {{ l }} {{ d }} {{ i }}', context),
        "True False None ['a', 'b'] {'a': True, 'b': None, 'c': [1, 'x']} 3",
      );
    });

    it('prints strings with quotes as they are (no autoescape)', function () {
      assert.equal(renderTemplate('{{ s }}', { s: `<a href="x">'&'</a>` }), `<a href="x">'&'</a>`);
    });

    it('accepts True, False and None as literals', function () {
      assert.equal(renderTemplate('{{ True }} {{ None }} {{ x is none }}', { x: null }), 'True None True');
    });

    it('concatenates with ~ using Python str(), undefined as empty', function () {
      assert.equal(renderTemplate("{{ 'id-' ~ n ~ '-' ~ missing ~ t }}", { n: 3, t: true }), 'id-3-True');
    });
  });

  describe('Jinja2 constructs the reference templates use', function () {
    it('iterates dict items with for k, v in d.items()', function () {
      assert.equal(
        renderTemplate('{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', { d: { a: 1, b: 'x' } }),
        'a=1;b=x;',
      );
    });

    it('iterates a dict as its keys', function () {
      assert.equal(renderTemplate('{% for k in d %}{{ k }}{% endfor %}', { d: { a: 1, b: 2 } }), 'ab');
    });

    it('knows loop.last, also in an inline if', function () {
      assert.equal(
        renderTemplate('{% for x in l %}{{ x }}{% if not loop.last %}|{% endif %}{% endfor %}', {
          l: [1, 2, 3],
        }),
        '1|2|3',
      );
      assert.equal(
        renderTemplate('[{% for x in l %}"{{ x }}"{{ "," if not loop.last }}{% endfor %}]', {
          l: ['a', 'b'],
        }),
        '["a","b"]',
      );
    });

    it('supports {% break %} and {% continue %}', function () {
      const l = [1, 2, 3, 4];
      assert.equal(
        renderTemplate('{% for x in l %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}', { l }),
        '12',
      );
      assert.equal(
        renderTemplate('{% for x in l %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}', { l }),
        '134',
      );
      assert.equal(renderTemplate('{% break %}', {}), '<jinja2 parse error> {% break %}');
    });

    it('supports {% set %}, dict literals and subscripts', function () {
      assert.equal(
        renderTemplate("{% set greeting = 'hi ' ~ name %}{{ greeting }}", { name: 'ana' }),
        'hi ana',
      );
      assert.equal(
        renderTemplate("{% set d = {'a': 1, 'b': [2]} %}{{ d['b'][0] }} {{ d }}", {}),
        "2 {'a': 1, 'b': [2]}",
      );
      assert.equal(
        renderTemplate("{{ headers['user-agent'] }}", { headers: { 'user-agent': 'curl/8' } }),
        'curl/8',
      );
    });

    it('supports the in operator on strings, lists and dict keys', function () {
      assert.equal(
        renderTemplate("{{ 'b' in 'abc' }} {{ 2 in l }} {{ 'k' in d }} {{ 'v' in d }} {{ 'x' in missing }}", {
          l: [1, 2],
          d: { k: 'v' },
        }),
        'True True True False False',
      );
    });

    it('evaluates conditional expressions and if/elif/else with Python truthiness', function () {
      assert.equal(renderTemplate("{{ 'yes' if ok else 'no' }}", { ok: true }), 'yes');
      assert.equal(renderTemplate("{{ 'yes' if ok else 'no' }}", { ok: [] }), 'no');
      assert.equal(renderTemplate("[{{ 'yes' if ok }}]", { ok: {} }), '[]');
      assert.equal(
        renderTemplate('{% if a %}a{% elif b %}b{% else %}none{% endif %}', { a: {}, b: ['x'] }),
        'b',
      );
      assert.equal(renderTemplate("{{ l or 'empty' }} {{ 'x' and l }}", { l: [] }), 'empty []');
      assert.equal(renderTemplate('[{% if x is defined and x.y %}y{% endif %}]', {}), '[]');
    });

    it('compares with == and != on strings, as the thread_ts check does', function () {
      const template =
        '{% if state.slack.thread_ts and state.slack.thread_ts != "None" %}"thread_ts": "{{ state.slack.thread_ts }}"{% endif %}';
      assert.equal(
        renderTemplate(template, { state: { slack: { thread_ts: '1.2' } } }),
        '"thread_ts": "1.2"',
      );
      assert.equal(renderTemplate(template, { state: { slack: { thread_ts: 'None' } } }), '');
    });

    it('supports Python string methods and slices', function () {
      assert.equal(
        renderTemplate(
          "{{ s.strip().upper() }} {{ 'a,b'.split(',') }} {{ s.split() }} {{ 'abcd'[1:3] }} {{ l[-1] }}",
          {
            s: '  x y ',
            l: [1, 2],
          },
        ),
        "X Y ['a', 'b'] ['x', 'y'] bc 2",
      );
    });

    it('supports the built-ins the examples use: replace, range, default', function () {
      assert.equal(renderTemplate("{{ 'a-b-c' | replace('-', '_') }}", {}), 'a_b_c');
      assert.equal(renderTemplate('{% for i in range(3) %}{{ i }}{% endfor %}', {}), '012');
      assert.equal(renderTemplate("{{ missing | default('d') }}", {}), 'd');
    });

    it('applies the custom filters with keyword arguments', function () {
      assert.equal(
        renderTemplate('"text": "{{ msg | json_dumps(stripLeadingTrailingQuotes=True) }}"', {
          msg: 'say "hi"\n',
        }),
        '"text": "say \\"hi\\"\\n"',
      );
      assert.equal(renderTemplate('{{ d | tojson }}', { d: { b: 1, a: '<' } }), '{"a": "\\u003c", "b": 1}');
    });

    it('passes macro output to filters as text', function () {
      assert.equal(
        renderTemplate("{{ basicMacro('x') | json_dumps }}", withMacros),
        '"This is basicMacro! msg = x"',
      );
    });

    it('renders a template that emits template delimiters, as the choice generators do', function () {
      assert.equal(renderTemplate("{{'{{'}} echo('{{ v }}') {{'}}'}}", { v: 'a' }), "{{ echo('a') }}");
    });
  });
});
