import type { ForwardedUser, SlackOrigin } from '../forwarded-event';
import type { Decision, RefusalReason } from './choice-record';

/** A button click, as the kernel needs it: who, on which message, which value, when. */
export interface Click {
  userId: string;
  userName?: string;
  teamId?: string;
  channelId: string;
  messageTs: string;
  /** the clicked button's value */
  value: string;
  /** Slack user groups the user is in, when the gateway looked them up */
  userGroups?: string[];
  at: Date;
  /** the user as the forwarded event names them; by default from the fields above */
  user?: ForwardedUser;
  /** where in Slack, as the forwarded event names it; by default the channel and message above */
  slack?: SlackOrigin;
  /** the answers of a modal's submission, by input name: only a submission decides an option with inputs */
  inputs?: Record<string, string>;
}

/**
 * What a click did. `message` is Slack mrkdwn for the clicking user alone (an ephemeral message): it mentions
 * users with `<@U…>`. A refusal is data, with a reason a metric or a test can read.
 */
export type ClickOutcome =
  | { kind: 'voted'; choiceId: string; votes: number; needed: number }
  | { kind: 'decided'; choiceId: string; decision: Decision }
  | { kind: 'redeliver'; choiceId: string; decision: Decision }
  | { kind: 'refused'; reason: RefusalReason; message: string; choiceId?: string };

/** The rules a decision is made under that are not in the choice record. */
export interface DecisionPolicy {
  /** the context document's id, for the forwarded event when the document does not name itself */
  contextId?: string;
  /** how long a decision is tried to be delivered before it is given up as undelivered (default 10 minutes) */
  deliveryDeadlineMs?: number;
  /** why a route cannot be delivered to (a route name, or null for the default), or undefined when it can */
  routeProblem?: (route: string | null) => string | undefined;
}

export function refusal(reason: RefusalReason, message: string, choiceId?: string): ClickOutcome {
  return choiceId === undefined
    ? { kind: 'refused', reason, message }
    : { kind: 'refused', reason, message, choiceId };
}
