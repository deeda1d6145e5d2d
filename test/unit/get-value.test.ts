import assert from 'node:assert/strict';
import { formatGetOutput, getValue } from '../../src/compat/state/get-value';

describe('getValue and formatGetOutput', function () {
  const doc = {
    jinja2Macros: { byName: {}, all: '' },
    state: {
      greeting: 'hello {{ who }}',
      list: ['a', 'é'],
      obj: { b: 1, a: true },
      flag: false,
      zero: 0,
      n: 3,
    },
    pipelines: { 'event-handlers': { x: 1 } },
  };
  const get = (expression: string) =>
    formatGetOutput(getValue(doc, expression, () => ({ ...doc, who: 'ana' })));

  it('renders a string result as a template with the given context', function () {
    assert.equal(get('state.greeting'), 'hello ana');
  });

  it('prints lists as Python json.dumps does, and mappings as JSON in document order', function () {
    assert.equal(get('state.list'), '["a", "\\u00e9"]');
    assert.equal(get('state.obj'), '{"b": 1, "a": true}');
  });

  it('prints several matches as a list and True, numbers as Python does', function () {
    assert.equal(get('state.obj.*'), '[1, true]');
    assert.equal(get('state.obj.a'), 'True');
    assert.equal(get('state.n'), '3');
  });

  it('prints nothing for no match and for falsy values', function () {
    assert.equal(get('state.missing'), undefined);
    assert.equal(get('state.flag'), undefined);
    assert.equal(get('state.zero'), undefined);
  });

  it('does not build the template context when no string is rendered', function () {
    let built = false;
    getValue(doc, 'state.list', () => {
      built = true;
      return {};
    });
    assert.equal(built, false);
  });
});
