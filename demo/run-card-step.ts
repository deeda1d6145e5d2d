import type { FakeSlack, RecordedRequest } from '../test/helpers/fake-slack';
import { waitFor } from '../test/helpers/slack-requests';
import {
  binaryRequest,
  pipelineRunEvent,
  sampleRun,
  taskRunEvent,
  type SampleEvent,
} from '../test/helpers/tekton-cloud-events';

/** The token the demo's gateway is started with (SLACKLINE_CLOUDEVENTS_TOKEN); Tekton's sink URL carries it. */
export const DEMO_CLOUDEVENTS_TOKEN = 'demo-cloudevents-token';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What Tekton's controller would send about the deploy PipelineRun the decision started: its CloudEvents,
 * three Tasks, to /tekton/events. Resolves to the run card as Slack last saw it, once it shows the end.
 */
export async function playDeployRun(
  gatewayUrl: string,
  slack: FakeSlack,
  contextId: string,
): Promise<string> {
  const run = { ...sampleRun(contextId, 'example-deploy-7q2xk'), pipeline: 'example-deploy' };
  const t = (s: number) => new Date(Date.parse('2026-12-03T10:00:00Z') + s * 1000).toISOString();
  const events: SampleEvent[] = [pipelineRunEvent(run, 'started', { at: t(0), startTime: t(0) })];
  ['load', 'deploy', 'notify'].forEach((task, i) => {
    const start = 1 + 15 * i;
    events.push(
      taskRunEvent(run, task, 'running', { at: t(start), startTime: t(start) }),
      taskRunEvent(run, task, 'successful', {
        at: t(start + 9),
        startTime: t(start),
        completionTime: t(start + 9),
      }),
    );
  });
  events.push(pipelineRunEvent(run, 'successful', { at: t(45), startTime: t(0), completionTime: t(45) }));
  for (const event of events) {
    const { headers, body } = binaryRequest(event);
    const answer = await fetch(`${gatewayUrl}/tekton/events?token=${DEMO_CLOUDEVENTS_TOKEN}`, {
      method: 'POST',
      headers,
      body,
    });
    if (answer.status !== 202) throw new Error(`the gateway answered ${answer.status} to ${event.type}`);
  }
  const card = await waitFor('the run card to show the end of the run', () => {
    const messages = slack.requests.filter((r) => isCard(r, run.name));
    const last = messages.at(-1);
    return last && /succeeded in 45s/.test(JSON.stringify(blocksOf(last))) ? last : undefined;
  });
  const posts = slack.requests.filter((r) => r.path === '/api/chat.postMessage' && isCard(r, run.name));
  if (posts.length !== 1) throw new Error(`the run card was posted ${posts.length} times`);
  return blocksOf(card)
    .map((b) => b.text?.text ?? b.elements?.[0]?.text)
    .join('\n')
    .replaceAll('\n', '\n   ');
}

/** Blocks as the WebClient sent them: JSON, or a JSON string in a form field. */
function blocksOf(request: RecordedRequest): Json[] {
  const blocks = (request.json as Json).blocks;
  return (typeof blocks === 'string' ? JSON.parse(blocks) : (blocks ?? [])) as Json[];
}

function isCard(request: RecordedRequest, runName: string): boolean {
  const json = request.json as Json;
  return (
    (request.path === '/api/chat.postMessage' || request.path === '/api/chat.update') &&
    String(json?.text).includes(runName)
  );
}
