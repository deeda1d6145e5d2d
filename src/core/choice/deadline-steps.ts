import { deepCopy, isPlainObject, type ContextDocument } from '../document';
import { routeOf } from './apply-click';
import { audit } from './audit';
import {
  DECIDED_BY_DEADLINE,
  type ChoiceRecord,
  type Decision,
  type DeadlineStep,
  type DecidedOption,
} from './choice-record';
import type { DecisionPolicy } from './click';
import { decisionEvent } from './decision-event';
import { DEFAULT_DELIVERY_DEADLINE_MS, pendingDelivery } from './delivery';
import { choiceById, optionsOf, stringList, votesOf } from './read-choice';
import { listOf, mention, mrkdwn, slackId, when } from './slack-text';

/** What the steps that were due did, for the gateway to show once the document holding them is committed. */
export type DeadlineEffect =
  | { kind: 'remind'; text: string }
  | { kind: 'escalated' }
  | { kind: 'expired' }
  | { kind: 'decided'; decision: Decision };

export interface DeadlineOutcome {
  effects: DeadlineEffect[];
  /** the choice after the steps (a copy), undefined when the document holds no such choice */
  choice: ChoiceRecord | undefined;
  /** ms since the epoch when the next step is due; undefined when none is left to do */
  nextAt: number | undefined;
}

/** The steps of the record this version can work, live (marking one done changes the record). */
export function deadlineStepsOf(choice: ChoiceRecord): DeadlineStep[] {
  const steps: unknown = choice.deadlines;
  if (!Array.isArray(steps)) return [];
  return steps.filter(
    (s): s is DeadlineStep =>
      isPlainObject(s) &&
      ['remind', 'escalate', 'default', 'expire'].includes(String(s['action'])) &&
      !Number.isNaN(Date.parse(String(s['at']))),
  );
}

/**
 * Works the steps of a choice's ladder that are due at `now`, as a pure function of the document, inside the
 * store's read-modify-write like a click (apply-click.ts): each step is marked done in the same write as its
 * effect, so a step replayed after a conflict, a crash or by another replica finds itself done and does nothing
 * again. A choice that is no longer open (decided, expired) fires nothing: its steps are moot. When a deadline
 * (default or expire) is due together with reminders, say after a long outage, the reminders are skipped.
 */
export function applyDueSteps(
  doc: ContextDocument,
  choiceId: string,
  now: Date,
  policy: DecisionPolicy = {},
): DeadlineOutcome {
  const choice = choiceById(doc, choiceId);
  if (!choice) return { effects: [], choice: undefined, nextAt: undefined };
  const effects: DeadlineEffect[] = [];
  const steps = deadlineStepsOf(choice);
  if (choice.status === 'open') {
    const due = steps.filter((s) => !s.doneAt && Date.parse(s.at) <= now.getTime());
    const closing = due.some((s) => s.action === 'default' || s.action === 'expire');
    for (const step of due) {
      if (choice.status !== 'open') break;
      step.doneAt = now.toISOString();
      const effect = applyStep(doc, choice, step, now, policy, closing);
      if (effect) effects.push(effect);
    }
  }
  const pending = steps.filter((s) => !s.doneAt).map((s) => Date.parse(s.at));
  const nextAt = choice.status === 'open' && pending.length > 0 ? Math.min(...pending) : undefined;
  return { effects, choice: deepCopy(choice), nextAt };
}

function applyStep(
  doc: ContextDocument,
  choice: ChoiceRecord,
  step: DeadlineStep,
  now: Date,
  policy: DecisionPolicy,
  closing: boolean,
): DeadlineEffect | undefined {
  const at = now.toISOString();
  switch (step.action) {
    case 'remind':
      if (closing) {
        step.skipped = true;
        return undefined;
      }
      audit(choice, { at, user: null, action: 'reminded' });
      return { kind: 'remind', text: reminderText(choice, step) };
    case 'escalate': {
      const users = stringList(step.allowedUsers);
      const groups = stringList(step.allowedGroups);
      choice.allowedUsers = union(stringList(choice.allowedUsers), users);
      choice.allowedGroups = union(stringList(choice.allowedGroups), groups);
      audit(choice, { at, user: null, action: 'escalated', allowed: [...users, ...groups] });
      return { kind: 'escalated' };
    }
    case 'expire':
      choice.status = 'expired';
      audit(choice, { at, user: null, action: 'expired' });
      return { kind: 'expired' };
    case 'default': {
      const option = optionsOf(choice).find((o) => o.value === step.value);
      // Only a record edited by hand names no option: the step is spent, and the choice stays open to humans.
      if (!option) return undefined;
      const decision = deadlineDecision(doc, choice, option, now, policy);
      choice.status = 'decided';
      choice.decision = decision;
      audit(choice, { at, user: null, action: 'decided', value: option.value });
      return { kind: 'decided', decision: deepCopy(decision) };
    }
  }
}

/** Decided by nobody: no approvers, and the event says so with `decidedBy: "deadline"` and an empty user id. */
function deadlineDecision(
  doc: ContextDocument,
  choice: ChoiceRecord,
  option: DecidedOption & Record<string, unknown>,
  now: Date,
  policy: DecisionPolicy,
): Decision {
  const decision: Decision = {
    choiceId: choice.id,
    option: {
      group: option.group,
      header: option.header,
      text: option.text,
      value: option.value,
      style: option.style,
    },
    decidedBy: DECIDED_BY_DEADLINE,
    approvers: [],
    decidedAt: now.toISOString(),
    message: { channel: choice.channel ?? '', ts: choice.messageTs ?? '' },
    delivery: pendingDelivery(
      now,
      policy.deliveryDeadlineMs ?? DEFAULT_DELIVERY_DEADLINE_MS,
      routeOf(choice, option),
    ),
  };
  decision.event = decisionEvent({ doc, choice, decision, contextId: policy.contextId, user: { id: '' } });
  return decision;
}

/** Mentions who may still decide: the allowed users who have not voted, and the allowed groups. */
function reminderText(choice: ChoiceRecord, step: DeadlineStep): string {
  const voted = new Set(votesOf(choice).map((v) => v.user));
  const users = stringList(choice.allowedUsers)
    .map(slackId)
    .filter((u) => !voted.has(u))
    .map(mention);
  const groups = stringList(choice.allowedGroups).map((g) => `<!subteam^${slackId(g)}>`);
  const who = listOf([...users, ...groups], 'or') || 'anyone here';
  const title = `"${mrkdwn(String(choice.title ?? ''))}"`;
  const last = deadlineStepsOf(choice).find(
    (s) => !s.doneAt && (s.action === 'default' || s.action === 'expire'),
  );
  const option = last?.action === 'default' && optionsOf(choice).find((o) => o.value === last.value);
  const then = !last
    ? ''
    : option
      ? ` Undecided at ${when(last.at)}, it is decided as "${mrkdwn(option.text)}".`
      : ` Undecided at ${when(last.at)}, it expires.`;
  const note = step.note ? ` ${mrkdwn(step.note)}` : '';
  return `⏰ ${title} is waiting for a decision from ${who}.${then}${note}`;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
