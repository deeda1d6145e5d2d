import assert from 'node:assert/strict';
import { renderPlainText } from '../../src/compat/template/plain-template';

const WAVE = '{%- macro wave(name) -%}\n  Hello {{ name }}\n{%- endmacro -%}\n';
const PREFIXES = [
  '',
  WAVE,
  `${WAVE}\n\n{%- macro shout(x) -%}{{ x | upper }}!{%- endmacro -%}`,
  '{% macro plain() %}x{% endmacro %}\n', // outputs the newline after it
  '{# a comment #}{%- macro c() -%}c{%- endmacro -%}',
  'text before {%- macro d() -%}d{%- endmacro -%}',
];
describe('plain text renders without the template engine', function () {
  it('answers for plain values under macro definitions, and leaves markup and other prefixes to the engine', function () {
    assert.equal(renderPlainText('v1.2.3\r\n', WAVE), 'v1.2.3');
    assert.equal(renderPlainText('{"a": 1}', PREFIXES[2] as string), '{"a": 1}');
    assert.equal(renderPlainText('{{ x }}', ''), undefined);
    assert.equal(renderPlainText('a {% if %}', ''), undefined);
    assert.equal(renderPlainText('a {# c #}', ''), undefined);
    assert.equal(renderPlainText(' leading space', WAVE), undefined);
    for (const prefix of PREFIXES.slice(3)) assert.equal(renderPlainText('v', prefix), undefined, prefix);
  });
});
