import { inputErrors, inputsOf } from '../../core/choice/choice-inputs';
import { findChoiceByMessage, optionsOf } from '../../core/choice/read-choice';
import { isPlainObject } from '../../core/document';
import type { SlackClick } from '../click/slack-click';
import type { GatewayEnv } from '../gateway-env';
import { blockIdOf, dialogTargetOf, submittedValues, type DialogTarget } from './choice-modal';
import { within } from './within';

/** How long the submission's own request may spend reading the declarations it checks the answers against. */
const CHECK_WITHIN_MS = 1500;

/** A `response_action: errors` answer: what to show under which input block of the modal. */
export interface SubmissionErrors {
  response_action: 'errors';
  errors: Record<string, string>;
}

/**
 * A modal's submission, checked in its own request against what the document declares for the option (never
 * against the modal, which came back from Slack): answers the inputs do not accept are shown in the modal, and
 * nothing is logged or decided. Undefined when the answers are acceptable: the submission then goes to the
 * intake log like a click, and is decided and authorized there (the kernel checks the answers again).
 */
export async function checkSubmission(
  env: GatewayEnv,
  body: Record<string, unknown>,
): Promise<SubmissionErrors | undefined> {
  const view = body['view'];
  const answers = submittedValues(view);
  const target = dialogTargetOf(view);
  const first = firstBlockOf(view);
  const general = (text: string): SubmissionErrors | undefined =>
    first ? { response_action: 'errors', errors: { [first]: text } } : undefined;
  if (!target) return general('slackline cannot read which choice this form is for.');
  let declared;
  try {
    declared = await within(CHECK_WITHIN_MS, declaredInputs(env, target));
  } catch (error) {
    env.logger.warn(`could not check a form's answers: ${(error as Error).message}`);
    return general('slackline could not reach its state store: submit again in a moment.');
  }
  if (!declared) return general('The choice this form was opened for is no longer on its message.');
  const errors = inputErrors(declared, answers);
  const wrong = Object.entries(errors);
  if (wrong.length === 0) return undefined;
  return {
    response_action: 'errors',
    errors: Object.fromEntries(wrong.map(([name, text]) => [blockIdOf(name), text])),
  };
}

/** The inputs the document declares for the target's option, found as a click is: through the message index. */
async function declaredInputs(env: GatewayEnv, target: DialogTarget) {
  const contextId = await env.store.findMessage?.(target.channel, target.messageTs);
  if (contextId !== target.contextId) return undefined;
  const doc = await env.store.load(contextId);
  const choice = doc && findChoiceByMessage(doc, target.channel, target.messageTs);
  if (!choice || choice.id !== target.choiceId) return undefined;
  const option = optionsOf(choice).find((o) => o.value === target.value);
  const inputs = option ? inputsOf(option) : [];
  return inputs.length > 0 ? inputs : undefined;
}

/**
 * A submission as the intake worker decides it: a click on the option the modal was opened for, with the
 * answers. Undefined when the payload lacks what that needs.
 */
export function submissionClick(body: Record<string, unknown>): SlackClick | undefined {
  if (body['type'] !== 'view_submission') return undefined;
  const view = body['view'];
  const target = dialogTargetOf(view);
  const user = isPlainObject(body['user']) ? body['user'] : {};
  const team = isPlainObject(body['team']) ? body['team'] : {};
  const userId = text(user['id']);
  if (!target || !userId) return undefined;
  return {
    type: 'view_submission',
    value: target.value,
    userId,
    userName: text(user['name']),
    username: text(user['username']),
    teamId: text(team['id']) ?? text(user['team_id']),
    channelId: target.channel,
    messageTs: target.messageTs,
    threadTs: null,
    responseUrl: null,
    triggerId: text(body['trigger_id']),
    message: null,
    inputs: submittedValues(view),
    choiceId: target.choiceId,
  };
}

function firstBlockOf(view: unknown): string | undefined {
  const blocks = isPlainObject(view) && Array.isArray(view['blocks']) ? view['blocks'] : [];
  const input = blocks.find(
    (b) => isPlainObject(b) && b['type'] === 'input' && typeof b['block_id'] === 'string',
  );
  return isPlainObject(input) ? (input['block_id'] as string) : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
