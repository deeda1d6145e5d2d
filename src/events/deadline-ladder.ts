import type { DeadlineStep } from '../core/choice/choice-record';
import { isPlainObject } from '../core/document';
import { SlacklineError } from '../core/errors';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** A manual-choice duration: seconds, or a number with s, m, h or d ("30m", "2h"); `key` names it in errors. */
export function durationMs(value: unknown, key: string): number {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(String(value));
  if (!match)
    throw new SlacklineError(`manual-choice ${key} must be like 90, 30m, 2h or 1d, got "${String(value)}"`);
  return Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] as number) * 1000;
}

export interface LadderInput {
  /** when the choice was offered: every step's `after` counts from it */
  now: Date;
  /** the values of the options offered, as rendered */
  optionValues: readonly string[];
  /** the values of the options that ask for inputs in a modal, which a deadline cannot give */
  valuesWithInputs?: readonly string[];
  /** whether the choice has allow-lists at all (escalating an open choice would narrow it instead) */
  restricted: boolean;
  /** `expires-in`, when given: steps must come before it, and no step may be a deadline of its own */
  expiresInMs: number | undefined;
}

const ACTIONS = ['remind', 'escalate', 'default', 'expire'] as const;
const SHAPE = 'each step is {after: <duration>, and one of remind, escalate, default or expire}';

/**
 * The `deadlines` key of a manual-choice, as the steps its record keeps, each due at an absolute time: the worker
 * then needs nothing but the record. Anything it cannot be sure of is an error naming the step, before the
 * choice is recorded, rather than a ladder that silently does less than it says.
 */
export function deadlineLadder(value: unknown, input: LadderInput): DeadlineStep[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0)
    throw new SlacklineError(`manual-choice deadlines must be a list of steps: ${SHAPE}`);
  let previous = 0;
  const steps = value.map((raw, i) => {
    const name = `deadlines step ${i + 1}`;
    if (!isPlainObject(raw)) throw new SlacklineError(`manual-choice ${name} is not a mapping: ${SHAPE}`);
    const actions = ACTIONS.filter((a) => Object.hasOwn(raw, a));
    const unknown = Object.keys(raw).filter(
      (k) => k !== 'after' && !(ACTIONS as readonly string[]).includes(k),
    );
    const problem =
      unknown.length > 0
        ? `has unknown keys ${unknown.join(', ')}`
        : !Object.hasOwn(raw, 'after')
          ? 'has no after'
          : actions.length !== 1
            ? `has ${actions.length === 0 ? 'no action' : `${actions.length} actions`}`
            : undefined;
    if (problem) throw new SlacklineError(`manual-choice ${name} ${problem}: ${SHAPE}`);
    const afterMs = durationMs(raw['after'], `${name} after`);
    if (afterMs < previous)
      throw new SlacklineError(
        `manual-choice ${name} comes after a later one: list the steps in order of after`,
      );
    previous = afterMs;
    if (input.expiresInMs !== undefined && afterMs >= input.expiresInMs)
      throw new SlacklineError(
        `manual-choice ${name} is due when the choice has expired (expires-in): use an expire step instead of expires-in`,
      );
    const at = new Date(input.now.getTime() + afterMs).toISOString();
    return stepOf(actions[0] as (typeof ACTIONS)[number], raw, at, name, input);
  });
  const terminal = steps.findIndex((s) => s.action === 'default' || s.action === 'expire');
  if (terminal !== -1 && terminal !== steps.length - 1)
    throw new SlacklineError(
      `manual-choice deadlines step ${terminal + 1} (${steps[terminal]?.action}) closes the choice, so it must be the last step`,
    );
  return steps;
}

function stepOf(
  action: (typeof ACTIONS)[number],
  raw: Record<string, unknown>,
  at: string,
  name: string,
  input: LadderInput,
): DeadlineStep {
  const given = raw[action];
  switch (action) {
    case 'remind':
      if (given === true) return { at, action };
      if (typeof given === 'string' && given.trim() !== '') return { at, action, note: given.trim() };
      throw new SlacklineError(`manual-choice ${name} remind must be true or a note to add to the reminder`);
    case 'expire':
      if (given !== true) throw new SlacklineError(`manual-choice ${name} expire must be true`);
      return { at, action };
    case 'default': {
      const value = typeof given === 'string' || typeof given === 'number' ? String(given) : undefined;
      if (value === undefined || !input.optionValues.includes(value))
        throw new SlacklineError(
          `manual-choice ${name} default must be the value of one of the options (${input.optionValues.map((v) => `"${v}"`).join(', ')}), got ${JSON.stringify(given)}`,
        );
      if (input.valuesWithInputs?.includes(value))
        throw new SlacklineError(
          `manual-choice ${name} default "${value}" is an option that asks for inputs, which no one gives when the deadline decides: choose an option without inputs`,
        );
      return { at, action, value };
    }
    case 'escalate': {
      if (!input.restricted)
        throw new SlacklineError(
          `manual-choice ${name} escalate widens allowed-users or allowed-groups, and this choice has neither: anyone may decide already`,
        );
      const spec = isPlainObject(given) ? given : {};
      const extra = Object.keys(spec).filter((k) => k !== 'allowed-users' && k !== 'allowed-groups');
      const users = idList(spec['allowed-users'], `${name} escalate allowed-users`);
      const groups = idList(spec['allowed-groups'], `${name} escalate allowed-groups`);
      if (!isPlainObject(given) || extra.length > 0 || users.length + groups.length === 0)
        throw new SlacklineError(
          `manual-choice ${name} escalate must be {allowed-users: [...], allowed-groups: [...]} naming someone`,
        );
      return { at, action, allowedUsers: users, allowedGroups: groups };
    }
  }
}

function idList(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== ''))
    throw new SlacklineError(`manual-choice ${key} must be a list of Slack ids`);
  return value as string[];
}
