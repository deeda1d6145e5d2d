import { isPlainObject } from '../document';
import { SlacklineError } from '../errors';

/**
 * What an option of a manual-choice may ask for before it counts: the gateway opens a Slack modal with one
 * field per input when the option is clicked, and decides only on a submission these accept. The declarations
 * are parsed from the config when the choice is offered (parseChoiceInputs, which refuses a bad one with a
 * clear error) and read back from the record (inputsOf) for the modal and for validation.
 */
export interface ChoiceInput {
  /** the key of the answer: `inputs.<name>` in the forwarded event */
  name: string;
  type: ChoiceInputType;
  label: string;
  required: boolean;
  /** a JavaScript regular expression the whole answer must match, when one is given */
  pattern: string | null;
  maxLength: number | null;
  /** a select's choices (empty for the text types) */
  options: { text: string; value: string }[];
}

export type ChoiceInputType = 'text' | 'multiline' | 'select';
const TYPES: readonly ChoiceInputType[] = ['text', 'multiline', 'select'];

/** The answers of one submission, by input name. */
export type InputValues = Record<string, string>;

/** Slack's own limits on what a modal may hold (Block Kit reference: input blocks, plain_text_input). */
const MAX_INPUTS = 20;
const MAX_LABEL = 2000;
const MAX_TEXT_LENGTH = 3000;
const MAX_SELECT_OPTIONS = 100;
const MAX_OPTION_TEXT = 75;
const MAX_OPTION_VALUE = 150;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** The `inputs` of an option in the config, checked and normalized; `where` names it in errors. */
export function parseChoiceInputs(raw: unknown, where: string): ChoiceInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new SlacklineError(`${where}: inputs must be a list`);
  if (raw.length > MAX_INPUTS) throw new SlacklineError(`${where}: at most ${MAX_INPUTS} inputs`);
  const seen = new Set<string>();
  return raw.map((entry, index) => {
    const input = parseInput(entry, `${where}: inputs[${index}]`);
    if (seen.has(input.name)) throw new SlacklineError(`${where}: two inputs are named "${input.name}"`);
    seen.add(input.name);
    return input;
  });
}

function parseInput(raw: unknown, where: string): ChoiceInput {
  if (!isPlainObject(raw)) throw new SlacklineError(`${where} must be a mapping with name, label and type`);
  const name = raw['name'];
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new SlacklineError(
      `${where}: name must be a letter then letters, digits or _ (at most 64), got ${JSON.stringify(name)}`,
    );
  }
  const at = `${where} (${name})`;
  const type = raw['type'] ?? 'text';
  if (typeof type !== 'string' || !TYPES.includes(type as ChoiceInputType)) {
    throw new SlacklineError(`${at}: type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  const label = raw['label'];
  if (typeof label !== 'string' || label.trim() === '' || label.length > MAX_LABEL) {
    throw new SlacklineError(`${at}: label must be a text of 1 to ${MAX_LABEL} characters`);
  }
  const required = raw['required'] ?? false;
  if (typeof required !== 'boolean') throw new SlacklineError(`${at}: required must be true or false`);
  return {
    name,
    type: type as ChoiceInputType,
    label,
    required,
    pattern: patternOf(raw['pattern'], at),
    maxLength: maxLengthOf(raw['max-length'], at),
    options: type === 'select' ? selectOptions(raw['options'], at) : noOptions(raw['options'], at),
  };
}

function patternOf(raw: unknown, at: string): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || raw === '') throw new SlacklineError(`${at}: pattern must be a text`);
  try {
    new RegExp(raw, 'u');
  } catch (error) {
    throw new SlacklineError(`${at}: pattern is not a regular expression (${(error as Error).message})`);
  }
  return raw;
}

function maxLengthOf(raw: unknown, at: string): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_TEXT_LENGTH) {
    throw new SlacklineError(`${at}: max-length must be a whole number from 1 to ${MAX_TEXT_LENGTH}`);
  }
  return raw;
}

function noOptions(raw: unknown, at: string): [] {
  if (raw !== undefined && raw !== null) throw new SlacklineError(`${at}: only a select has options`);
  return [];
}

/** A select's options: texts (each its own value) or `{text, value}`. */
function selectOptions(raw: unknown, at: string): ChoiceInput['options'] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SELECT_OPTIONS) {
    throw new SlacklineError(`${at}: a select needs options, a list of 1 to ${MAX_SELECT_OPTIONS}`);
  }
  const options = raw.map((entry) => {
    const option =
      typeof entry === 'string' ? { text: entry, value: entry } : isPlainObject(entry) ? entry : {};
    const { text, value } = option as Record<string, unknown>;
    if (typeof text !== 'string' || text === '' || text.length > MAX_OPTION_TEXT) {
      throw new SlacklineError(`${at}: each option needs a text of 1 to ${MAX_OPTION_TEXT} characters`);
    }
    if (typeof value !== 'string' || value === '' || value.length > MAX_OPTION_VALUE) {
      throw new SlacklineError(`${at}: each option needs a value of 1 to ${MAX_OPTION_VALUE} characters`);
    }
    return { text, value };
  });
  if (new Set(options.map((o) => o.value)).size !== options.length) {
    throw new SlacklineError(`${at}: two options have the same value`);
  }
  return options;
}

/**
 * The inputs an option of a record declares. The record was written by parseChoiceInputs, but it went through
 * YAML and may have been edited by hand: what cannot be read is left out, so a damaged declaration asks for
 * less, never decides on an answer it cannot check.
 */
export function inputsOf(option: Record<string, unknown>): ChoiceInput[] {
  const raw = option['inputs'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isPlainObject).flatMap((input): ChoiceInput[] => {
    const name = input['name'];
    const type = input['type'];
    if (typeof name !== 'string' || !NAME.test(name) || !TYPES.includes(type as ChoiceInputType)) return [];
    const options = Array.isArray(input['options'])
      ? input['options']
          .filter(isPlainObject)
          .map((o) => ({ text: String(o['text'] ?? ''), value: String(o['value'] ?? '') }))
          .filter((o) => o.value !== '')
      : [];
    const maxLength = Number(input['maxLength']);
    return [
      {
        name,
        type: type as ChoiceInputType,
        label: typeof input['label'] === 'string' && input['label'] !== '' ? input['label'] : name,
        required: input['required'] === true,
        pattern: typeof input['pattern'] === 'string' && input['pattern'] !== '' ? input['pattern'] : null,
        maxLength: Number.isInteger(maxLength) && maxLength >= 1 ? maxLength : null,
        options,
      },
    ];
  });
}

/** What is wrong with each answer, by input name; empty when every answer is acceptable. */
export function inputErrors(inputs: readonly ChoiceInput[], values: InputValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const input of inputs) {
    const problem = inputError(input, cleaned(input, values[input.name]));
    if (problem) errors[input.name] = problem;
  }
  return errors;
}

/** Every declared input's answer, "" when none was given; nothing that was not declared. */
export function acceptedValues(inputs: readonly ChoiceInput[], values: InputValues): InputValues {
  return Object.fromEntries(inputs.map((input) => [input.name, cleaned(input, values[input.name])]));
}

/** Text is taken without the blanks around it, so an answer of spaces is no answer. */
function cleaned(input: ChoiceInput, value: unknown): string {
  if (typeof value !== 'string') return '';
  return input.type === 'select' ? value : value.trim();
}

function inputError(input: ChoiceInput, value: string): string | undefined {
  if (value === '') return input.required ? 'This is required.' : undefined;
  if (input.type === 'select') {
    return input.options.some((o) => o.value === value) ? undefined : 'Pick one of the options.';
  }
  if (input.maxLength !== null && [...value].length > input.maxLength) {
    return `At most ${input.maxLength} characters, please.`;
  }
  if (input.pattern !== null && !fullMatch(input.pattern, value)) {
    return `This does not have the expected form (${input.pattern}).`;
  }
  return undefined;
}

/** The pattern must match the whole answer; one that no longer compiles accepts nothing. */
function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return false;
  }
}
