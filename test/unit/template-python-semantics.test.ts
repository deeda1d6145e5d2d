import assert from 'node:assert/strict';
import { renderTemplate, TEMPLATE_ERROR_PREFIX } from '../../src/compat/template/render-template';
import { parseYaml } from '../../src/compat/yaml/yaml';

/**
 * The items of issue 12 that rendered other text than Jinja2, with Jinja2 3.1's output for each (the
 * differential suite checks these and hundreds more against Jinja2 itself when python3 is there).
 */
const context = parseYaml(`
state:
  w: 2.0
  n: 7
  items: 5
  list: [3, 1, 2, 1]
  prices: [{v: 1}, {v: 2}, {v: 3}]
  users: [{name: ann, age: 31, team: a}, {name: bob, age: 25, team: b}, {name: cyd, age: 40, team: a}]
  mapping: {b: 2, a: 1}
`) as Record<string, unknown>;

function renders(template: string, expected: string): void {
  assert.equal(renderTemplate(template, context), expected, template);
}

function fails(template: string): void {
  assert.equal(renderTemplate(template, context), TEMPLATE_ERROR_PREFIX + template, template);
}

describe('templates with Python semantics (Jinja2 output)', function () {
  it('has the standard filters and tests (item 3)', function () {
    renders('{{ state.list|count }} {{ state.list|min }} {{ state.list|max }}', '4 1 3');
    renders("{{ state.users|map(attribute='name')|join(',') }}", 'ann,bob,cyd');
    renders('{{ state.list|unique|list }}', '[3, 1, 2]');
    renders("{{ 'the quick brown fox'|wordwrap(9) }}", 'the quick\nbrown fox');
    renders("{{ '%s-%s'|format('a', 1) }}", 'a-1');
    renders("{{ state.users|sort(attribute='age')|map(attribute='name')|list }}", "['bob', 'ann', 'cyd']");
    renders("{{ state.users|selectattr('age', 'gt', 30)|map(attribute='name')|list }}", "['ann', 'cyd']");
    renders('{{ 10 is divisibleby 5 }} {{ state.n is divisibleby(2) }}', 'True False');
    renders('{% with x = 41 %}{{ x + 1 }}{% endwith %}[{{ x }}]', '42[]');
  });

  it('gives the right values where it gave wrong ones (item 4)', function () {
    renders("{{ state.prices|sum(attribute='v') }}", '6');
    renders("{{ state.prices|rejectattr('v', 'eq', 2)|list }}", "[{'v': 1}, {'v': 3}]");
    renders("{{ 'x'|int }} {{ '42'|int }} {{ '4.7'|int }}", '0 42 4');
    renders(
      "{{ 'abcdefghijklmnopqrstuvwxyz'|truncate(8) }}|{{ 'hello world foo'|truncate(13) }}",
      'abcde...|hello world foo',
    );
    renders("{{ '😀'|length }} {{ 'héllo'|length }}", '1 5');
  });

  it('computes with Python numbers (item 5)', function () {
    renders('{{ 1e3 }} {{ 1e-7 }} {{ 0.000001 }} {{ 1_000 }} {{ 1.0 }}', '1000.0 1e-07 1e-06 1000 1.0');
    renders("{{ 'ab' * 3 }} {{ '%s' % 1 }} {{ '%05.2f|%x' % (3.14159, 255) }}", 'ababab 1 03.14|ff');
    renders('{{ 2 ** 64 }} {{ 123456789012345678 + 1 }}', '18446744073709551616 123456789012345679');
    renders('{{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ state.w + 1 }}', '2.0 3 -4 2 3.0');
    fails('{{ 1 / 0 }}');
    fails('{{ 1 + "a" }}');
    fails("{{ 'a' < 1 }}");
  });

  it('prints tuples as Python does (item 6)', function () {
    renders("{{ (1, 2) }} {{ (1,) }} {{ () }} {{ ('a', None) }}", "(1, 2) (1,) () ('a', None)");
    renders('{{ state.mapping|dictsort }}', "[('a', 1), ('b', 2)]");
    renders('{{ state.mapping.items()|list }}', "[('b', 2), ('a', 1)]");
    renders(
      "{{ state.users|groupby('team')|map(attribute='grouper')|list }} {% for t, m in state.users|groupby('team') %}{{ t }}{{ m|length }}{% endfor %}",
      "['a', 'b'] a2b1",
    );
  });

  it('compares lists and mappings deeply, and never text with numbers (item 7)', function () {
    renders(
      "{{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} {{ 1 == '1' }} {{ 1 == 1.0 }}",
      'True True False True',
    );
    renders('{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }}', 'True False');
  });

  it("looks up a data key named items with d['items'], the method with d.items() (item 9)", function () {
    renders("{{ state['items'] }} {{ state.mapping.items()|list|length }}", '5 2');
    fails('{{ state.items }}');
  });

  it('balances braces as Jinja2 does: the expression ends at the last }}', function () {
    renders("{{ {'a': {'b': 1}} }}", "{'a': {'b': 1}}");
  });

  it('keeps a {% set %} inside a loop in the loop, as Jinja2 scopes it', function () {
    renders(
      '{% set total = 0 %}{% for p in state.prices %}{% set total = total + p.v %}{% endfor %}{{ total }}',
      '0',
    );
    renders('{% for u in state.users if u.age > 30 %}{{ u.name }} {% endfor %}', 'ann cyd ');
  });
});
