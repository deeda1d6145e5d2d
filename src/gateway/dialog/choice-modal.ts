import type { ChoiceInput } from '../../core/choice/choice-inputs';
import type { Dialog } from '../../core/choice/dialog-for';
import { isPlainObject } from '../../core/document';

/** The callback_id of every modal slackline opens for an option's inputs: the view listener matches on it. */
export const CHOICE_INPUTS_CALLBACK = 'slackline-choice-inputs';
/** The one element of each input block. */
const ACTION_ID = 'value';
/** Slack's limits: a modal's title and buttons 24 characters, private_metadata 3000, a section's text 3000. */
const MAX_TITLE = 24;
const MAX_METADATA = 3000;
const MAX_SECTION = 3000;

/**
 * What a modal carries to its submission: which choice, option and message it was opened for. It comes back
 * from Slack as text anyone could have written, so it only says where to look: the submission is re-resolved
 * through the message index and the document, and authorized there (dialog-submission.ts, the kernel).
 */
export interface DialogTarget {
  contextId: string;
  choiceId: string;
  value: string;
  channel: string;
  messageTs: string;
}

/** The input block of one input: its block_id is what errors and submitted values are keyed by. */
export function blockIdOf(name: string): string {
  return `input:${name}`;
}

/** The modal for a dialog, or undefined when its target does not fit in private_metadata. */
export function choiceModal(dialog: Dialog, target: DialogTarget): Record<string, unknown> | undefined {
  const metadata = JSON.stringify(target);
  if (metadata.length > MAX_METADATA) return undefined;
  const title = String(dialog.choice.title ?? '');
  return {
    type: 'modal',
    callback_id: CHOICE_INPUTS_CALLBACK,
    private_metadata: metadata,
    // Every text is plain_text: titles and labels come from templates and data, never read as mrkdwn here.
    title: plain(clip(dialog.option.text || 'slackline', MAX_TITLE)),
    submit: plain('Submit'),
    close: plain('Cancel'),
    // A closed modal changes nothing, so Slack need not say it was closed.
    notify_on_close: false,
    blocks: [
      ...(title === '' ? [] : [{ type: 'section', text: plain(clip(title, MAX_SECTION)) }]),
      ...dialog.inputs.map(inputBlock),
    ],
  };
}

function inputBlock(input: ChoiceInput): Record<string, unknown> {
  const element =
    input.type === 'select'
      ? {
          type: 'static_select',
          action_id: ACTION_ID,
          placeholder: plain('Choose'),
          options: input.options.map((o) => ({ text: plain(o.text), value: o.value })),
        }
      : {
          type: 'plain_text_input',
          action_id: ACTION_ID,
          multiline: input.type === 'multiline',
          ...(input.maxLength === null ? {} : { max_length: input.maxLength }),
        };
  return {
    type: 'input',
    block_id: blockIdOf(input.name),
    optional: !input.required,
    label: plain(input.label),
    element,
  };
}

/** The target a submitted view names, if its private_metadata reads as one. */
export function dialogTargetOf(view: unknown): DialogTarget | undefined {
  const raw = isPlainObject(view) ? view['private_metadata'] : undefined;
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed)) return undefined;
  const keys = ['contextId', 'choiceId', 'value', 'channel', 'messageTs'] as const;
  if (!keys.every((key) => typeof parsed[key] === 'string' && parsed[key] !== '')) return undefined;
  return Object.fromEntries(keys.map((key) => [key, parsed[key]])) as unknown as DialogTarget;
}

/**
 * The answers in a submitted view's state, by input name: a text field's `value`, a select's selected option's
 * value; what Slack sent as null or left out is absent.
 */
export function submittedValues(view: unknown): Record<string, string> {
  const state = isPlainObject(view) && isPlainObject(view['state']) ? view['state'] : {};
  const values = isPlainObject(state['values']) ? state['values'] : {};
  const answers: Record<string, string> = {};
  for (const [blockId, block] of Object.entries(values)) {
    if (!blockId.startsWith('input:') || !isPlainObject(block)) continue;
    const element = block[ACTION_ID];
    if (!isPlainObject(element)) continue;
    const selected = isPlainObject(element['selected_option'])
      ? element['selected_option']['value']
      : undefined;
    const value = element['type'] === 'static_select' ? selected : element['value'];
    if (typeof value === 'string') answers[blockId.slice('input:'.length)] = value;
  }
  return answers;
}

function plain(text: string): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text };
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
