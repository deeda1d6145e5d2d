import assert from 'node:assert/strict';
import { applyClick } from '../../src/core/choice/apply-click';
import type { ChoiceRecord } from '../../src/core/choice/choice-record';
import { applyDueSteps } from '../../src/core/choice/deadline-steps';
import { findChoiceByMessage } from '../../src/core/choice/read-choice';
import { deepCopy, type ContextDocument } from '../../src/core/document';
import { SlacklineError } from '../../src/core/errors';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { offeredChoice } from '../../src/events/offered-choice';

const POSTED = new Date('2024-05-01T12:00:00.000Z');
const CHANNEL = 'C0DEPLOYS';
const TS = '1714564800.000100';
const OPTIONS = [
  { text: 'Approve', value: 'approve', style: 'primary' },
  { text: 'Reject', value: 'reject', style: 'danger' },
];

function offer(config: Record<string, unknown>, now = POSTED) {
  return offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'default',
    title: 'Deploy <1.0.0>?',
    choices: { go: { header: 'Go?', options: OPTIONS } },
    config,
    initiator: null,
    answer: { ok: true, channel: CHANNEL, ts: TS, message: {} },
    now,
  });
}

function setup(config: Record<string, unknown>) {
  const choice = offer(config);
  const doc: ContextDocument = {
    state: { cicdContextDataId: 'ctx-1', offeredChoices: { [choice.id]: choice } },
  };
  return { doc, id: choice.id, record: () => findChoiceByMessage(doc, CHANNEL, TS) as ChoiceRecord };
}

const minutes = (m: number) => new Date(POSTED.getTime() + m * 60_000);

const LADDER = {
  'allowed-users': ['U0ANA'],
  deadlines: [
    { after: '30m', remind: true },
    { after: '1h', escalate: { 'allowed-users': ['U0LEAD'], 'allowed-groups': ['S0ONCALL'] } },
    { after: '90m', remind: 'Last call.' },
    { after: '2h', default: 'reject' },
  ],
};

describe('deadline ladder: parsing the manual-choice config', function () {
  it('records each step at its absolute time, in order', function () {
    const choice = offer(LADDER);
    assert.deepEqual(choice.deadlines, [
      { at: '2024-05-01T12:30:00.000Z', action: 'remind' },
      {
        at: '2024-05-01T13:00:00.000Z',
        action: 'escalate',
        allowedUsers: ['U0LEAD'],
        allowedGroups: ['S0ONCALL'],
      },
      { at: '2024-05-01T13:30:00.000Z', action: 'remind', note: 'Last call.' },
      { at: '2024-05-01T14:00:00.000Z', action: 'default', value: 'reject' },
    ]);
    assert.equal(choice.expiresAt, null, 'a default is the outcome at the deadline, not an expiry');
  });

  it('makes an expire step the expiry that clicks are refused after', function () {
    const choice = offer({
      deadlines: [
        { after: 60, remind: true },
        { after: '1d', expire: true },
      ],
    });
    assert.equal(choice.expiresAt, '2024-05-02T12:00:00.000Z');
    assert.equal(offer({}).deadlines, undefined, 'no ladder, no key');
  });

  const bad: Array<[string, unknown, Record<string, unknown>, RegExp]> = [
    ['not a list', { after: '1h', remind: true }, {}, /deadlines must be a list of steps/],
    ['an empty list', [], {}, /deadlines must be a list of steps/],
    ['a step that is not a mapping', ['remind'], {}, /step 1 is not a mapping/],
    ['a step without after', [{ remind: true }], {}, /step 1 has no after/],
    ['a step without an action', [{ after: '1h' }], {}, /step 1 has no action/],
    ['two actions in one step', [{ after: '1h', remind: true, expire: true }], {}, /step 1 has 2 actions/],
    ['an unknown key', [{ after: '1h', remind: true, every: '5m' }], {}, /step 1 has unknown keys every/],
    [
      'a bad duration',
      [{ after: 'soon', remind: true }],
      {},
      /step 1 after must be like 90, 30m, 2h or 1d, got "soon"/,
    ],
    [
      'steps out of order',
      [
        { after: '2h', remind: true },
        { after: '1h', remind: true },
      ],
      {},
      /step 2 comes after a later one/,
    ],
    [
      'a default that is no option',
      [{ after: '1h', default: 'maybe' }],
      {},
      /default must be the value of one of the options \("approve", "reject"\), got "maybe"/,
    ],
    [
      'a deadline before the last step',
      [
        { after: '1h', expire: true },
        { after: '2h', remind: true },
      ],
      {},
      /step 1 \(expire\) closes the choice, so it must be the last step/,
    ],
    [
      'escalating an open choice',
      [{ after: '1h', escalate: { 'allowed-users': ['U0LEAD'] } }],
      {},
      /anyone may decide already/,
    ],
    [
      'escalating to nobody',
      [{ after: '1h', escalate: {} }],
      { 'allowed-users': ['U0ANA'] },
      /escalate must be .* naming someone/,
    ],
    [
      'escalating to a non-id',
      [{ after: '1h', escalate: { 'allowed-users': [7] } }],
      { 'allowed-users': ['U0ANA'] },
      /escalate allowed-users must be a list of Slack ids/,
    ],
    ['remind with a number', [{ after: '1h', remind: 3 }], {}, /remind must be true or a note/],
    [
      'a step due after expires-in',
      [{ after: '1h', remind: true }],
      { 'expires-in': '30m' },
      /due when the choice has expired \(expires-in\)/,
    ],
  ];
  it('refuses a default on an option that asks for inputs, which nobody gives at the deadline', function () {
    const withReason = OPTIONS.map((o) =>
      o.value === 'reject' ? { ...o, inputs: [{ name: 'reason', label: 'Why?', required: true }] } : o,
    );
    assert.throws(
      () =>
        offeredChoice({
          pipeline: 'build',
          event: 'success',
          handler: 'default',
          title: 'Deploy?',
          choices: { go: { header: 'Go?', options: withReason } },
          config: { deadlines: [{ after: '1h', default: 'reject' }] },
          initiator: null,
          answer: { ok: true, channel: CHANNEL, ts: TS, message: {} },
          now: POSTED,
        }),
      (error: unknown) =>
        error instanceof SlacklineError &&
        /default "reject" is an option that asks for inputs/.test(error.message),
    );
  });

  for (const [what, deadlines, extra, message] of bad) {
    it(`refuses ${what} with a clear error`, function () {
      assert.throws(
        () => offer({ ...extra, deadlines }),
        (error: unknown) => error instanceof SlacklineError && message.test(error.message),
      );
    });
  }
});

describe('deadline ladder: the kernel working its steps', function () {
  it('does nothing before the first step is due, and says when it is', function () {
    const { doc, id } = setup(LADDER);
    const before = deepCopy(doc);
    const outcome = applyDueSteps(doc, id, minutes(29));
    assert.deepEqual(outcome.effects, []);
    assert.equal(outcome.nextAt, Date.parse('2024-05-01T12:30:00.000Z'));
    assert.deepEqual(doc, before, 'nothing written');
  });

  it('reminds once, mentioning who may still decide and what happens at the deadline', function () {
    const { doc, id, record } = setup(LADDER);
    const first = applyDueSteps(doc, id, minutes(30));
    assert.deepEqual(first.effects, [
      {
        kind: 'remind',
        text: '⏰ "Deploy &lt;1.0.0&gt;?" is waiting for a decision from <@U0ANA>. Undecided at 2024-05-01 14:00 UTC, it is decided as "Reject".',
      },
    ]);
    assert.equal(first.nextAt, Date.parse('2024-05-01T13:00:00.000Z'));
    assert.equal(record().deadlines?.[0]?.doneAt, minutes(30).toISOString());
    // Replayed (a crash after the write, another replica, a retried update): the step is done.
    const again = applyDueSteps(doc, id, minutes(31));
    assert.deepEqual(again.effects, []);
  });

  it('escalates by widening the allow-lists, so the newly allowed user may decide', function () {
    const { doc, id, record } = setup(LADDER);
    applyDueSteps(doc, id, minutes(30));
    const click = { userId: 'U0LEAD', channelId: CHANNEL, messageTs: TS, value: 'approve', at: minutes(59) };
    assert.equal(applyClick(deepCopy(doc), click).kind, 'refused', 'not allowed before the escalation');
    assert.deepEqual(applyDueSteps(doc, id, minutes(60)).effects, [{ kind: 'escalated' }]);
    assert.deepEqual(record().allowedUsers, ['U0ANA', 'U0LEAD']);
    assert.deepEqual(record().allowedGroups, ['S0ONCALL']);
    const reminded = applyDueSteps(doc, id, minutes(90)).effects[0];
    assert.match(
      reminded?.kind === 'remind' ? reminded.text : '',
      /from <@U0ANA>, <@U0LEAD> or <!subteam\^S0ONCALL>\..* Last call\.$/,
    );
    assert.equal(applyClick(doc, { ...click, at: minutes(91) }).kind, 'decided');
  });

  it('decides the default at the deadline, as a decision nobody made, with an event saying so', function () {
    const { doc, id, record } = setup(LADDER);
    const outcome = applyDueSteps(doc, id, minutes(120), { contextId: 'ctx-1', deliveryDeadlineMs: 60_000 });
    // The reminders and the escalation were due together with the deadline (a long outage): only it counts.
    assert.deepEqual(
      outcome.effects.map((e) => e.kind),
      ['escalated', 'decided'],
    );
    assert.deepEqual(
      record().deadlines?.map((s) => [s.action, s.doneAt !== undefined, s.skipped ?? false]),
      [
        ['remind', true, true],
        ['escalate', true, false],
        ['remind', true, true],
        ['default', true, false],
      ],
    );
    const choice = record();
    assert.equal(choice.status, 'decided');
    assert.equal(choice.decision?.decidedBy, 'deadline');
    assert.deepEqual(choice.decision?.approvers, []);
    assert.equal(choice.decision?.option.value, 'reject');
    assert.equal(choice.decision?.delivery.status, 'pending');
    const event = choice.decision?.event;
    assert.equal(event?.decidedBy, 'deadline');
    assert.equal(event?.user.id, '');
    assert.equal(event?.option?.value, 'reject');
    assert.equal(event?.occurredAt, minutes(120).toISOString());
    assert.equal(event?.cicdstatemgr['slackUserId'], undefined);
    assert.equal(outcome.nextAt, undefined, 'nothing left to do');
    // A click after it is told the deadline decided.
    const late = applyClick(doc, {
      userId: 'U0ANA',
      channelId: CHANNEL,
      messageTs: TS,
      value: 'approve',
      at: minutes(121),
    });
    assert.equal(late.kind, 'refused');
    assert.match(late.kind === 'refused' ? late.message : '', /already decided: its deadline chose "Reject"/);
  });

  it('fires nothing once a user decided, and leaves nothing scheduled', function () {
    const { doc, id } = setup(LADDER);
    applyClick(doc, {
      userId: 'U0ANA',
      channelId: CHANNEL,
      messageTs: TS,
      value: 'approve',
      at: minutes(10),
    });
    const before = deepCopy(doc);
    const outcome = applyDueSteps(doc, id, minutes(500));
    assert.deepEqual(outcome.effects, []);
    assert.equal(outcome.nextAt, undefined);
    assert.deepEqual(doc, before);
  });

  it('expires at an expire step, and a click after it is refused', function () {
    const { doc, id, record } = setup({ deadlines: [{ after: '1h', expire: true }] });
    assert.deepEqual(applyDueSteps(doc, id, minutes(60)).effects, [{ kind: 'expired' }]);
    assert.equal(record().status, 'expired');
    const click = applyClick(doc, {
      userId: 'U0ANA',
      channelId: CHANNEL,
      messageTs: TS,
      value: 'approve',
      at: minutes(61),
    });
    assert.equal(click.kind === 'refused' && click.reason, 'expired');
  });

  it('reads a record that went through YAML, and ignores steps a hand edit broke', function () {
    const { doc, id } = setup(LADDER);
    const reread = parseYaml(dumpYaml(doc)) as ContextDocument;
    const choice = findChoiceByMessage(reread, CHANNEL, TS) as ChoiceRecord;
    (choice.deadlines as unknown[]).unshift({ at: 'whenever', action: 'remind' }, 'junk');
    assert.deepEqual(
      applyDueSteps(reread, id, minutes(30)).effects.map((e) => e.kind),
      ['remind'],
    );
    assert.deepEqual(applyDueSteps(reread, 'no-such-choice', minutes(30)), {
      effects: [],
      choice: undefined,
      nextAt: undefined,
    });
  });
});
