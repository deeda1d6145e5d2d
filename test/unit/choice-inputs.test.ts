import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyClick } from '../../src/core/choice/apply-click';
import { inputErrors, inputsOf, parseChoiceInputs } from '../../src/core/choice/choice-inputs';
import type { ChoiceRecord } from '../../src/core/choice/choice-record';
import type { Click } from '../../src/core/choice/click';
import { dialogFor } from '../../src/core/choice/dialog-for';
import { findChoiceByMessage } from '../../src/core/choice/read-choice';
import type { ContextDocument } from '../../src/core/document';
import { SlacklineError } from '../../src/core/errors';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { offeredChoice, offeredOptions } from '../../src/events/offered-choice';
import { choiceModal, dialogTargetOf, submittedValues } from '../../src/gateway/dialog/choice-modal';

const POSTED = new Date('2024-05-01T12:00:00.000Z');
const CHANNEL = 'C0DEPLOYS';
const TS = '1714564800.000100';

const REASON = { name: 'reason', label: 'Why?', type: 'multiline', required: true, 'max-length': 20 };
const TICKET = { name: 'ticket', label: 'Ticket', pattern: '[A-Z]+-[0-9]+' };
const WINDOW = {
  name: 'window',
  label: 'When',
  type: 'select',
  options: ['now', { text: 'Later', value: 'later' }],
};

/** A choice as manual-choice records it, Approve without inputs and Reject asking for a reason. */
function setup(config: Record<string, unknown> = {}, inputs: unknown[] = [REASON]) {
  const choice = offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'default',
    title: 'Deploy 1.0.0?',
    choices: {
      go: {
        header: 'Go?',
        options: [
          { text: 'Approve', value: 'approve' },
          { text: 'Reject', value: 'reject', style: 'danger', inputs },
        ],
      },
    },
    config,
    initiator: 'U0INIT',
    answer: { ok: true, channel: CHANNEL, ts: TS },
    now: POSTED,
  });
  // Through YAML, as the store keeps it.
  const doc = parseYaml(dumpYaml({ state: { offeredChoices: { [choice.id]: choice } } })) as ContextDocument;
  return { doc, record: () => findChoiceByMessage(doc, CHANNEL, TS) as ChoiceRecord };
}

function click(userId: string, value: string, extra: Partial<Click> = {}): Click {
  return {
    userId,
    channelId: CHANNEL,
    messageTs: TS,
    value,
    at: new Date(POSTED.getTime() + 60_000),
    ...extra,
  };
}

function parseError(inputs: unknown): string {
  try {
    parseChoiceInputs(inputs, 'manual-choice release: option "Reject" of go');
  } catch (error) {
    assert.ok(error instanceof SlacklineError);
    return error.message;
  }
  assert.fail('the declaration was accepted');
}

describe('choice inputs', function () {
  describe('parseChoiceInputs (the config)', function () {
    it('normalizes text, multiline and select declarations', function () {
      assert.deepEqual(parseChoiceInputs([REASON, TICKET, WINDOW], 'here'), [
        {
          name: 'reason',
          type: 'multiline',
          label: 'Why?',
          required: true,
          pattern: null,
          maxLength: 20,
          options: [],
        },
        {
          name: 'ticket',
          type: 'text',
          label: 'Ticket',
          required: false,
          pattern: '[A-Z]+-[0-9]+',
          maxLength: null,
          options: [],
        },
        {
          name: 'window',
          type: 'select',
          label: 'When',
          required: false,
          pattern: null,
          maxLength: null,
          options: [
            { text: 'now', value: 'now' },
            { text: 'Later', value: 'later' },
          ],
        },
      ]);
      assert.deepEqual(parseChoiceInputs(undefined, 'here'), []);
    });

    it('refuses a bad declaration with an error naming the option, the input and what is wrong', function () {
      const where = 'manual-choice release: option "Reject" of go';
      assert.equal(parseError({ name: 'x' }), `${where}: inputs must be a list`);
      assert.equal(parseError(['reason']), `${where}: inputs[0] must be a mapping with name, label and type`);
      assert.match(parseError([{ name: '1st', label: 'x' }]), /inputs\[0\]: name must be a letter then/);
      assert.equal(
        parseError([{ name: 'reason', label: 'Why', type: 'textarea' }]),
        `${where}: inputs[0] (reason): type must be one of text, multiline, select, got "textarea"`,
      );
      assert.match(
        parseError([{ name: 'reason' }]),
        /\(reason\): label must be a text of 1 to 2000 characters/,
      );
      assert.match(
        parseError([{ ...REASON, required: 'yes' }]),
        /\(reason\): required must be true or false/,
      );
      assert.match(
        parseError([{ ...TICKET, pattern: '[A-Z' }]),
        /\(ticket\): pattern is not a regular expression/,
      );
      assert.match(
        parseError([{ ...REASON, 'max-length': 0 }]),
        /max-length must be a whole number from 1 to 3000/,
      );
      assert.match(parseError([{ ...REASON, 'max-length': '20' }]), /max-length must be a whole number/);
      assert.match(
        parseError([{ ...WINDOW, options: [] }]),
        /\(window\): a select needs options, a list of 1 to 100/,
      );
      assert.match(parseError([{ ...WINDOW, options: ['a', 'a'] }]), /two options have the same value/);
      assert.match(parseError([{ ...TICKET, options: ['a'] }]), /\(ticket\): only a select has options/);
      assert.match(parseError([REASON, { ...TICKET, name: 'reason' }]), /two inputs are named "reason"/);
    });

    it('fails manual-choice when it records an option declared wrong', function () {
      assert.throws(() => setup({}, [{ name: 'reason', label: 'Why', type: 'essay' }]), {
        message: /manual-choice default: option "Reject" of go: inputs\[0\] \(reason\): type must be one of/,
      });
    });
  });

  describe('inputErrors (a submission)', function () {
    const inputs = parseChoiceInputs([REASON, TICKET, WINDOW], 'here');

    it('accepts answers that fit, and no answer to an optional input', function () {
      assert.deepEqual(inputErrors(inputs, { reason: 'red tests', ticket: 'OPS-12', window: 'later' }), {});
      assert.deepEqual(inputErrors(inputs, { reason: 'red tests' }), {});
    });

    it('names each answer that does not fit: required, max length, the whole pattern, a select option', function () {
      assert.deepEqual(inputErrors(inputs, { reason: '  ', ticket: 'see OPS-12', window: 'never' }), {
        reason: 'This is required.',
        ticket: 'This does not have the expected form ([A-Z]+-[0-9]+).',
        window: 'Pick one of the options.',
      });
      assert.deepEqual(inputErrors(inputs, { reason: 'x'.repeat(21) }), {
        reason: 'At most 20 characters, please.',
      });
      // Characters, not UTF-16 units: 20 emoji fit in 20.
      assert.deepEqual(inputErrors(inputs, { reason: '🚀'.repeat(20) }), {});
    });
  });

  describe('the kernel (apply-click) on an option with inputs', function () {
    it('decides it only with accepted answers, and records them on the decision, the vote and the audit', function () {
      const { doc, record } = setup();
      const outcome = applyClick(
        doc,
        click('U0ANA', 'reject', { inputs: { reason: ' flaky ', extra: 'dropped' } }),
        {
          contextId: 'ctx-1',
        },
      );
      assert.equal(outcome.kind, 'decided');
      const decision = record().decision;
      assert.deepEqual(decision?.inputs, { reason: 'flaky' });
      assert.deepEqual(decision?.event?.inputs, { reason: 'flaky' });
      assert.deepEqual(record().votes[0]?.inputs, { reason: 'flaky' });
      assert.deepEqual(record().audit?.at(-1), {
        at: '2024-05-01T12:01:00.000Z',
        user: 'U0ANA',
        action: 'decided',
        value: 'reject',
        inputs: { reason: 'flaky' },
      });
    });

    it('keeps each voter’s answers with a quorum, and gives the decision those of the vote that reached it', function () {
      const { doc, record } = setup({ 'approvals-needed': 2 });
      const first = applyClick(doc, click('U0ANA', 'reject', { inputs: { reason: 'slow' } }));
      assert.equal(first.kind, 'voted');
      assert.equal(record().decision, null);
      applyClick(doc, click('U0BOB', 'reject', { inputs: { reason: 'broken' } }));
      assert.deepEqual(
        record().votes.map((v) => [v.user, v.inputs]),
        [
          ['U0ANA', { reason: 'slow' }],
          ['U0BOB', { reason: 'broken' }],
        ],
      );
      assert.deepEqual(record().decision?.inputs, { reason: 'broken' });
      assert.deepEqual(record().decision?.approvers, ['U0ANA', 'U0BOB']);
    });

    it('refuses a plain click on it, and a submission it does not accept, recording nothing', function () {
      const { doc, record } = setup();
      const plain = applyClick(doc, click('U0ANA', 'reject'));
      assert.equal(plain.kind === 'refused' && plain.reason, 'inputs-required');
      const invalid = applyClick(doc, click('U0ANA', 'reject', { inputs: { reason: '' } }));
      assert.equal(invalid.kind === 'refused' && invalid.reason, 'invalid-inputs');
      assert.match(invalid.kind === 'refused' ? invalid.message : '', /Why\?: This is required\./);
      assert.equal(record().status, 'open');
      assert.deepEqual(record().votes, []);
    });

    it('authorizes a submission as a click: the allow-list before the answers', function () {
      const { doc, record } = setup({ 'allowed-users': ['U0ANA'] });
      const outcome = applyClick(doc, click('U0EVE', 'reject', { inputs: { reason: 'mine' } }));
      assert.equal(outcome.kind === 'refused' && outcome.reason, 'not-allowed');
      assert.equal(record().status, 'open');
    });

    it('gives an option without inputs no answers, whatever came with the click', function () {
      const { doc, record } = setup();
      applyClick(doc, click('U0ANA', 'approve', { inputs: { reason: 'sneaked in' } }));
      assert.equal(record().decision?.inputs, undefined);
      assert.deepEqual(record().decision?.event?.inputs, {});
    });
  });

  describe('dialogFor (before the modal opens)', function () {
    it('opens a form only for an option with inputs the user could decide now', function () {
      const { doc, record } = setup({ 'allowed-users': ['U0ANA', 'U0INIT'], 'exclude-initiator': true });
      assert.deepEqual(
        dialogFor(record(), click('U0ANA', 'reject'))?.inputs.map((i) => i.name),
        ['reason'],
      );
      assert.equal(dialogFor(record(), click('U0ANA', 'approve')), undefined, 'no inputs');
      assert.equal(dialogFor(record(), click('U0EVE', 'reject')), undefined, 'not allowed');
      assert.equal(dialogFor(record(), click('U0INIT', 'reject')), undefined, 'the initiator');
      applyClick(doc, click('U0ANA', 'reject', { inputs: { reason: 'no' } }));
      assert.equal(dialogFor(record(), click('U0ANA', 'reject')), undefined, 'decided');
    });

    it('lets a user an allowed group may hold reach the form; the submission checks the group', function () {
      const { record } = setup({ 'allowed-groups': ['S0OPS'] });
      assert.ok(dialogFor(record(), click('U0ANA', 'reject')));
      assert.equal(dialogFor(record(), click('U0ANA', 'reject', { userGroups: [] })), undefined);
    });

    it('builds a modal whose submission reads back as the answers and the target', function () {
      const { record } = setup({}, [REASON, WINDOW]);
      const dialog = dialogFor(record(), click('U0ANA', 'reject'));
      assert.ok(dialog);
      const target = {
        contextId: 'ctx-1',
        choiceId: record().id,
        value: 'reject',
        channel: CHANNEL,
        messageTs: TS,
      };
      const view = choiceModal(dialog, target) as Record<string, unknown>;
      assert.deepEqual(dialogTargetOf(view), target);
      assert.equal(dialogTargetOf({ private_metadata: '{"contextId":"x"}' }), undefined);
      assert.equal(dialogTargetOf({ private_metadata: 'not json' }), undefined);
      const state = {
        values: {
          'input:reason': { value: { type: 'plain_text_input', value: 'because' } },
          'input:window': { value: { type: 'static_select', selected_option: { text: {}, value: 'later' } } },
          other: { value: { type: 'plain_text_input', value: 'ignored' } },
        },
      };
      assert.deepEqual(submittedValues({ ...view, state }), { reason: 'because', window: 'later' });
      assert.equal(
        choiceModal(dialog, { ...target, value: 'v'.repeat(3000) }),
        undefined,
        'too long for Slack',
      );
    });

    it('reads back a damaged declaration as asking for less, never for a type it cannot check', function () {
      assert.deepEqual(
        inputsOf({ inputs: [{ name: 'x', type: 'essay' }, 'junk', { name: 'ok', type: 'text' }] }),
        [
          {
            name: 'ok',
            type: 'text',
            label: 'ok',
            required: false,
            pattern: null,
            maxLength: null,
            options: [],
          },
        ],
      );
    });
  });
});

describe('examples/dialogs/app.yaml', function () {
  it('declares inputs manual-choice accepts: Reject requires a reason', function () {
    const app = parseYaml(
      readFileSync(resolve(__dirname, '../../examples/dialogs/app.yaml'), 'utf8'),
    ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const config = app['cicd-contexts'].prod.pipelines.build['event-handlers'].success['manual-choice'];
    const options = offeredOptions(config.choices, 'examples/dialogs');
    const reject = options.find((o) => o.value === 'reject') as Record<string, unknown>;
    assert.deepEqual(
      inputsOf(reject).map((i) => [i.name, i.type, i.required, i.maxLength]),
      [['reason', 'multiline', true, 500]],
    );
    const deploy = inputsOf(options.find((o) => o.value === 'deploy') as Record<string, unknown>);
    assert.deepEqual(inputErrors(deploy, { window: 'tonight', ticket: 'CHG-42' }), {});
    assert.deepEqual(Object.keys(inputErrors(deploy, { ticket: 'CHG-x' })), ['window', 'ticket']);
  });
});
