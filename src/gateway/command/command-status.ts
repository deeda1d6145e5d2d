import {
  decisionOf,
  deliveryOf,
  OFFERED_CHOICES,
  optionsOf,
  sectionOf,
  votesOf,
  approvalsNeeded,
} from '../../core/choice/read-choice';
import type { ChoiceRecord } from '../../core/choice/choice-record';
import { decisionAnswers } from '../../core/choice/decision-answers';
import { mrkdwn } from '../../core/choice/slack-text';
import { contextName } from '../../core/context-name';
import { documentId, isPlainObject, type ContextDocument } from '../../core/document';
import { StoreError } from '../../core/errors';
import type { GatewayEnv } from '../gateway-env';

/**
 * `status <context-id>`: one line for the context, one per offered choice. Only context documents are shown
 * (what cicdstatemgr wrote, naming its id): any other key of the store, and a key that does not parse, is no
 * such context, whatever it holds.
 */
export async function statusOf(env: GatewayEnv, id: string | undefined): Promise<string> {
  if (!id) return 'Usage: status <context-id>';
  let doc: ContextDocument | undefined;
  try {
    doc = await env.store.load(id);
  } catch (error) {
    if (!(error instanceof StoreError && error.kind === 'not-a-document')) throw error;
  }
  if (!doc || documentId(doc) === undefined) return `No context "${id}" is known to slackline.`;
  return statusText(id, doc);
}

function statusText(id: string, doc: ContextDocument): string {
  const name = contextName(doc);
  const lines = [`*${id}*${name !== null ? ` (${name})` : ''}`];
  for (const [choiceId, raw] of Object.entries(sectionOf(doc, OFFERED_CHOICES))) {
    if (!isPlainObject(raw)) continue;
    const choice = { ...raw, id: choiceId } as unknown as ChoiceRecord;
    lines.push(`• ${String(choice.title ?? choiceId)}: ${choiceStatus(choice)}`);
  }
  if (lines.length === 1) lines.push('No choices were offered in this context yet.');
  return lines.join('\n');
}

function choiceStatus(choice: ChoiceRecord): string {
  const decision = decisionOf(choice);
  if (decision) {
    const delivery = deliveryOf(decision);
    const state =
      delivery.status === 'delivered'
        ? `delivered${delivery.eventId ? ` (event ${delivery.eventId})` : ''}`
        : delivery.status === 'undelivered'
          ? `not delivered (${delivery.error})`
          : 'being delivered';
    // What the decider answered in the option's form, one line each; user text, escaped (it cannot ping anyone).
    const answers = decisionAnswers(choice, decision)
      .filter((answer) => answer.value !== '')
      .map((answer) => `\n    *${mrkdwn(answer.label)}* ${mrkdwn(answer.value)}`);
    return `decided: *${decision.option.text}* by ${decision.approvers.map((u) => `<@${u}>`).join(', ')}, ${state}${answers.join('')}`;
  }
  if (choice.status === 'expired') return 'expired';
  return `open (${votesText(choice)})`;
}

/** Votes counted per option, since a quorum is reached by one option's votes alone. */
function votesText(choice: ChoiceRecord): string {
  const needed = approvalsNeeded(choice);
  const votes = votesOf(choice);
  if (votes.length === 0) return needed > 1 ? `no votes yet; ${needed} approvals needed` : 'no votes yet';
  const counts = optionsOf(choice)
    .map((option) => [option.text, votes.filter((v) => v.value === option.value).length] as const)
    .filter(([, count]) => count > 0)
    .map(([text, count]) => `${text}: ${count} of ${needed}`);
  return counts.join(', ');
}
