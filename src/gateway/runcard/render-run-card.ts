import { decisionOf, OFFERED_CHOICES, sectionOf } from '../../core/choice/read-choice';
import type { ChoiceRecord } from '../../core/choice/choice-record';
import { decisionAnswers } from '../../core/choice/decision-answers';
import { listOf, mention, mrkdwn } from '../../core/choice/slack-text';
import { isPlainObject, type ContextDocument } from '../../core/document';
import type { SlackMessageContent } from '../slack/choice-messages';
import { formatDuration } from './format-duration';
import type { RunCardRecord, RunStatus } from './run-card-record';

const ICON: Record<string, string> = {
  queued: ':white_circle:',
  started: ':large_blue_circle:',
  running: ':large_blue_circle:',
  unknown: ':large_blue_circle:',
  successful: ':white_check_mark:',
  failed: ':x:',
};

/** Slack limits a section's text to 3,000 characters; a 40-task run fits, a 400-task one is cut short. */
const MAX_SECTION = 2900;

/**
 * The run card: the pipeline and its result, one line per task with its state and duration, and who decided
 * what on the context's choices. Every name is escaped: they come from the cluster and from templates.
 */
export function renderRunCard(card: RunCardRecord, doc: ContextDocument): SlackMessageContent {
  const title = `*${mrkdwn(card.pipeline ?? 'pipeline')}* \`${mrkdwn(card.pipelineRun)}\``;
  const headline = `${title}: ${statusText(card.run)}`;
  const tasks = Object.entries(card.tasks).map(
    ([name, status]) => `${ICON[status.state]} ${mrkdwn(name)} ${taskText(status)}`,
  );
  const blocks: unknown[] = [section(headline)];
  if (card.run?.message && card.run.state === 'failed') blocks.push(context(mrkdwn(card.run.message)));
  if (tasks.length > 0) blocks.push(section(clip(tasks.join('\n'))));
  const decisions = decisionLines(doc);
  if (decisions.length > 0) blocks.push(context(clip(decisions.join('\n'))));
  // The notification text is mrkdwn too: escaped like the blocks, or a pipeline named <!channel> would ping.
  const text = mrkdwn(`${card.pipeline ?? 'pipeline'} ${card.pipelineRun}: ${plainStatus(card.run)}`);
  return { text, blocks };
}

function statusText(run: RunStatus | null): string {
  if (!run) return `${ICON['running']} running`;
  return `${ICON[run.state]} ${plainStatus(run)}${durationOf(run, ' in ')}`;
}

function plainStatus(run: RunStatus | null): string {
  if (!run) return 'running';
  if (run.state === 'successful') return 'succeeded';
  // Failed, PipelineRunTimeout, Cancelled, PipelineRunCouldntGetPipeline…: the reason says which.
  if (run.state === 'failed') return `failed (${run.reason ?? 'Failed'})`;
  return run.state === 'queued' ? 'queued' : 'running';
}

function taskText(status: RunStatus): string {
  if (status.state === 'successful') return `succeeded${durationOf(status, ' in ')}`;
  if (status.state === 'failed')
    return `failed (${mrkdwn(status.reason ?? 'Failed')})${durationOf(status, ' after ')}`;
  return status.state === 'queued' ? 'queued' : 'running';
}

function durationOf(status: RunStatus, joiner: string): string {
  const ms = Date.parse(status.completionTime ?? '') - Date.parse(status.startTime ?? '');
  return Number.isNaN(ms) ? '' : `${joiner}${formatDuration(ms)}`;
}

/** Who approved what, with what they answered in its form: every decided choice, in the order decided. */
function decisionLines(doc: ContextDocument): string[] {
  return Object.values(sectionOf(doc, OFFERED_CHOICES))
    .filter(isPlainObject)
    .map((record) => record as unknown as ChoiceRecord)
    .flatMap((choice) => {
      const decision = decisionOf(choice);
      return decision ? [{ choice, decision }] : [];
    })
    .sort((a, b) => String(a.decision.decidedAt).localeCompare(String(b.decision.decidedAt)))
    .map(({ choice, decision }) => {
      const who = (decision.approvers?.length ? decision.approvers : [decision.decidedBy]).map(mention);
      const answers = decisionAnswers(choice, decision)
        .filter((answer) => answer.value !== '')
        .map((answer) => ` · *${mrkdwn(answer.label)}* ${mrkdwn(answer.value)}`);
      return `${listOf(who, 'and')} chose *${mrkdwn(decision.option.text)}* on “${mrkdwn(String(choice.title))}”${answers.join('')}`;
    });
}

function clip(text: string): string {
  return text.length <= MAX_SECTION ? text : `${text.slice(0, MAX_SECTION)}\n…`;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
