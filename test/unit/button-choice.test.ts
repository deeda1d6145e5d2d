import assert from 'node:assert/strict';
import { applyButtonClick, type ButtonClick, type ButtonRules } from '../../src/core/choice/button-choice';
import type { Click } from '../../src/core/choice/click';
import type { ContextDocument } from '../../src/core/document';
import { decodeLegacyButtonValue } from '../../src/core/legacy-button-value';
import { offeredChoice } from '../../src/events/offered-choice';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AT = new Date('2024-05-01T12:00:00.000Z');
const CHANNEL = 'C0OLD';
const TS = '1600000000.000100';
const value = (fields: Record<string, string>) =>
  `deploy-v1-app|${Buffer.from(JSON.stringify({ cicdContextDataId: 'ctx-1', trigger: 'deploy', ...fields })).toString('base64')}`;
const VALUE = value({ targetAppTag: '1.0.0' });
const OPEN: ButtonRules = { allowedUsers: [], allowedGroups: [], route: null };

function buttonClick(userId: string, clicked = VALUE, onMessage: string[] = [clicked]): ButtonClick {
  const click: Click = { userId, channelId: CHANNEL, messageTs: TS, value: clicked, at: AT };
  return {
    click,
    button: decodeLegacyButtonValue(clicked)!,
    messageValues: onMessage,
    messageText: 'Deploy app 1.0.0?',
    threadTs: null,
  };
}

/** A context cicdstatemgr alone wrote: no offered choices. */
const plain = (): ContextDocument => ({ state: { cicdContextDataId: 'ctx-1', cicdContextName: 'dev' } });

/** A context slackline offered a choice in, with an allow-list; `values` are its options' values. */
function offering(values: string[]): ContextDocument {
  const choice = offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'manual-choice',
    title: 'Deploy?',
    choices: { go: { header: 'Go?', options: values.map((v, i) => ({ text: `Option ${i}`, value: v })) } },
    config: { 'allowed-users': ['U0ANA'] },
    initiator: null,
    answer: { ok: true, channel: 'C0NEW', ts: '1714564800.000100', message: {} },
    now: AT,
  });
  return { state: { cicdContextDataId: 'ctx-1', offeredChoices: { [choice.id]: choice } } };
}

describe('cicdstatemgr buttons on messages slackline never indexed', function () {
  it('refuses a value that is not one of the buttons of the signed message, recording nothing', function () {
    const doc = plain();
    const outcome = applyButtonClick(
      doc,
      buttonClick('U0EVE', value({ targetAppTag: '6.6.6' }), [VALUE]),
      OPEN,
      {},
    );
    assert.deepEqual(outcome, {
      kind: 'refused',
      reason: 'unknown-option',
      message: 'This button is not on the message it was clicked on, so the click did nothing.',
    });
    assert.equal((doc as Doc).state.legacyDecisions, undefined);
  });

  it("refuses a value the context's own choices do not offer", function () {
    const doc = offering(['approve']);
    const outcome = applyButtonClick(doc, buttonClick('U0ANA'), OPEN, {});
    assert.equal(outcome.kind, 'refused');
    assert.equal(
      (outcome as { message: string }).message,
      'This button is not one of the choices offered in its context, so the click did nothing.',
    );
  });

  it('decides one the context offers under that choice’s allow-list', function () {
    const doc = offering([VALUE]);
    const outsider = applyButtonClick(doc, buttonClick('U0EVE'), OPEN, {});
    assert.equal(outsider.kind, 'refused');
    assert.match((outsider as { message: string }).message, /^Only <@U0ANA> can make this choice\.$/);
    const allowed = applyButtonClick(doc, buttonClick('U0ANA'), OPEN, {});
    assert.equal(allowed.kind, 'decided');
  });

  it("decides one in a context cicdstatemgr alone wrote under the gateway's rules, once per message and value", function () {
    const doc = plain();
    const rules: ButtonRules = { allowedUsers: ['U0BOB'], allowedGroups: [], route: 'deploy' };
    assert.equal(applyButtonClick(doc, buttonClick('U0EVE'), rules, {}).kind, 'refused');
    const decided = applyButtonClick(doc, buttonClick('U0BOB'), rules, {});
    assert.equal(decided.kind, 'decided');
    const [key, record] = Object.entries((doc as Doc).state.legacyDecisions)[0] as [string, Doc];
    assert.match(key, /^[0-9a-f]{16}$/);
    assert.equal(record.id, `legacy:${key}`);
    assert.equal(record.route, 'deploy');
    assert.equal(record.title, 'Deploy app 1.0.0?');
    assert.equal(record.decision.option.value, VALUE);
    const again = applyButtonClick(doc, buttonClick('U0BOB'), rules, {});
    assert.equal(again.kind, 'refused', 'a second click is told it was decided');
  });

  it('reads a record an earlier version wrote ({by, at, value, delivery}) as the decision it describes', function () {
    const doc = plain();
    applyButtonClick(doc, buttonClick('U0BOB'), OPEN, {});
    const [key] = Object.keys((doc as Doc).state.legacyDecisions);
    (doc as Doc).state.legacyDecisions[key!] = {
      by: 'U0BOB',
      at: '2024-04-30T10:00:00.000Z',
      value: VALUE,
      delivery: { status: 'delivered', eventId: 'el-old', at: '2024-04-30T10:00:01.000Z' },
    };
    const outcome = applyButtonClick(doc, buttonClick('U0ANA'), OPEN, {});
    assert.equal(outcome.kind, 'refused');
    assert.match((outcome as { message: string }).message, /<@U0BOB>/);
  });
});
