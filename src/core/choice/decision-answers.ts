import type { ChoiceRecord, Decision } from './choice-record';
import { inputsOf } from './choice-inputs';
import { optionsOf } from './read-choice';

/** The decision's answers (its modal's inputs), labelled as the option's inputs declare them, in their order. */
export function decisionAnswers(
  choice: ChoiceRecord,
  decision: Decision,
): { label: string; value: string }[] {
  const option = optionsOf(choice).find((o) => o.value === decision.option.value);
  const given: Record<string, unknown> = decision.inputs ?? {};
  return (option ? inputsOf(option) : []).map((input) => {
    const value = given[input.name];
    return { label: input.label, value: typeof value === 'string' ? value : '' };
  });
}
