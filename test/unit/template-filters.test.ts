import assert from 'node:assert/strict';
import { renderTemplate } from '../../src/compat/template/render-template';
import { PYTHON_STRING_METHODS, TEMPLATE_FILTERS } from '../../src/compat/template/template-filters';

const render = (template: string, context: Record<string, unknown> = {}) => renderTemplate(template, context);
const filter = (name: string) => TEMPLATE_FILTERS[name] as (value: unknown, ...args: unknown[]) => unknown;
const keywords = (args: Record<string, unknown>) => ({ ...args, __keywords: true });

describe('template filters', function () {
  describe('tojson (Jinja2 built-in)', function () {
    it("sorts keys, escapes <, >, & and ' and is ASCII-only", function () {
      assert.equal(
        render('{{ v | tojson }}', { v: { z: "<a href='x'>&</a>", a: [true, null, 1.5], m: 'é' } }),
        '{"a": [true, null, 1.5], "m": "\\u00e9", "z": "\\u003ca href=\\u0027x\\u0027\\u003e\\u0026\\u003c/a\\u003e"}',
      );
    });

    it('indents when asked, positionally or by keyword', function () {
      assert.equal(filter('tojson')({ b: 1, a: 2 }, 2), '{\n  "a": 2,\n  "b": 1\n}');
      assert.equal(render('{{ v | tojson(indent=2) }}', { v: [1] }), '[\n  1\n]');
    });

    it('fails on an undefined value, as json.dumps does', function () {
      assert.equal(render('{{ missing | tojson }}'), '<jinja2 parse error> {{ missing | tojson }}');
    });
  });

  describe('json_dumps', function () {
    it('keeps key order', function () {
      assert.equal(render('{{ v | json_dumps }}', { v: { b: 1, a: 'x' } }), '{"b": 1, "a": "x"}');
    });

    it('strips the surrounding quotes with stripLeadingTrailingQuotes=True', function () {
      assert.equal(
        render(`{{ 'c:\\\\windowspath and "quotes"' | json_dumps(stripLeadingTrailingQuotes=True) }}`),
        'c:\\\\windowspath and \\"quotes\\"',
      );
    });

    it('takes indent and stripLeadingTrailingQuotes positionally too', function () {
      assert.equal(filter('json_dumps')('a\tb', null, true), 'a\\tb');
      assert.equal(filter('json_dumps')({ a: 1 }, 1), '{\n "a": 1\n}');
      assert.equal(filter('json_dumps')('x', keywords({ stripLeadingTrailingQuotes: false })), '"x"');
    });

    it('refuses unknown keyword arguments', function () {
      assert.throws(
        () => filter('json_dumps')('x', keywords({ strip: true })),
        /unexpected keyword argument 'strip'/,
      );
    });
  });

  describe('from_json', function () {
    it('parses JSON text', function () {
      assert.equal(render(`{{ ('{"a": [1, true]}' | from_json).a }}`), '[1, True]');
    });

    it('fails on text that is not JSON', function () {
      assert.equal(render("{{ 'nope' | from_json }}"), "<jinja2 parse error> {{ 'nope' | from_json }}");
    });
  });

  describe('to_nice_yaml', function () {
    it('dumps block-style YAML in key order', function () {
      assert.equal(render('{{ v | to_nice_yaml }}', { v: { b: 1, a: ['p', 'q'] } }), 'b: 1\na:\n- p\n- q\n');
    });

    it('sorts keys with sort_keys=True', function () {
      assert.equal(
        render('{{ v | to_nice_yaml(sort_keys=True) }}', { v: { b: 1, a: { d: 1, c: 2 } } }),
        'a:\n  c: 2\n  d: 1\nb: 1\n',
      );
    });
  });

  describe('kv_comma_pairs_to_json', function () {
    it('turns k=v pairs into a JSON object of strings', function () {
      assert.equal(render("{{ 'a=1,b=2' | kv_comma_pairs_to_json }}"), '{"a": "1", "b": "2"}');
    });

    it('skips empty and =-less items and keeps only the first piece after the key', function () {
      assert.equal(
        filter('kv_comma_pairs_to_json')('a=1,,novalue,b=2=3,=x'),
        '{"a": "1", "b": "2", "": "x"}',
      );
      assert.equal(filter('kv_comma_pairs_to_json')(''), '{}');
    });
  });

  describe('to_base64', function () {
    it('encodes the UTF-8 bytes with padding', function () {
      assert.equal(render("{{ 'héllo' | to_base64 }}"), 'aMOpbGxv');
      assert.equal(filter('to_base64')('a'), 'YQ==');
    });

    it('fails on a value that is not text', function () {
      assert.throws(() => filter('to_base64')(5), /expected a string/);
    });
  });
});

describe('Python string methods', function () {
  const call = (s: string, method: string, ...args: unknown[]) =>
    (PYTHON_STRING_METHODS[method] as (...a: unknown[]) => unknown).apply(s, args);

  it('split splits on whitespace by default, and honours maxsplit', function () {
    assert.deepEqual(call('  a b\t c  ', 'split'), ['a', 'b', 'c']);
    assert.deepEqual(call('a b  ', 'split', null, 1), ['a', 'b  ']);
    assert.deepEqual(call('a,b,c', 'split', ',', 1), ['a', 'b,c']);
    assert.deepEqual(call('', 'split'), []);
  });

  it('strip, lstrip and rstrip take optional characters', function () {
    assert.equal(call(' x ', 'strip'), 'x');
    assert.equal(call('xxaxx', 'strip', 'x'), 'a');
    assert.equal(call('xxaxx', 'lstrip', 'x'), 'axx');
    assert.equal(call('xxaxx', 'rstrip', 'x'), 'xxa');
  });

  it("split and strip without arguments use Python's whitespace, not JavaScript's", function () {
    assert.equal(call('\x1c\x85 x \u3000', 'strip'), 'x');
    assert.equal(call('\ufeffx', 'strip'), '\ufeffx');
    assert.equal(call('\x1fx ', 'lstrip'), 'x ');
    assert.equal(call(' x\x85', 'rstrip'), ' x');
    assert.deepEqual(call('a\x1eb\ufeffc', 'split'), ['a', 'b\ufeffc']);
  });

  it('replace replaces every occurrence, or count of them', function () {
    assert.equal(call('a-b-c', 'replace', '-', '+'), 'a+b+c');
    assert.equal(call('a-b-c', 'replace', '-', '+', 1), 'a+b-c');
  });

  it('startswith, endswith, find, join, upper and lower behave as in Python', function () {
    assert.equal(call('abc', 'startswith', ['x', 'a']), true);
    assert.equal(call('abc', 'endswith', 'bc'), true);
    assert.equal(call('abc', 'find', 'z'), -1);
    assert.equal(call(', ', 'join', ['a', 'b']), 'a, b');
    assert.equal(call('aB', 'upper'), 'AB');
    assert.equal(call('aB', 'lower'), 'ab');
  });
});
