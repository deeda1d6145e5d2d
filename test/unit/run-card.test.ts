import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyClick } from '../../src/core/choice/apply-click';
import { offeredChoice } from '../../src/events/offered-choice';
import { cardThread } from '../../src/gateway/runcard/card-thread';
import { CardUpdater } from '../../src/gateway/runcard/card-updater';
import { formatDuration } from '../../src/gateway/runcard/format-duration';
import { mergeRunEvent, newRunCard } from '../../src/gateway/runcard/merge-run-event';
import { readRunEvent } from '../../src/gateway/runcard/read-run-event';
import { renderRunCard } from '../../src/gateway/runcard/render-run-card';
import type { RunEvent } from '../../src/gateway/runcard/run-event';
import { BadCloudEvent, readTektonCloudEvent } from '../../src/gateway/runcard/tekton-cloud-event';
import { createJsonLogger } from '../../src/gateway/json-logger';
import {
  binaryRequest,
  pipelineRunEvent,
  sampleRun,
  structuredRequest,
  taskRunEvent,
  type SampleEvent,
} from '../helpers/tekton-cloud-events';

const at = (s: number) => new Date(Date.parse('2026-12-03T10:00:00Z') + s * 1000).toISOString();
const read = (e: SampleEvent, mode: 'binary' | 'structured' = 'binary'): RunEvent => {
  const { headers, body } = mode === 'binary' ? binaryRequest(e) : structuredRequest(e);
  return readRunEvent(readTektonCloudEvent(headers, Buffer.from(body))) as RunEvent;
};

describe('run card: reading Tekton events', function () {
  it('reads a PipelineRun event in either content mode, and a TaskRun event as news of its owner', function () {
    const run = sampleRun('ctx-1');
    const started = pipelineRunEvent(run, 'started', { at: at(0), startTime: at(0) });
    for (const mode of ['binary', 'structured'] as const) {
      assert.deepEqual(read(started, mode), {
        kind: 'pipelinerun',
        state: 'started',
        pipelineRunUid: run.uid,
        pipelineRunName: run.name,
        contextId: 'ctx-1',
        order: { rank: 1, transitionAt: Date.parse(at(0)), eventAt: Date.parse(at(0)) },
        reason: 'Started',
        message: 'PipelineRun is started',
        startTime: at(0),
        completionTime: null,
        pipeline: 'example-build',
        task: null,
      });
    }
    const task = read(
      taskRunEvent(run, 'build', 'failed', { at: at(9), startTime: at(2), completionTime: at(9) }),
    );
    assert.equal(task.kind, 'taskrun');
    assert.equal(task.pipelineRunUid, run.uid);
    assert.equal(task.pipelineRunName, run.name);
    assert.equal(task.task, 'build');
    assert.equal(task.contextId, 'ctx-1');
    assert.equal(task.order.rank, 3);
  });

  it('finds the context id in a label or annotation, slackline.dev/context-id or cicdContextDataId', function () {
    const e = pipelineRunEvent(sampleRun(undefined), 'running', { at: at(1) });
    const metadata = (e.data['pipelineRun'] as { metadata: Record<string, Record<string, string>> }).metadata;
    assert.equal(read(e).contextId, undefined);
    metadata['labels']!['cicdContextDataId'] = 'from-label';
    assert.equal(read(e).contextId, 'from-label');
    metadata['annotations']!['slackline.dev/context-id'] = 'from-annotation';
    assert.equal(read(e).contextId, 'from-annotation', "slackline's own key comes first");
  });

  it('ignores CustomRuns and TaskRuns outside a PipelineRun, and refuses events without their run', function () {
    const run = sampleRun('ctx');
    const custom = {
      ...pipelineRunEvent(run, 'running', { at: at(1) }),
      type: 'dev.tekton.event.customrun.running.v1',
    };
    assert.equal(read(custom), undefined);
    const lone = taskRunEvent(run, 'solo', 'running', { at: at(1) });
    const metadata = (lone.data['taskRun'] as { metadata: Record<string, unknown> }).metadata;
    delete metadata['ownerReferences'];
    delete (metadata['labels'] as Record<string, string>)['tekton.dev/pipelineRunUID'];
    delete (metadata['labels'] as Record<string, string>)['tekton.dev/pipelineRun'];
    assert.equal(read(lone), undefined);
    assert.throws(() => read({ ...lone, data: {} }), BadCloudEvent);
    assert.throws(
      () => readTektonCloudEvent({ 'content-type': 'application/json' }, Buffer.from('{}')),
      BadCloudEvent,
    );
  });
});

describe('run card: merging events', function () {
  const run = sampleRun('ctx');
  const inOrder = [
    pipelineRunEvent(run, 'started', { at: at(0), startTime: at(0) }),
    pipelineRunEvent(run, 'running', { at: at(1), startTime: at(0) }),
    taskRunEvent(run, 'a', 'started', { at: at(2), startTime: at(2) }),
    taskRunEvent(run, 'a', 'running', { at: at(3), startTime: at(2) }),
    taskRunEvent(run, 'a', 'successful', { at: at(9), startTime: at(2), completionTime: at(9) }),
    taskRunEvent(run, 'b', 'running', { at: at(10), startTime: at(10) }),
    taskRunEvent(run, 'b', 'failed', { at: at(20), startTime: at(10), completionTime: at(20) }),
    pipelineRunEvent(run, 'unknown', { at: at(21), startTime: at(0), reason: 'Cancelling' }),
    pipelineRunEvent(run, 'failed', { at: at(22), startTime: at(0), completionTime: at(22) }),
  ].map((e) => read(e));
  const fold = (events: RunEvent[]) => events.reduce(mergeRunEvent, newRunCard(events[0] as RunEvent));
  const states = (events: RunEvent[]) => {
    const card = fold(events);
    return {
      run: card.run?.state,
      tasks: Object.fromEntries(Object.entries(card.tasks).map(([k, v]) => [k, v.state])),
    };
  };

  it('ends where the events in order end, whatever their order and however often each comes', function () {
    const expected = states(inOrder);
    assert.deepEqual(expected, { run: 'failed', tasks: { a: 'successful', b: 'failed' } });
    fc.assert(
      fc.property(
        fc.shuffledSubarray(inOrder, { minLength: inOrder.length }),
        fc.array(fc.nat(inOrder.length - 1)),
        (shuffled, repeats) => {
          const events = [...shuffled, ...repeats.map((i) => inOrder[i] as RunEvent)];
          assert.deepEqual(states(events), expected);
        },
      ),
    );
  });
});

describe('run card: where it goes and what it says', function () {
  it("takes the first offered choice's channel and the recorded thread, then the fallbacks", function () {
    const choice = (channel: string, postedAt: string) => ({
      channel,
      messageTs: `${postedAt}.1`,
      threadTs: null,
      postedAt,
    });
    const doc = {
      channel: 'deploys',
      state: {
        slack: { thread_ts: '111.1' },
        offeredChoices: { b: choice('C0LATER', '2026-02'), a: choice('C0FIRST', '2026-01') },
      },
    };
    assert.deepEqual(cardThread(doc, 'C0FALLBACK'), { channel: 'C0FIRST', threadTs: '111.1' });
    assert.deepEqual(cardThread({ channel: 'deploys', state: {} }, 'C0FALLBACK'), {
      channel: 'deploys',
      threadTs: null,
    });
    assert.deepEqual(cardThread({ state: {} }, 'C0FALLBACK'), { channel: 'C0FALLBACK', threadTs: null });
    assert.equal(cardThread({ state: {} }, undefined), undefined);
  });

  it("lists each decision with what its decider answered in the option's form, escaped", function () {
    const choice = offeredChoice({
      pipeline: 'build',
      event: 'success',
      handler: 'manual-choice',
      title: 'Ship?',
      choices: {
        go: {
          header: 'Go?',
          options: [{ text: 'Ship', value: 'ship', inputs: [{ name: 'why', label: 'Why now?' }] }],
        },
      },
      config: {},
      initiator: null,
      answer: { ok: true, channel: 'C1', ts: '1.000001', message: {} },
      now: new Date(at(0)),
    });
    const doc = { state: { cicdContextDataId: 'ctx', offeredChoices: { [choice.id]: choice } } };
    const click = {
      userId: 'U1',
      value: 'ship',
      channelId: 'C1',
      messageTs: '1.000001',
      at: new Date(at(1)),
    };
    assert.equal(applyClick(doc, { ...click, inputs: { why: 'the fix <!here>' } }).kind, 'decided');
    const card = newRunCard(read(pipelineRunEvent(sampleRun('ctx'), 'running', { at: at(2) })));
    const text = JSON.stringify(renderRunCard(card, doc));
    assert.match(text, /<@U1> chose \*Ship\* on “Ship\?” · \*Why now\?\* the fix &lt;!here&gt;/);
  });

  it('escapes names from the cluster so they cannot ping or link, and says why a run failed', function () {
    const run = { ...sampleRun('ctx'), pipeline: '<!channel>' };
    const card = [
      read(
        taskRunEvent(run, '<@U0EVIL>', 'successful', { at: at(5), startTime: at(0), completionTime: at(65) }),
      ),
      read(
        pipelineRunEvent(run, 'failed', {
          at: at(70),
          startTime: at(0),
          completionTime: at(70),
          reason: 'PipelineRunTimeout',
        }),
      ),
    ].reduce(mergeRunEvent, newRunCard(read(pipelineRunEvent(run, 'running', { at: at(1) }))));
    const text = JSON.stringify(renderRunCard(card, {}));
    assert.doesNotMatch(text, /<!channel>|<@U0EVIL>/);
    assert.match(text, /&lt;!channel&gt;/);
    assert.match(text, /failed \(PipelineRunTimeout\) in 1m 10s/);
    assert.match(text, /succeeded in 1m 05s/);
  });

  it('formats durations as people read them', function () {
    assert.deepEqual([0, 42_400, 185_000, 3_720_000, -5].map(formatDuration), [
      '0s',
      '42s',
      '3m 05s',
      '1h 02m',
      '0s',
    ]);
  });
});

describe('run card: coalescing updates', function () {
  const logger = createJsonLogger('error');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('sends the first change at once and the rest of a burst as one trailing update', async function () {
    const sent: number[] = [];
    const updater = new CardUpdater(
      400,
      async () => void sent.push(performance.now()),
      async () => true,
      logger,
    );
    for (let i = 0; i < 30; i += 1) {
      updater.schedule('run');
      await sleep(5);
    }
    await sleep(600);
    assert.equal(sent.length, 2, `${sent.length} sends`);
    assert.ok((sent[1] as number) - (sent[0] as number) >= 390);
  });

  it('leaves the slot to a replica that just sent, and still sends the trailing update after it', async function () {
    let sends = 0;
    let slots = 0;
    const updater = new CardUpdater(
      100,
      async () => void (sends += 1),
      async () => (slots += 1) > 1,
      logger,
    );
    updater.schedule('run');
    await sleep(50);
    assert.equal(sends, 0, 'another replica had the slot');
    await sleep(150);
    assert.equal(sends, 1);
  });
});
