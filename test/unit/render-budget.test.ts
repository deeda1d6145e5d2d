import assert from 'node:assert/strict';
import {
  configureRenderBudget,
  DEFAULT_RENDER_BUDGET,
  RenderBudgetError,
} from '../../src/compat/template/render-budget';
import { renderTemplate } from '../../src/compat/template/render-template';

describe('the render budget', function () {
  afterEach(() => configureRenderBudget({}));

  // A loop over range(n) costs 2n: n items built, n iterations run.
  it('fails, rather than renders as an error string, a template past the loop limit', function () {
    configureRenderBudget({ iterations: 200 });
    assert.equal(
      renderTemplate('{% for i in range(10) %}{% for j in range(9) %}{% endfor %}{% endfor %}', {}),
      '',
    );
    assert.throws(
      () => renderTemplate('{% for i in range(10) %}{% for j in range(10) %}.{% endfor %}{% endfor %}', {}),
      (error: unknown) =>
        error instanceof RenderBudgetError && /past 200 loop iterations/.test(error.message),
    );
  });

  it('counts range() items and repeated text before they are built', function () {
    configureRenderBudget({ iterations: 1000 });
    assert.throws(() => renderTemplate('{{ range(5000)|length }}', {}), RenderBudgetError);
    assert.throws(() => renderTemplate("{{ 'ab' * 600 }}", {}), RenderBudgetError);
    assert.equal(renderTemplate("{{ 'ab' * 400 }}", {}).length, 800);
  });

  it('fails a render past its time limit', function () {
    configureRenderBudget({ timeMs: 20, iterations: 1e12 });
    const started = Date.now();
    assert.throws(
      () =>
        renderTemplate(
          '{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}',
          {},
        ),
      (error: unknown) => error instanceof RenderBudgetError && /more than 20 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 2000);
  });

  it('starts each render with the whole budget', function () {
    configureRenderBudget({ iterations: 150 });
    for (let i = 0; i < 5; i++)
      assert.equal(renderTemplate('{% for i in range(60) %}{% endfor %}x', {}), 'x');
    assert.deepEqual(DEFAULT_RENDER_BUDGET, { timeMs: 2000, iterations: 1_000_000 });
  });
});
