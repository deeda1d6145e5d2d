import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyClick } from '../../src/core/choice/apply-click';
import type { ChoiceRecord } from '../../src/core/choice/choice-record';
import type { Click, ClickOutcome } from '../../src/core/choice/click';
import { recordAttempt, recordDelivery } from '../../src/core/choice/delivery';
import { choiceEvent } from '../../src/core/choice/choice-event';
import { findChoiceByMessage } from '../../src/core/choice/read-choice';
import { deepCopy, type ContextDocument } from '../../src/core/document';
import { SlacklineError } from '../../src/core/errors';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { offeredChoice } from '../../src/events/offered-choice';

const POSTED = new Date('2024-05-01T12:00:00.000Z');
const CHANNEL = 'C0DEPLOYS';
const TS = '1714564800.000100';

/** A document holding one choice exactly as manual-choice records it: Dev and Prod buttons in group "where". */
function setup(
  config: Record<string, unknown> = {},
  initiator: string | null = null,
  title = 'Deploy 1.0.0?',
) {
  const choice = offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'default',
    title,
    choices: {
      where: {
        header: 'Where to?',
        options: [
          { text: 'Dev', value: 'dev', style: 'primary' },
          { text: 'Prod', value: 'prod', style: 'danger' },
        ],
      },
    },
    config,
    initiator,
    answer: { ok: true, channel: CHANNEL, ts: TS, message: { thread_ts: '1714564000.000001' } },
    now: POSTED,
  });
  const doc: ContextDocument = {
    state: { cicdContextDataId: 'ctx-1', offeredChoices: { [choice.id]: choice } },
  };
  return { doc, id: choice.id, record: () => findChoiceByMessage(doc, CHANNEL, TS) as ChoiceRecord };
}

function click(userId: string, value: string, minutes = 1, extra: Partial<Click> = {}): Click {
  return {
    userId,
    channelId: CHANNEL,
    messageTs: TS,
    value,
    at: new Date(POSTED.getTime() + minutes * 60_000),
    ...extra,
  };
}

function at(minutes: number): Date {
  return new Date(POSTED.getTime() + minutes * 60_000);
}

function refused(outcome: ClickOutcome) {
  assert.equal(outcome.kind, 'refused', JSON.stringify(outcome));
  return outcome as Extract<ClickOutcome, { kind: 'refused' }>;
}

describe('choice decision', function () {
  describe('findChoiceByMessage', function () {
    it('finds the choice posted as that message, and nothing for another message or channel', function () {
      const { doc, id } = setup();
      assert.equal(findChoiceByMessage(doc, CHANNEL, TS)?.id, id);
      assert.equal(findChoiceByMessage(doc, CHANNEL, '1714564800.000200'), undefined);
      assert.equal(findChoiceByMessage(doc, 'C0OTHER', TS), undefined);
      assert.equal(findChoiceByMessage({ state: {} }, CHANNEL, TS), undefined);
      assert.equal(findChoiceByMessage({}, CHANNEL, TS), undefined);
    });
  });

  describe('applyClick', function () {
    it('refuses a click on a message with no recorded choice, changing nothing', function () {
      const { doc } = setup();
      const before = deepCopy(doc);
      const outcome = applyClick(doc, { ...click('U1', 'dev'), messageTs: '1714564800.999999' });
      assert.deepEqual(outcome, {
        kind: 'refused',
        reason: 'no-choice',
        message: 'No choice is recorded for this message, so the click did nothing.',
      });
      assert.deepEqual(doc, before);
    });

    it('refuses a value that is not one of the options, auditing it once per user', function () {
      const { doc, id, record } = setup();
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(applyClick(doc, click('U1', 'staging')), {
          kind: 'refused',
          reason: 'unknown-option',
          message: 'This button is not one of the options of "Deploy 1.0.0?", so the click did nothing.',
          choiceId: id,
        });
      }
      assert.deepEqual(record().audit, [
        {
          at: '2024-05-01T12:01:00.000Z',
          user: 'U1',
          action: 'refused',
          value: 'staging',
          reason: 'unknown-option',
        },
      ]);
      assert.equal(record().status, 'open');
    });

    it('decides on the first click when one approval is needed (the default)', function () {
      const { doc, id, record } = setup();
      const outcome = applyClick(doc, click('U1', 'prod'));
      const decision = {
        choiceId: id,
        option: { group: 'where', header: 'Where to?', text: 'Prod', value: 'prod', style: 'danger' },
        decidedBy: 'U1',
        approvers: ['U1'],
        decidedAt: '2024-05-01T12:01:00.000Z',
        message: { channel: CHANNEL, ts: TS },
        delivery: {
          status: 'pending',
          attempts: 0,
          since: '2024-05-01T12:01:00.000Z',
          deadline: '2024-05-01T12:11:00.000Z',
        },
      };
      assert.equal(outcome.kind, 'decided');
      const { event, ...decided } = (outcome as Extract<ClickOutcome, { kind: 'decided' }>).decision;
      assert.deepEqual(decided, decision);
      // What every delivery sends: the event, with the id that stays the same across retries.
      assert.equal(event?.kind, 'choice');
      assert.equal(
        event?.id,
        choiceEvent({ decision: decided, context: { id: null, name: null }, user: { id: 'U1' } }).id,
      );
      assert.deepEqual([event?.user.id, event?.context.id, event?.option?.value], ['U1', 'ctx-1', 'prod']);
      assert.equal(record().status, 'decided');
      assert.deepEqual(record().decision, { ...decision, event });
      assert.deepEqual(record().votes, [{ user: 'U1', value: 'prod', at: '2024-05-01T12:01:00.000Z' }]);
      assert.deepEqual(record().audit, [
        { at: '2024-05-01T12:01:00.000Z', user: 'U1', action: 'decided', value: 'prod' },
      ]);
    });

    it('returns a copy of the decision, so the caller cannot change the document by accident', function () {
      const { doc, record } = setup();
      const outcome = applyClick(doc, click('U1', 'prod'));
      assert.equal(outcome.kind, 'decided');
      if (outcome.kind === 'decided') outcome.decision.approvers.push('U9');
      assert.deepEqual(record().decision?.approvers, ['U1']);
    });

    it('refuses clicks while the decision is being delivered, without auditing them', function () {
      const { doc, id, record } = setup();
      applyClick(doc, click('U1', 'prod'));
      for (const value of ['prod', 'dev']) {
        assert.deepEqual(applyClick(doc, click('U2', value, 2)), {
          kind: 'refused',
          reason: 'delivery-in-progress',
          message:
            '"Deploy 1.0.0?" was decided ("Prod") and is being sent on right now; nothing more was done.',
          choiceId: id,
        });
      }
      assert.equal(record().audit?.length, 1);
    });

    it('says a delivery is being retried until its deadline, and sends it again for a click after it', function () {
      const { doc, id, record } = setup();
      applyClick(doc, click('U1', 'prod', 1));
      recordAttempt(
        doc,
        id,
        { ok: false, error: 'the EventListener answered 503', route: 'default' },
        at(1.1),
      );
      assert.deepEqual(applyClick(doc, click('U2', 'prod', 6)), {
        kind: 'refused',
        reason: 'delivery-in-progress',
        message:
          '"Deploy 1.0.0?" was decided ("Prod") and is being sent on right now; nothing more was done. The ' +
          'pipeline could not be reached yet (the EventListener answered 503); slackline keeps trying until ' +
          '2024-05-01 12:11 UTC.',
        choiceId: id,
      });
      // Past the deadline nothing is being sent any more (the sweeper gives it up): the decided option sends again.
      assert.equal(refused(applyClick(doc, click('U2', 'dev', 11))).reason, 'already-decided');
      const again = applyClick(doc, click('U2', 'prod', 11));
      assert.equal(again.kind, 'redeliver');
      assert.equal(record().decision?.delivery.status, 'pending');
      assert.equal(record().decision?.delivery.attempts, 1, 'the attempts made so far are kept');
    });

    it('says who chose what and when once the choice is decided and delivered', function () {
      const { doc, id, record } = setup({ 'approvals-needed': 2 });
      applyClick(doc, click('U1', 'prod', 1));
      applyClick(doc, click('U2', 'prod', 2));
      recordDelivery(doc, id, {
        status: 'delivered',
        attempts: 1,
        eventId: 'ev-1',
        at: '2024-05-01T12:02:01.000Z',
        route: 'deploy',
      });
      const auditLength = record().audit?.length;
      for (let i = 0; i < 20; i++) {
        assert.deepEqual(applyClick(doc, click('U3', i % 2 ? 'dev' : 'prod', 3)), {
          kind: 'refused',
          reason: 'already-decided',
          message:
            '"Deploy 1.0.0?" was already decided: <@U1> and <@U2> chose "Prod" at 2024-05-01 12:02 UTC.',
          choiceId: id,
        });
      }
      assert.equal(record().audit?.length, auditLength, '20 duplicate clicks add no audit entries');
    });

    describe('quorum', function () {
      it('needs two distinct users when approvals-needed is 2', function () {
        const { doc, id, record } = setup({ 'approvals-needed': 2 });
        assert.deepEqual(applyClick(doc, click('U1', 'prod', 1)), {
          kind: 'voted',
          choiceId: id,
          votes: 1,
          needed: 2,
        });
        assert.deepEqual(applyClick(doc, click('U1', 'prod', 2)), {
          kind: 'refused',
          reason: 'already-voted',
          message: 'You already voted for "Prod" (1 of 2 approvals so far).',
          choiceId: id,
        });
        const outcome = applyClick(doc, click('U2', 'prod', 3));
        assert.equal(outcome.kind, 'decided');
        if (outcome.kind === 'decided') {
          assert.equal(outcome.decision.decidedBy, 'U2');
          assert.deepEqual(outcome.decision.approvers, ['U1', 'U2']);
          assert.equal(outcome.decision.decidedAt, '2024-05-01T12:03:00.000Z');
        }
        assert.deepEqual(
          record().audit?.map((e) => [e.user, e.action]),
          [
            ['U1', 'voted'],
            ['U2', 'decided'],
          ],
        );
      });

      it('moves a vote when the same user clicks another option', function () {
        const { doc, id, record } = setup({ 'approvals-needed': 2 });
        applyClick(doc, click('U1', 'dev', 1));
        assert.deepEqual(applyClick(doc, click('U1', 'prod', 2)), {
          kind: 'voted',
          choiceId: id,
          votes: 1,
          needed: 2,
        });
        assert.deepEqual(record().votes, [{ user: 'U1', value: 'prod', at: '2024-05-01T12:02:00.000Z' }]);
        // U1's old vote for dev no longer counts: U2 alone is one of two.
        assert.deepEqual(applyClick(doc, click('U2', 'dev', 3)), {
          kind: 'voted',
          choiceId: id,
          votes: 1,
          needed: 2,
        });
        const outcome = applyClick(doc, click('U2', 'prod', 4));
        assert.equal(outcome.kind, 'decided');
        if (outcome.kind === 'decided') assert.deepEqual(outcome.decision.approvers, ['U1', 'U2']);
      });
    });

    describe('authorization', function () {
      it('lets anyone choose when there are no allow-lists', function () {
        const { doc } = setup();
        assert.equal(applyClick(doc, click('U0ANYONE', 'dev')).kind, 'decided');
      });

      it('refuses a user who is not on the allow-list, auditing it once', function () {
        const { doc, id, record } = setup({ 'allowed-users': ['U1', 'U2'] });
        for (let i = 0; i < 5; i++) {
          assert.deepEqual(applyClick(doc, click('U9', 'prod')), {
            kind: 'refused',
            reason: 'not-allowed',
            message: 'Only <@U1> or <@U2> can make this choice.',
            choiceId: id,
          });
        }
        assert.deepEqual(record().audit, [
          {
            at: '2024-05-01T12:01:00.000Z',
            user: 'U9',
            action: 'refused',
            value: 'prod',
            reason: 'not-allowed',
          },
        ]);
        assert.equal(applyClick(doc, click('U2', 'prod')).kind, 'decided');
      });

      it('allows members of an allowed user group, and says when groups could not be checked', function () {
        const { doc, id } = setup({ 'allowed-users': ['U1'], 'allowed-groups': ['S0OPS'] });
        assert.deepEqual(applyClick(doc, click('U7', 'prod')), {
          kind: 'refused',
          reason: 'not-allowed',
          message:
            'Only <@U1> or members of <!subteam^S0OPS> can make this choice (your user groups could not be checked).',
          choiceId: id,
        });
        assert.deepEqual(applyClick(doc, click('U7', 'prod', 1, { userGroups: ['S0DEV'] })), {
          kind: 'refused',
          reason: 'not-allowed',
          message: 'Only <@U1> or members of <!subteam^S0OPS> can make this choice.',
          choiceId: id,
        });
        assert.equal(
          applyClick(doc, click('U7', 'prod', 1, { userGroups: ['S0DEV', 'S0OPS'] })).kind,
          'decided',
        );
      });

      it('accepts allow-list entries written as Slack mentions', function () {
        const { doc } = setup({
          'allowed-users': ['<@U1|alice>'],
          'allowed-groups': ['<!subteam^S0OPS|ops>'],
        });
        assert.equal(applyClick(deepCopy(doc), click('U1', 'prod')).kind, 'decided');
        assert.equal(
          applyClick(deepCopy(doc), click('U2', 'prod', 1, { userGroups: ['S0OPS'] })).kind,
          'decided',
        );
      });

      for (const initiator of ['U1', '<@U1>', 'alice']) {
        it(`refuses the initiator (recorded as "${initiator}") when exclude-initiator is set`, function () {
          const { doc, id } = setup({ 'exclude-initiator': true }, initiator);
          assert.deepEqual(applyClick(doc, click('U1', 'prod', 1, { userName: 'alice' })), {
            kind: 'refused',
            reason: 'initiator-excluded',
            message: 'You started this, so someone else has to make this choice.',
            choiceId: id,
          });
          assert.equal(applyClick(doc, click('U2', 'prod', 1, { userName: 'bob' })).kind, 'decided');
        });
      }

      it('lets the initiator choose when exclude-initiator is not set', function () {
        const { doc } = setup({}, 'U1');
        assert.equal(applyClick(doc, click('U1', 'prod')).kind, 'decided');
      });

      it('checks the allow-list before the initiator exclusion', function () {
        const { doc } = setup({ 'allowed-users': ['U2'], 'exclude-initiator': true }, 'U1');
        assert.equal(refused(applyClick(doc, click('U1', 'prod'))).reason, 'not-allowed');
      });
    });

    describe('expiry', function () {
      it('accepts a click before the expiry', function () {
        const { doc } = setup({ 'expires-in': '30m' });
        assert.equal(applyClick(doc, click('U1', 'prod', 29)).kind, 'decided');
      });

      it('closes the choice in the document on the first click after the expiry', function () {
        const { doc, id, record } = setup({ 'expires-in': '30m' });
        const expired = {
          kind: 'refused',
          reason: 'expired',
          message: '"Deploy 1.0.0?" expired at 2024-05-01 12:30 UTC, so the click did nothing.',
          choiceId: id,
        };
        assert.deepEqual(applyClick(doc, click('U1', 'prod', 30)), expired);
        assert.equal(record().status, 'expired');
        assert.deepEqual(record().audit, [
          { at: '2024-05-01T12:30:00.000Z', user: 'U1', action: 'expired', value: 'prod' },
        ]);
        // Saved: a reader of the stored YAML sees it closed, and later clicks are refused without growing it.
        const reloaded = parseYaml(dumpYaml(doc)) as ContextDocument;
        assert.equal(findChoiceByMessage(reloaded, CHANNEL, TS)?.status, 'expired');
        assert.deepEqual(applyClick(reloaded, click('U2', 'dev', 60)), expired);
        assert.equal(findChoiceByMessage(reloaded, CHANNEL, TS)?.audit?.length, 1);
      });

      it('closes a choice whose expiry does not parse rather than leave it open forever', function () {
        const { doc, record } = setup();
        record().expiresAt = 'next tuesday';
        assert.deepEqual(applyClick(doc, click('U1', 'prod')), {
          kind: 'refused',
          reason: 'expired',
          message: '"Deploy 1.0.0?" is closed, so the click did nothing.',
          choiceId: record().id,
        });
      });

      it('treats a status it does not know as closed', function () {
        const { doc, record } = setup();
        (record() as unknown as Record<string, unknown>)['status'] = 'cancelled';
        assert.equal(refused(applyClick(doc, click('U1', 'prod'))).reason, 'expired');
      });
    });

    describe('redelivery', function () {
      function failed() {
        const setupResult = setup({ 'allowed-users': ['U1', 'U2'] });
        const { doc, id } = setupResult;
        applyClick(doc, click('U1', 'prod', 1));
        // As versions before the outbox recorded a delivery that failed its retries: read as undelivered.
        recordDelivery(doc, id, {
          status: 'failed',
          attempts: 3,
          error: 'EventListener answered 503',
          at: '2024-05-01T12:01:30.000Z',
          route: 'deploy',
        } as never);
        return setupResult;
      }

      it('forwards a failed decision again when an allowed user clicks the decided option', function () {
        const { doc, id, record } = failed();
        const outcome = applyClick(doc, click('U2', 'prod', 5));
        assert.equal(outcome.kind, 'redeliver');
        if (outcome.kind === 'redeliver') {
          assert.equal(outcome.choiceId, id);
          assert.equal(outcome.decision.decidedBy, 'U1', 'the decision itself is unchanged');
          assert.deepEqual(outcome.decision.delivery, {
            status: 'pending',
            attempts: 3,
            since: '2024-05-01T12:05:00.000Z',
            deadline: '2024-05-01T12:15:00.000Z',
          });
          assert.equal(outcome.decision.event?.user.id, 'U2', 'the event names who asked for it again');
        }
        assert.deepEqual(record().decision?.delivery, {
          status: 'pending',
          attempts: 3,
          since: '2024-05-01T12:05:00.000Z',
          deadline: '2024-05-01T12:15:00.000Z',
        });
        assert.deepEqual(record().audit?.at(-1), {
          at: '2024-05-01T12:05:00.000Z',
          user: 'U2',
          action: 'redeliver',
          value: 'prod',
        });
        assert.equal(refused(applyClick(doc, click('U1', 'prod', 5))).reason, 'delivery-in-progress');
      });

      it('refuses a redelivery asked for by a user who may not choose', function () {
        const { doc, record } = failed();
        assert.equal(refused(applyClick(doc, click('U9', 'prod', 5))).reason, 'not-allowed');
        assert.equal(record().decision?.delivery.status, 'failed');
      });

      it('never sends the decision for a click on another option, but says how to retry', function () {
        const { doc, id } = failed();
        assert.deepEqual(applyClick(doc, click('U2', 'dev', 5)), {
          kind: 'refused',
          reason: 'already-decided',
          message:
            '"Deploy 1.0.0?" was already decided: <@U1> chose "Prod" at 2024-05-01 12:01 UTC.' +
            ' Sending it on failed: click "Prod" to try again.',
          choiceId: id,
        });
      });
    });

    it('escapes titles and option texts, so rendered data cannot ping the channel', function () {
      const { doc } = setup({ 'allowed-users': ['U1'] }, null, 'Deploy <!channel> & co');
      applyClick(doc, click('U1', 'prod'));
      assert.match(
        refused(applyClick(doc, click('U2', 'prod'))).message,
        /^"Deploy &lt;!channel&gt; &amp; co" was decided/,
      );
    });

    it('gives the same outcome and document when replayed on a re-read document (write conflict)', function () {
      const { doc } = setup({ 'approvals-needed': 2 });
      applyClick(doc, click('U1', 'prod', 1));
      const first = deepCopy(doc);
      const second = parseYaml(dumpYaml(doc)) as ContextDocument;
      const a = applyClick(first, click('U2', 'prod', 2));
      const b = applyClick(second, click('U2', 'prod', 2));
      assert.deepEqual(a, b);
      assert.deepEqual(first, second);
      assert.doesNotMatch(dumpYaml(first), /[&*]ref_/, 'no shared objects for YAML to turn into aliases');
    });

    it('reads a hand-damaged record defensively', function () {
      const { doc, record } = setup();
      const raw = record() as unknown as Record<string, unknown>;
      raw['votes'] = 'none';
      raw['approvalsNeeded'] = 0;
      raw['audit'] = {};
      assert.equal(applyClick(doc, click('U1', 'prod')).kind, 'decided');
      assert.equal(record().audit?.length, 1);
    });

    it('keeps an audit trail it cannot read, and still refuses once per user', function () {
      const { doc, record } = setup({ 'allowed-users': ['U1'] });
      (record() as unknown as Record<string, unknown>)['audit'] = ['hand-written note', 3];
      applyClick(doc, click('U9', 'prod'));
      applyClick(doc, click('U9', 'prod'));
      assert.deepEqual(record().audit?.slice(0, 2), ['hand-written note', 3]);
      assert.equal(record().audit?.length, 3);
    });
  });

  describe('recordDelivery', function () {
    it('records a delivery with the EventListener event id, audited as slackline itself', function () {
      const { doc, id, record } = setup();
      applyClick(doc, click('U1', 'prod'));
      const delivered = {
        status: 'delivered' as const,
        attempts: 1,
        eventId: '2b3c4d5e-0000-4000-8000-000000000001',
        at: '2024-05-01T12:01:01.000Z',
        route: 'deploy',
      };
      recordDelivery(doc, id, delivered);
      assert.deepEqual(record().decision?.delivery, delivered);
      assert.deepEqual(record().audit?.at(-1), {
        at: '2024-05-01T12:01:01.000Z',
        user: null,
        action: 'delivered',
        value: 'prod',
        eventId: '2b3c4d5e-0000-4000-8000-000000000001',
      });
    });

    it('records a failed attempt without an audit entry, and the giving up at the deadline with its error', function () {
      const { doc, id, record } = setup();
      applyClick(doc, click('U1', 'prod'));
      const failure = { ok: false as const, error: 'connection refused', route: 'deploy' };
      assert.deepEqual(recordAttempt(doc, id, failure, at(1.5)), {
        status: 'pending',
        attempts: 1,
        since: '2024-05-01T12:01:00.000Z',
        deadline: '2024-05-01T12:11:00.000Z',
        lastError: 'connection refused',
        nextAttemptAt: '2024-05-01T12:01:30.250Z',
        route: 'deploy',
      });
      assert.equal(record().audit?.length, 1);
      assert.deepEqual(recordAttempt(doc, id, failure, at(11)), {
        status: 'undelivered',
        attempts: 2,
        error: 'connection refused',
        at: '2024-05-01T12:11:00.000Z',
        route: 'deploy',
      });
      assert.deepEqual(record().audit?.at(-1), {
        at: '2024-05-01T12:11:00.000Z',
        user: null,
        action: 'undelivered',
        value: 'prod',
        error: 'connection refused',
      });
      // Given up is an outcome: a late attempt's success is not recorded over it, nor anything else.
      assert.equal(recordAttempt(doc, id, { ok: true, eventId: 'late', route: 'deploy' }, at(12)), undefined);
    });

    it('fails clearly for a choice that is not there or not decided', function () {
      const { doc, id } = setup();
      const pending = { status: 'pending' as const, attempts: 0, since: POSTED.toISOString(), deadline: '' };
      assert.throws(() => recordDelivery(doc, 'nope', pending), SlacklineError);
      assert.throws(
        () => recordDelivery(doc, id, pending),
        (e: Error) =>
          e instanceof SlacklineError && e.message === `Offered choice ${id} has no decision to deliver`,
      );
    });
  });

  describe('properties', function () {
    const USERS = ['U1', 'U2', 'U3', 'U4', 'U5'];
    const arbitraryClick = fc.record({
      user: fc.constantFrom(...USERS),
      value: fc.constantFrom('dev', 'prod', 'nope'),
      twice: fc.boolean(),
      groups: fc.option(fc.subarray(['S1', 'S2']), { nil: undefined }),
    });

    it('decides at most once, exactly when an option first reaches the quorum of distinct allowed users', function () {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 3 }),
          fc.subarray(USERS),
          fc.subarray(['S1', 'S2']),
          fc.option(fc.constantFrom(...USERS), { nil: null }),
          fc.array(arbitraryClick, { maxLength: 40 }),
          (needed, allowedUsers, allowedGroups, initiator, clicks) => {
            const { doc } = setup(
              {
                'approvals-needed': needed,
                'allowed-users': allowedUsers,
                'allowed-groups': allowedGroups,
                'exclude-initiator': initiator !== null,
              },
              initiator,
            );
            const open = allowedUsers.length === 0 && allowedGroups.length === 0;
            const mayChoose = (user: string, groups: string[] | undefined) =>
              (open ||
                allowedUsers.includes(user) ||
                (groups ?? []).some((g) => allowedGroups.includes(g))) &&
              user !== initiator;

            // The model: one vote per allowed user, moved by a click on another option.
            const votes = new Map<string, string>();
            let decided = false;
            let previous: ClickOutcome | undefined;
            const sequence = clicks.flatMap((c) => (c.twice ? [c, c] : [c]));
            sequence.forEach((c, i) => {
              const outcome = applyClick(
                doc,
                // A second apart: all within the delivery deadline, after which a click would redeliver.
                click(c.user, c.value, (i + 1) / 60, c.groups === undefined ? {} : { userGroups: c.groups }),
              );
              let expected: ClickOutcome['kind'] = 'refused';
              if (
                !decided &&
                c.value !== 'nope' &&
                mayChoose(c.user, c.groups) &&
                votes.get(c.user) !== c.value
              ) {
                votes.set(c.user, c.value);
                const count = [...votes.values()].filter((v) => v === c.value).length;
                expected = count >= needed ? 'decided' : 'voted';
                decided ||= expected === 'decided';
              }
              assert.equal(outcome.kind, expected, `click ${i}: ${JSON.stringify(c)}`);
              if (outcome.kind === 'decided') {
                assert.equal(outcome.decision.approvers.length, needed);
                assert.equal(new Set(outcome.decision.approvers).size, needed);
                assert.ok(outcome.decision.approvers.every((u) => votes.get(u) === c.value));
              }
              assert.ok(!(previous?.kind === 'decided' && outcome.kind === 'decided'));
              previous = outcome;
            });
          },
        ),
        { numRuns: 300 },
      );
    });

    it('never decides twice when the same click is applied twice in a row', function () {
      fc.assert(
        fc.property(
          fc.array(arbitraryClick, { maxLength: 20 }),
          fc.integer({ min: 1, max: 3 }),
          (clicks, needed) => {
            const { doc } = setup({ 'approvals-needed': needed });
            let decisions = 0;
            clicks.forEach((c, i) => {
              const same = click(c.user, c.value, i + 1);
              const kinds = [applyClick(doc, same).kind, applyClick(doc, same).kind];
              assert.notDeepEqual(kinds, ['decided', 'decided']);
              decisions += kinds.filter((k) => k === 'decided').length;
            });
            assert.ok(decisions <= 1);
          },
        ),
      );
    });

    it('audits a refusal at most once per user, reason and value, and never a duplicate click', function () {
      fc.assert(
        fc.property(fc.array(arbitraryClick, { maxLength: 60 }), (clicks) => {
          const { doc, record } = setup({ 'allowed-users': ['U1', 'U2', 'U3'], 'approvals-needed': 3 });
          const rounds = [...clicks, ...clicks, ...clicks];
          rounds.forEach((c, i) => applyClick(doc, click(c.user, c.value, i + 1)));
          const refusals = (record().audit ?? []).filter((e) => e.action === 'refused');
          const keys = refusals.map((e) => `${e.user} ${e.reason} ${e.value}`);
          assert.equal(new Set(keys).size, keys.length);
          assert.ok(refusals.every((e) => e.reason === 'unknown-option' || e.reason === 'not-allowed'));
          assert.ok((record().audit ?? []).length <= rounds.length);
        }),
      );
    });
  });
});
