import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseYaml } from '../../src/compat/yaml/yaml';
import { offeredChoice } from '../../src/events/offered-choice';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('examples/deadlines', function () {
  it('declares a ladder that manual-choice accepts, ending in the default it documents', function () {
    const app = parseYaml(
      readFileSync(resolve(__dirname, '../../examples/deadlines/app.yaml'), 'utf8'),
    ) as Doc;
    const config = app['cicd-contexts'].prod.pipelines.build['event-handlers'].success[
      'manual-choice'
    ] as Doc;
    const choice = offeredChoice({
      pipeline: 'build',
      event: 'success',
      handler: 'manual-choice',
      title: 'Release?',
      choices: config.choices,
      config,
      initiator: null,
      answer: { ok: true, channel: 'C0RELEASES', ts: '1.000100' },
      now: new Date('2024-05-01T12:00:00.000Z'),
    });
    assert.deepEqual(
      choice.deadlines?.map((s) => [s.action, s.at]),
      [
        ['remind', '2024-05-01T12:30:00.000Z'],
        ['escalate', '2024-05-01T14:00:00.000Z'],
        ['remind', '2024-05-01T15:00:00.000Z'],
        ['default', '2024-05-01T16:00:00.000Z'],
      ],
    );
    assert.equal(choice.deadlines?.[3]?.value, 'reject');
  });
});
