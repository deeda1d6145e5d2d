import type { FakeEventListener } from '../test/helpers/fake-event-listener';
import type { FakeSlack } from '../test/helpers/fake-slack';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  viewSubmissionPayload,
  waitFor,
} from '../test/helpers/slack-requests';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface DialogStepInput {
  gatewayUrl: string;
  signingSecret: string;
  slack: FakeSlack;
  listener: FakeEventListener;
  /** the offered choice as the document records it */
  offered: Json;
  say: (title: string, detail?: string) => void;
}

const DEMO_REASON = 'The canary error rate doubled; see the dashboard.';

/**
 * A reject with a reason, through a modal: the click on [Reject] opens it (views.open, in the click's request),
 * a submission without a reason is answered with its error in the modal, one with a reason is decided and
 * forwarded with it. Resolves to the forwarded event.
 */
export async function rejectWithReason(input: DialogStepInput): Promise<Json> {
  const { slack, listener, offered, say } = input;
  const post = (payload: object) => {
    const body = interactionBody(payload);
    return fetch(`${input.gatewayUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...slackSignature(input.signingSecret, body) },
      body,
    });
  };
  const views = slack.views.length;
  const click = await post(
    blockActionsPayload({
      channelId: offered.channel,
      messageTs: offered.messageTs,
      value: 'reject',
      userId: 'U0ANA',
      responseUrl: `${slack.url}/respond/demo-reject`,
    }),
  );
  const view = slack.views[views];
  if (click.status !== 200 || !view) throw new Error('the click on [Reject] opened no modal');
  say(
    'Signed click on [Reject] by U0ANA: the gateway opened a modal (views.open) before acknowledging it',
    describeModal(view),
  );

  const empty = await post(viewSubmissionPayload({ view, userId: 'U0ANA', answers: {} }));
  const refused = (await empty.json()) as Json;
  if (refused.response_action !== 'errors') throw new Error('a submission without a reason was not refused');
  say('Submitted without a reason: answered in the modal, nothing decided', JSON.stringify(refused));

  const before = listener.requests.length;
  const answers = { 'input:reason': DEMO_REASON };
  const accepted = await post(viewSubmissionPayload({ view, userId: 'U0ANA', answers }));
  if (accepted.status !== 200 || (await accepted.text()) !== '')
    throw new Error('the submission was refused');
  const forwarded = await waitFor('the forwarded reject', () => listener.requests[before]);
  const event = forwarded.json as Json;
  if (event.option?.value !== 'reject' || event.inputs?.reason !== DEMO_REASON) {
    throw new Error(`the forwarded event does not carry the reason: ${JSON.stringify(event.inputs)}`);
  }
  say(
    'Submitted with a reason: decided once, and forwarded with it',
    `${event.option.value} for ${event.context.id} by ${event.user.id}, inputs.reason: ${JSON.stringify(event.inputs.reason)}`,
  );
  return event;
}

/** The modal as a user would see it, in one line per block. */
function describeModal(view: Json): string {
  const lines = [`[${view.title.text}]  (${view.submit.text} / ${view.close.text})`];
  for (const block of view.blocks as Json[]) {
    if (block.type === 'section') lines.push(block.text.text);
    if (block.type !== 'input') continue;
    const e = block.element;
    const kind = e.multiline ? 'multi-line text' : e.type === 'static_select' ? 'select' : 'text';
    const limits = [block.optional ? 'optional' : 'required', e.max_length ? `at most ${e.max_length}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`${block.label.text}  [${kind}, ${limits}]`);
  }
  return lines.join('\n   ');
}
