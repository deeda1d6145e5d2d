import { hasExpired } from './apply-click';
import { authorize, groupsToCheck } from './authorize';
import { inputsOf, type ChoiceInput } from './choice-inputs';
import type { ChoiceRecord, DecidedOption } from './choice-record';
import type { Click } from './click';
import { optionsOf, votesOf } from './read-choice';

/** The form a click opens: the option clicked, and what it asks for. */
export interface Dialog {
  choice: ChoiceRecord;
  option: DecidedOption & Record<string, unknown>;
  inputs: ChoiceInput[];
}

/**
 * The form to open for a click, when its option declares inputs and the kernel would take the user's vote on
 * it (apply-click.ts, without writing anything). Undefined otherwise: the click then goes the way of every
 * click, and the kernel answers it (already decided, not allowed, a redelivery...), so a form is never opened
 * for a choice that cannot take it. The user's Slack groups are a Slack call, not made here: a user the
 * allow-list names by group gets the form, and the submission is authorized in full.
 */
export function dialogFor(choice: ChoiceRecord, click: Click): Dialog | undefined {
  const option = optionsOf(choice).find((o) => o.value === click.value);
  const inputs = option ? inputsOf(option) : [];
  if (!option || inputs.length === 0) return undefined;
  if (choice.status !== 'open' || hasExpired(choice, click.at)) return undefined;
  // Taken as a member of the groups it would take a Slack call to check; the rest (the initiator) still counts.
  const groups = click.userGroups ?? groupsToCheck(choice, click.userId);
  if (authorize(choice, { ...click, userGroups: groups })) return undefined;
  const voted = votesOf(choice).some((v) => v.user === click.userId && v.value === click.value);
  return voted ? undefined : { choice, option, inputs };
}
