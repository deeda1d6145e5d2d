import assert from 'node:assert/strict';
import { version } from '../../package.json';
import { createMetrics } from '../../src/gateway/metrics';

// prom-client writes NaN as "Nan"; Prometheus parses it as Go's ParseFloat does, without regard to case.
const NAN = /^nan$/i;

/** The value of one sample line of the exposition, or undefined when there is no such line. */
function sample(text: string, series: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line?.slice(series.length + 1);
}

describe('createMetrics', function () {
  it('says which slackline and Node run: slackline_build_info{version,node} 1', async function () {
    const text = await createMetrics().render();
    assert.equal(sample(text, `slackline_build_info{version="${version}",node="${process.version}"}`), '1');
  });

  it('has every dependency failure series at 0 from the start, and counts by dependency and kind', async function () {
    const metrics = createMetrics();
    let text = await metrics.render();
    for (const series of [
      'slackline_dependency_failures_total{dependency="slack",kind="api-error"}',
      'slackline_dependency_failures_total{dependency="slack",kind="socket"}',
      'slackline_dependency_failures_total{dependency="store",kind="timeout"}',
      'slackline_dependency_failures_total{dependency="store",kind="outcome-unknown"}',
      'slackline_dependency_failures_total{dependency="event_listener",kind="connection"}',
      'slackline_dependency_failures_total{dependency="event_listener",kind="http-status"}',
    ])
      assert.equal(sample(text, series), '0', series);
    metrics.dependencyFailure('store', 'unavailable');
    metrics.dependencyFailure('store', 'unavailable');
    metrics.dependencyFailure('event_listener', 'timeout');
    text = await metrics.render();
    assert.equal(
      sample(text, 'slackline_dependency_failures_total{dependency="store",kind="unavailable"}'),
      '2',
    );
    assert.equal(
      sample(text, 'slackline_dependency_failures_total{dependency="event_listener",kind="timeout"}'),
      '1',
    );
    assert.equal(sample(text, 'slackline_dependency_failures_total{dependency="slack",kind="timeout"}'), '0');
  });

  it('puts the time to the ack in slackline_ack_seconds{type}, with buckets around Slack’s 3 s', async function () {
    const metrics = createMetrics();
    metrics.ack('block_actions', 0.04);
    metrics.ack('block_actions', 2.7);
    metrics.ack('slash_command', 0.2);
    const text = await metrics.render();
    assert.equal(sample(text, 'slackline_ack_seconds_bucket{le="0.05",type="block_actions"}'), '1');
    assert.equal(sample(text, 'slackline_ack_seconds_bucket{le="2.5",type="block_actions"}'), '1');
    assert.equal(sample(text, 'slackline_ack_seconds_bucket{le="3",type="block_actions"}'), '2');
    assert.equal(sample(text, 'slackline_ack_seconds_count{type="block_actions"}'), '2');
    assert.equal(sample(text, 'slackline_ack_seconds_count{type="slash_command"}'), '1');
  });

  it('reads the backlogs from their source on each scrape', async function () {
    const metrics = createMetrics();
    let undelivered = 3;
    metrics.watchBacklog({ undeliveredDecisions: async () => undelivered, intakeBacklog: async () => 7 });
    let text = await metrics.render();
    assert.equal(sample(text, 'slackline_undelivered_decisions'), '3');
    assert.equal(sample(text, 'slackline_intake_backlog'), '7');
    undelivered = 0;
    text = await metrics.render();
    assert.equal(sample(text, 'slackline_undelivered_decisions'), '0');
  });

  it('reports the backlogs as NaN, not 0, before a source is given and when it fails', async function () {
    const metrics = createMetrics();
    assert.match(sample(await metrics.render(), 'slackline_undelivered_decisions') ?? '', NAN);
    metrics.watchBacklog({
      undeliveredDecisions: async () => Promise.reject(new Error('ECONNREFUSED')),
      intakeBacklog: async () => 1,
    });
    const text = await metrics.render();
    assert.match(sample(text, 'slackline_undelivered_decisions') ?? '', NAN);
    assert.equal(sample(text, 'slackline_intake_backlog'), '1');
  });

  it('answers a scrape within the backlog timeout when the source hangs, with everything else', async function () {
    const metrics = createMetrics({ backlogTimeoutMs: 150 });
    metrics.watchBacklog({
      undeliveredDecisions: () => new Promise<number>(() => {}),
      intakeBacklog: () => new Promise<number>(() => {}),
    });
    metrics.decision('decided');
    const started = performance.now();
    const text = await metrics.render();
    const ms = performance.now() - started;
    assert.ok(ms >= 140 && ms < 1000, `took ${ms} ms`);
    assert.match(sample(text, 'slackline_undelivered_decisions') ?? '', NAN);
    assert.match(sample(text, 'slackline_intake_backlog') ?? '', NAN);
    assert.equal(sample(text, 'slackline_decisions_total{outcome="decided"}'), '1');
    assert.ok(text.includes('process_cpu_seconds_total'));
  });
});
