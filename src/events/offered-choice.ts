import { randomUUID } from 'node:crypto';
import { parseChoiceInputs } from '../core/choice/choice-inputs';
import type { ChoiceRecord } from '../core/choice/choice-record';
import { isPlainObject } from '../core/document';
import { SlacklineError } from '../core/errors';
import { deadlineLadder, durationMs } from './deadline-ladder';

/** Where offered choices live in the context document: `state.offeredChoices.<id>`. */
export const OFFERED_CHOICES_PATH = 'state.offeredChoices';

/** One button of an offered choice. Extra option keys from the config are kept for the gateway. */
export type OfferedOption = ChoiceRecord['options'][number];

/**
 * What a manual-choice offered, recorded for the gateway to resolve clicks against (the gateway's ChoiceRecord,
 * as it is when posted): the message it is on, who may choose, how many distinct approvers are needed, when it
 * expires; the gateway fills in the votes and the decision.
 */
export type OfferedChoice = ChoiceRecord & { status: 'open'; votes: []; decision: null };

export interface OfferedChoiceInput {
  pipeline: string;
  event: string;
  handler: string;
  title: string;
  choices: Record<string, unknown>;
  /** The handler's config: the optional authorization and expiry keys. */
  config: Record<string, unknown>;
  /** The rendered `initiator` key, if any. */
  initiator: string | null;
  /** Slack's chat.postMessage answer. */
  answer: Record<string, unknown>;
  now: Date;
}

export function offeredChoice(input: OfferedChoiceInput): OfferedChoice {
  const { config, answer } = input;
  const message = isPlainObject(answer['message']) ? answer['message'] : {};
  const options = offeredOptions(input.choices, `manual-choice ${input.handler}`);
  const allowedUsers = textList(config['allowed-users'], 'allowed-users');
  const allowedGroups = textList(config['allowed-groups'], 'allowed-groups');
  const expiresIn = hasValue(config['expires-in'])
    ? durationMs(config['expires-in'], 'expires-in')
    : undefined;
  const deadlines = deadlineLadder(config['deadlines'], {
    now: input.now,
    optionValues: options.map((o) => o.value),
    valuesWithInputs: options
      .filter((o) => Array.isArray(o['inputs']) && o['inputs'].length > 0)
      .map((o) => o.value),
    restricted: allowedUsers.length + allowedGroups.length > 0,
    expiresInMs: expiresIn,
  });
  // An expire step is the choice's expiry: a click after it is refused even before the worker gets to it.
  const expireStep = deadlines?.find((s) => s.action === 'expire');
  return {
    id: randomUUID(),
    pipeline: input.pipeline,
    event: input.event,
    handler: input.handler,
    title: input.title,
    route: textOrNull(config['route']),
    options,
    channel: textOrNull(answer['channel']),
    messageTs: textOrNull(answer['ts']),
    threadTs: textOrNull(message['thread_ts']),
    postedAt: input.now.toISOString(),
    allowedUsers,
    allowedGroups,
    approvalsNeeded: positiveInteger(config['approvals-needed'] ?? 1),
    excludeInitiator: config['exclude-initiator'] === true,
    initiator: input.initiator,
    expiresAt:
      expiresIn === undefined
        ? (expireStep?.at ?? null)
        : new Date(input.now.getTime() + expiresIn).toISOString(),
    status: 'open',
    votes: [],
    decision: null,
    ...(deadlines ? { deadlines } : {}),
  };
}

/** The options of every choice group, flat; throws on an option whose `inputs` are declared wrong. */
export function offeredOptions(choices: Record<string, unknown>, purpose: string): OfferedOption[] {
  return Object.entries(choices).flatMap(([group, choice]) => {
    if (!isPlainObject(choice) || !Array.isArray(choice['options'])) return [];
    const header = typeof choice['header'] === 'string' ? choice['header'] : '';
    return choice['options'].filter(isPlainObject).map((option) => {
      const text = String(option['text'] ?? '');
      const inputs = parseChoiceInputs(option['inputs'], `${purpose}: option "${text}" of ${group}`);
      return {
        ...option,
        group,
        header,
        text,
        value: String(option['value'] ?? ''),
        style: typeof option['style'] === 'string' ? option['style'] : null,
        ...(inputs.length > 0 ? { inputs } : {}),
      };
    });
  });
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function textList(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new SlacklineError(`manual-choice ${key} must be a list of Slack ids`);
  }
  return value;
}

function positiveInteger(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new SlacklineError(`manual-choice approvals-needed must be 1 or more`);
  return n;
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
