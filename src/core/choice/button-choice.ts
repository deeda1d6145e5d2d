import { createHash } from 'node:crypto';
import { isPlainObject, type ContextDocument } from '../document';
import type { LegacyButtonValue } from '../legacy-button-value';
import { applyToChoice } from './apply-click';
import type { ChoiceRecord } from './choice-record';
import type { Click, ClickOutcome, DecisionPolicy } from './click';
import {
  LEGACY_DECISIONS,
  LEGACY_PREFIX,
  OFFERED_CHOICES,
  optionsOf,
  sectionOf,
  stringList,
} from './read-choice';

/** Who may decide a cicdstatemgr button that no offered choice of its context carries (the gateway's config). */
export interface ButtonRules {
  allowedUsers: string[];
  allowedGroups: string[];
  /** the route its decision goes to (null: the default) */
  route: string | null;
}

export interface ButtonClick {
  click: Click;
  button: LegacyButtonValue;
  /** every button value on the signed message that was clicked */
  messageValues: readonly string[];
  /** the message's text, as the record's title */
  messageText: string | null;
  threadTs: string | null;
}

/**
 * A click on a button cicdstatemgr 1.2.4 posted (`<trigger>-…|base64(json)`), on a message slackline never
 * indexed, when the operator has turned such buttons on for a migration. Each (message, value) is a choice of
 * its own, recorded under `state.legacyDecisions.<key>` and decided by the same rules as an offered one: the rules
 * of the context's offered choice that carries this very value if there is one; none at all (refused) when the
 * context offers choices but none with this value; else, for a context cicdstatemgr alone wrote, the gateway's.
 */
export function applyButtonClick(
  doc: ContextDocument,
  input: ButtonClick,
  rules: ButtonRules,
  policy: DecisionPolicy,
): ClickOutcome {
  const record = buttonChoice(doc, input, rules);
  return 'kind' in record ? record : applyToChoice(doc, record, input.click, policy);
}

/**
 * The record of the (message, value) clicked, as it is in the document, added to it on the first click (an
 * earlier version's record is brought to this shape), or a refusal when the value is not on the message.
 */
export function buttonChoice(
  doc: ContextDocument,
  input: ButtonClick,
  rules: ButtonRules,
): ChoiceRecord | Extract<ClickOutcome, { kind: 'refused' }> {
  const { click } = input;
  if (!input.messageValues.includes(click.value)) {
    // A forged payload: Slack only sends the value of a button that is on the message.
    const message = 'This button is not on the message it was clicked on, so the click did nothing.';
    return { kind: 'refused', reason: 'unknown-option', message };
  }
  const key = buttonKey(click);
  const section = legacySection(doc);
  const existing = section[key];
  if (!isPlainObject(existing) && governedElsewhere(doc, click.value)) {
    // The context's own choices say who decides what in it; a button outside them has no rules to go by.
    const message = 'This button is not one of the choices offered in its context, so the click did nothing.';
    return { kind: 'refused', reason: 'unknown-option', message };
  }
  const record = isPlainObject(existing) ? upgraded(existing, key, input) : newRecord(doc, key, input, rules);
  section[key] = record;
  return record;
}

/** The same key as earlier versions used, so their records are found. */
function buttonKey(click: Click): string {
  return createHash('sha256')
    .update(`${click.channelId}:${click.messageTs}:${click.value}`)
    .digest('hex')
    .slice(0, 16);
}

function newRecord(doc: ContextDocument, key: string, input: ButtonClick, rules: ButtonRules): ChoiceRecord {
  const { click, button } = input;
  const offered = offeredWithValue(doc, click.value);
  const option = offered ? optionsOf(offered).find((o) => o.value === click.value) : undefined;
  const route = option?.['route'] ?? offered?.route ?? rules.route;
  return {
    id: LEGACY_PREFIX + key,
    pipeline: offered?.pipeline ?? '',
    event: offered?.event ?? '',
    handler: 'cicdstatemgr-button',
    title: offered?.title ?? input.messageText ?? button.label,
    route: typeof route === 'string' ? route : null,
    options: [
      {
        group: option?.group ?? '',
        header: option?.header ?? '',
        text: option?.text ?? button.label,
        value: click.value,
        style: option?.style ?? null,
      },
    ],
    channel: click.channelId,
    messageTs: click.messageTs,
    threadTs: input.threadTs,
    postedAt: click.at.toISOString(),
    allowedUsers: offered ? stringList(offered.allowedUsers) : [...rules.allowedUsers],
    allowedGroups: offered ? stringList(offered.allowedGroups) : [...rules.allowedGroups],
    approvalsNeeded: offered?.approvalsNeeded ?? 1,
    excludeInitiator: offered?.excludeInitiator ?? false,
    initiator: offered?.initiator ?? null,
    expiresAt: offered?.expiresAt ?? null,
    status: 'open',
    votes: [],
    decision: null,
  };
}

/** A record an earlier version wrote (`by`, `at`, `value`, `delivery`): the decision it describes. */
function upgraded(existing: Record<string, unknown>, key: string, input: ButtonClick): ChoiceRecord {
  if (typeof existing['status'] === 'string') return existing as unknown as ChoiceRecord;
  const by = String(existing['by'] ?? '');
  const at = String(existing['at'] ?? '');
  const value = String(existing['value'] ?? input.click.value);
  const option = { group: '', header: '', text: input.button.label, value, style: null };
  return {
    id: LEGACY_PREFIX + key,
    pipeline: '',
    event: '',
    handler: 'cicdstatemgr-button',
    title: input.messageText ?? input.button.label,
    route: null,
    options: [option],
    channel: input.click.channelId,
    messageTs: input.click.messageTs,
    threadTs: input.threadTs,
    postedAt: at,
    allowedUsers: [],
    allowedGroups: [],
    approvalsNeeded: 1,
    excludeInitiator: false,
    initiator: null,
    expiresAt: null,
    status: 'decided',
    votes: [{ user: by, value, at }],
    decision: {
      choiceId: LEGACY_PREFIX + key,
      option,
      decidedBy: by,
      approvers: [by],
      decidedAt: at,
      message: { channel: input.click.channelId, ts: input.click.messageTs },
      delivery: (isPlainObject(existing['delivery']) ? existing['delivery'] : {}) as never,
    },
  };
}

/** The context offers choices of its own, none of them with this value. */
function governedElsewhere(doc: ContextDocument, value: string): boolean {
  return Object.keys(sectionOf(doc, OFFERED_CHOICES)).length > 0 && !offeredWithValue(doc, value);
}

/** The context's offered choice with an option of this value, whose rules then apply to the button. */
function offeredWithValue(doc: ContextDocument, value: string): ChoiceRecord | undefined {
  for (const [id, raw] of Object.entries(sectionOf(doc, OFFERED_CHOICES))) {
    if (!isPlainObject(raw)) continue;
    const choice = { ...raw, id } as unknown as ChoiceRecord;
    if (optionsOf(choice).some((o) => o.value === value)) return choice;
  }
  return undefined;
}

function legacySection(doc: ContextDocument): Record<string, unknown> {
  if (!isPlainObject(doc['state'])) doc['state'] = {};
  const state = doc['state'] as Record<string, unknown>;
  if (!isPlainObject(state[LEGACY_DECISIONS])) state[LEGACY_DECISIONS] = {};
  return state[LEGACY_DECISIONS] as Record<string, unknown>;
}
