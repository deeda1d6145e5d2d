import assert from 'node:assert/strict';
import { actionValues } from '../../src/gateway/interceptor/action-values';

describe("actionValues: slack-payload-handler's action_values, for every kind of action", function () {
  it("lists buttons' values in order, as slack-payload-handler did", function () {
    const payload = {
      actions: [
        { type: 'button', value: 'deploy-v1-app|e30=' },
        { type: 'button', value: 'x' },
      ],
    };
    assert.deepEqual(actionValues(payload), ['deploy-v1-app|e30=', 'x']);
  });

  it("takes a select menu's option, a multi-select's options and what other pickers picked", function () {
    const payload = {
      actions: [
        { type: 'static_select', selected_option: { value: 'staging' } },
        { type: 'multi_static_select', selected_options: [{ value: 'a' }, { text: {} }, { value: 'b' }] },
        { type: 'users_select', selected_user: 'U1' },
        { type: 'multi_channels_select', selected_channels: ['C1', 'C2'] },
        { type: 'timepicker', selected_time: '10:30' },
      ],
    };
    assert.deepEqual(actionValues(payload), ['staging', 'a', 'b', 'U1', 'C1', 'C2', '10:30']);
  });

  it('gives nothing for an action without a value, no actions, or actions that are not a list', function () {
    assert.deepEqual(actionValues({ actions: [{ type: 'button' }, null, 'text'] }), []);
    assert.deepEqual(actionValues({ actions: [] }), []);
    assert.deepEqual(actionValues({ type: 'view_submission' }), []);
    assert.deepEqual(actionValues({ actions: { value: 'x' } }), []);
  });
});
