import assert from 'node:assert/strict';
import { SlacklineError, UsageError } from '../../src/core/errors';
import { parseHandleEvent } from '../../src/events/handle-event';
import { namedConfigs } from '../../src/events/named-configs';
import { offeredChoice, type OfferedChoiceInput } from '../../src/events/offered-choice';
import { RecordedChanges } from '../../src/events/recorded-changes';

describe('events', function () {
  describe('parseHandleEvent', function () {
    it('splits PIPELINE=EVENT', function () {
      assert.deepEqual(parseHandleEvent('build=success'), { pipeline: 'build', event: 'success' });
    });
    for (const bad of ['build', 'build=', '=success', 'a=b=c']) {
      it(`rejects "${bad}" with exit code 1, as cicdstatemgr does`, function () {
        assert.throws(
          () => parseHandleEvent(bad),
          (error: unknown) =>
            error instanceof SlacklineError && !(error instanceof UsageError) && error.exitCode === 1,
        );
      });
    }
  });

  describe('namedConfigs', function () {
    it('runs a config with the marker key as "default"', function () {
      const config = { message: 'hi', enabled: true };
      assert.deepEqual(namedConfigs(config, 'message'), [['default', config]]);
    });
    it('runs named configs in order and ignores enabled beside them', function () {
      const config = { b: { message: '1' }, enabled: true, a: { message: '2' } };
      assert.deepEqual(namedConfigs(config, 'message'), [
        ['b', { message: '1' }],
        ['a', { message: '2' }],
      ]);
    });
  });

  describe('RecordedChanges', function () {
    it('replays the sets onto a newer document, keeping what another writer added', function () {
      const changes = new RecordedChanges();
      const mine: Record<string, unknown> = { state: { list: ['a'] } };
      changes.set(mine, 'state.mine', 'x');
      changes.set(mine, 'state.list[]', 'b');
      assert.deepEqual(mine, { state: { list: ['a', 'b'], mine: 'x' } });
      const latest: Record<string, unknown> = { state: { list: ['a', 'z'], theirs: 'y' } };
      changes.replay(latest);
      assert.deepEqual(latest, { state: { list: ['a', 'z', 'b'], theirs: 'y', mine: 'x' } });
      assert.equal(changes.size, 2);
    });

    it('replays a copy: changing the recorded value later does not leak into the replay', function () {
      const changes = new RecordedChanges();
      const value = { a: 1 };
      changes.set({}, 'state.obj', value);
      value.a = 2;
      const target: Record<string, unknown> = {};
      changes.replay(target);
      assert.deepEqual(target, { state: { obj: { a: 1 } } });
    });
  });

  describe('offeredChoice', function () {
    const now = new Date('2026-11-21T10:00:00.000Z');
    const input = (config: Record<string, unknown>): OfferedChoiceInput => ({
      pipeline: 'build',
      event: 'success',
      handler: 'default',
      title: 'Deploy?',
      choices: {
        go: { header: 'Go', options: [{ text: 'Yes', value: 'yes', style: 'primary', route: 'deploy' }] },
        stop: { header: 'Stop', options: [{ text: 'No', value: 'no' }] },
      },
      config,
      initiator: null,
      answer: { ok: true, channel: 'C1', ts: '1.000100', message: { thread_ts: '1.000001' } },
      now,
    });

    it('records every option with its group, the message, and the defaults', function () {
      const choice = offeredChoice(input({}));
      assert.match(choice.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(
        choice.options.map((o) => [o.group, o.header, o.text, o.value, o.style, o['route']]),
        [
          ['go', 'Go', 'Yes', 'yes', 'primary', 'deploy'],
          ['stop', 'Stop', 'No', 'no', null, undefined],
        ],
      );
      assert.deepEqual(
        [choice.channel, choice.messageTs, choice.threadTs, choice.postedAt],
        ['C1', '1.000100', '1.000001', '2026-11-21T10:00:00.000Z'],
      );
      assert.deepEqual(
        [choice.allowedUsers, choice.approvalsNeeded, choice.expiresAt, choice.status],
        [[], 1, null, 'open'],
      );
    });

    for (const [expiresIn, expected] of [
      [90, '2026-11-21T10:01:30.000Z'],
      ['30m', '2026-11-21T10:30:00.000Z'],
      ['2h', '2026-11-21T12:00:00.000Z'],
      ['1d', '2026-11-22T10:00:00.000Z'],
    ] as const) {
      it(`reads expires-in ${expiresIn}`, function () {
        assert.equal(offeredChoice(input({ 'expires-in': expiresIn })).expiresAt, expected);
      });
    }

    const invalid: Array<[Record<string, unknown>, RegExp]> = [
      [{ 'expires-in': 'soon' }, /expires-in must be like 90, 30m, 2h or 1d, got "soon"/],
      [{ 'approvals-needed': 0 }, /approvals-needed must be 1 or more/],
      [{ 'allowed-users': 'U1' }, /allowed-users must be a list of Slack ids/],
    ];
    for (const [config, message] of invalid) {
      it(`rejects ${JSON.stringify(config)}`, function () {
        assert.throws(
          () => offeredChoice(input(config)),
          (e: unknown) => e instanceof SlacklineError && message.test(e.message),
        );
      });
    }
  });
});
