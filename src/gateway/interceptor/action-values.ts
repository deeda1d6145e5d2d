import { isPlainObject } from '../../core/document';

// Where each kind of Block Kit element puts what the user picked, besides a button's `value`.
const SINGLE = [
  'selected_user',
  'selected_channel',
  'selected_conversation',
  'selected_date',
  'selected_time',
];
const MULTIPLE = ['selected_users', 'selected_channels', 'selected_conversations'];

/**
 * slack-payload-handler's `action_values`: each action's `value`, in order. It crashed on actions without a
 * string `value`; here a select menu gives its selected option's value (a multi-select one per option), other
 * pickers what they picked (user, channel, date…), and an action that carries nothing gives nothing.
 */
export function actionValues(payload: Record<string, unknown>): string[] {
  const actions = Array.isArray(payload['actions']) ? payload['actions'] : [];
  return actions.flatMap((action: unknown) => (isPlainObject(action) ? valuesOf(action) : []));
}

function valuesOf(action: Record<string, unknown>): string[] {
  if (typeof action['value'] === 'string') return [action['value']];
  const option = optionValue(action['selected_option']);
  if (option !== undefined) return [option];
  if (Array.isArray(action['selected_options'])) {
    return action['selected_options'].map(optionValue).filter((v): v is string => v !== undefined);
  }
  for (const key of SINGLE) if (typeof action[key] === 'string') return [action[key]];
  for (const key of MULTIPLE) {
    const picked = action[key];
    if (Array.isArray(picked)) return picked.filter((v): v is string => typeof v === 'string');
  }
  return [];
}

function optionValue(option: unknown): string | undefined {
  return isPlainObject(option) && typeof option['value'] === 'string' ? option['value'] : undefined;
}
