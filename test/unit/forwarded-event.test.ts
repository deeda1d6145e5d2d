import assert from 'node:assert/strict';
import { applyClick } from '../../src/core/choice/apply-click';
import type { Decision } from '../../src/core/choice/choice-record';
import { findChoiceByMessage } from '../../src/core/choice/read-choice';
import { offeredChoice } from '../../src/events/offered-choice';
import { choiceEvent } from '../../src/core/choice/choice-event';
import { commandEvent, FORWARDED_EVENT_SCHEMA, type ForwardedEvent } from '../../src/core/forwarded-event';
import { DEPLOY_BUTTON_FIELDS, DEPLOY_BUTTON_VALUE } from '../helpers/deploy-button-value';

// A cicdstatemgr 1.2.4 changeContext button value, rendered by Jinja2 from its bases/core.yaml macro.
const CHANGE_CONTEXT_VALUE =
  'changeContext-v1-nginx-hello-world|eyJhcHBOYW1lIjogIm5naW54LWhlbGxvLXdvcmxkIiwgImFwcFRhZyI6ICIxLjAuMCIsICJjaWNkVmVyc2lvbiI6ICJ2MSIsICJjb21taXRJZCI6ICJub25lIiwgImdpdEFwcE5hbWUiOiAibmdpbngtaGVsbG8td29ybGQiLCAiZ2l0Q2xvbmVVcmwiOiAiaHR0cHM6Ly9naXRodWIuY29tL2JpdHNvZmluZm8vbmdpbngtaGVsbG8td29ybGQuZ2l0IiwgInJlbGF0ZWRDaWNkQ29udGV4dERhdGFJZCI6ICJuZ2lueC1oZWxsby13b3JsZC0xLjAuMC12MS1kZXYtYWJjMTIzIiwgInJlbGF0ZWRQaXBlbGluZU5hbWUiOiAiZGVwbG95IiwgInJlbGF0ZWRQaXBlbGluZVJ1blVpZCI6ICJkZXBsb3ktZGV2LW5naW54LWhlbGxvLXdvcmxkLXE5ejh5IiwgInRhcmdldENpY2RDb250ZXh0TmFtZSI6ICJwcm9kIiwgInRyaWdnZXIiOiAiY2hhbmdlQ29udGV4dCJ9';

const CONTEXT = { id: 'nginx-hello-world-1.0.0-v1-dev-abc123', name: 'dev' };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function decision(value: string, overrides: Partial<Decision> = {}): Decision {
  return {
    choiceId: '0d9f7c1e-3b2a-4c5d-8e6f-7a8b9c0d1e2f',
    option: { group: 'deploy', header: 'Deploy to', text: 'Deploy to dev', value, style: 'primary' },
    decidedBy: 'U0BOB',
    approvers: ['U0ALICE', 'U0BOB'],
    decidedAt: '2024-05-01T12:03:00.000Z',
    message: { channel: 'C0DEPLOYS', ts: '1714564800.000100' },
    delivery: {
      status: 'pending',
      attempts: 0,
      since: '2024-05-01T12:03:00.000Z',
      deadline: '2024-05-01T12:13:00.000Z',
    },
    ...overrides,
  };
}

const BOB = { id: 'U0BOB', name: 'bob', username: 'bob.smith', teamId: 'T0TEAM' };
const CLICK_SLACK = {
  teamId: 'T0TEAM',
  threadTs: '1714564000.000001',
  responseUrl: 'https://hooks.slack.com/actions/T0TEAM/1/abc',
  triggerId: '1111.2222.3333aaaa',
};

describe('forwarded events', function () {
  describe('choiceEvent', function () {
    it('carries the decision, the decoded value and the fields of cicdstatemgr\u2019s CEL overlays', function () {
      const event = choiceEvent({
        decision: decision(DEPLOY_BUTTON_VALUE),
        choice: {
          id: '0d9f7c1e-3b2a-4c5d-8e6f-7a8b9c0d1e2f',
          pipeline: 'build',
          event: 'success',
          title: 'Ship it?',
        },
        context: CONTEXT,
        user: BOB,
        slack: CLICK_SLACK,
        id: 'f0e1d2c3-b4a5-4968-8776-655443322110',
      });
      const expected: ForwardedEvent = {
        schema: 'slackline/forwarded-event/v1',
        id: 'f0e1d2c3-b4a5-4968-8776-655443322110',
        kind: 'choice',
        occurredAt: '2024-05-01T12:03:00.000Z',
        context: CONTEXT,
        choice: {
          id: '0d9f7c1e-3b2a-4c5d-8e6f-7a8b9c0d1e2f',
          pipeline: 'build',
          event: 'success',
          title: 'Ship it?',
        },
        option: { group: 'deploy', text: 'Deploy to dev', value: DEPLOY_BUTTON_VALUE, style: 'primary' },
        inputs: {},
        value: DEPLOY_BUTTON_FIELDS,
        approvers: ['U0ALICE', 'U0BOB'],
        user: { id: 'U0BOB', name: 'bob', username: 'bob.smith', teamId: 'T0TEAM' },
        slack: {
          teamId: 'T0TEAM',
          channelId: 'C0DEPLOYS',
          messageTs: '1714564800.000100',
          threadTs: '1714564000.000001',
          responseUrl: 'https://hooks.slack.com/actions/T0TEAM/1/abc',
          triggerId: '1111.2222.3333aaaa',
        },
        cicdstatemgr: {
          cicdContextDataId: 'nginx-hello-world-1.0.0-v1-dev-abc123',
          cicdContextName: 'dev',
          targetAppName: 'nginx-hello-world',
          targetAppTag: '1.0.0',
          gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
          relatedPipelineName: 'build',
          relatedPipelineRunUid: 'build-dev-nginx-hello-world-x7k2p',
          relatedCicdContextDataId: 'nginx-hello-world-1.0.0-v1-dev-abc123',
          trigger: 'deploy',
          cicdVersion: 'v1',
          slackUserId: 'U0BOB',
          slackUsername: 'bob.smith',
          slackUserFullName: 'bob',
          slackChannelId: 'C0DEPLOYS',
          slackMessageTs: '1714564800.000100',
          slackThreadTs: '1714564000.000001',
        },
      };
      assert.deepEqual(event, expected);
      assert.deepEqual(JSON.parse(JSON.stringify(event)), event, 'plain JSON, nothing undefined');
    });

    it('gives every delivery of one decision the same id, and other decisions other ids', function () {
      const input = { decision: decision('prod'), context: CONTEXT, user: BOB };
      const first = choiceEvent(input).id;
      assert.match(first, UUID_V5);
      assert.equal(choiceEvent({ ...input, user: { id: 'U0ALICE' } }).id, first);
      assert.notEqual(choiceEvent({ ...input, decision: decision('prod', { choiceId: 'other' }) }).id, first);
    });

    it('copies the changeContext fields and fills the context id and name from the document', function () {
      const event = choiceEvent({
        decision: decision(CHANGE_CONTEXT_VALUE),
        context: CONTEXT,
        user: { id: 'U0BOB' },
      });
      assert.deepEqual(event.cicdstatemgr, {
        cicdContextDataId: 'nginx-hello-world-1.0.0-v1-dev-abc123',
        cicdContextName: 'dev',
        gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
        relatedPipelineName: 'deploy',
        relatedPipelineRunUid: 'deploy-dev-nginx-hello-world-q9z8y',
        relatedCicdContextDataId: 'nginx-hello-world-1.0.0-v1-dev-abc123',
        trigger: 'changeContext',
        targetCicdContextName: 'prod',
        gitAppName: 'nginx-hello-world',
        appName: 'nginx-hello-world',
        appTag: '1.0.0',
        cicdVersion: 'v1',
        commitId: 'none',
        slackUserId: 'U0BOB',
        slackChannelId: 'C0DEPLOYS',
        slackMessageTs: '1714564800.000100',
      });
    });

    it('keeps the value’s own context id over the document’s, as cicdstatemgr’s CEL read it', function () {
      const event = choiceEvent({
        decision: decision(DEPLOY_BUTTON_VALUE),
        context: { id: 'elsewhere', name: 'prod' },
        user: BOB,
      });
      assert.equal(event.cicdstatemgr['cicdContextDataId'], 'nginx-hello-world-1.0.0-v1-dev-abc123');
      assert.equal(event.context.id, 'elsewhere');
    });

    it('forwards a slackline button (no legacy value) with nulls where nothing is known', function () {
      const event = choiceEvent({
        decision: decision('prod', {
          option: { group: '', header: '', text: 'Prod', value: 'prod', style: null },
        }),
        context: { id: 'ctx-1', name: null },
        user: { id: 'U0BOB' },
      });
      assert.equal(event.value, null);
      assert.deepEqual(event.option, { group: null, text: 'Prod', value: 'prod', style: null });
      assert.deepEqual(event.choice, {
        id: '0d9f7c1e-3b2a-4c5d-8e6f-7a8b9c0d1e2f',
        pipeline: null,
        event: null,
        title: null,
      });
      assert.deepEqual(event.user, { id: 'U0BOB', name: null, username: null, teamId: null });
      assert.equal(event.slack.responseUrl, null);
      assert.equal('command' in event, false);
      assert.deepEqual(event.cicdstatemgr, {
        cicdContextDataId: 'ctx-1',
        slackUserId: 'U0BOB',
        slackChannelId: 'C0DEPLOYS',
        slackMessageTs: '1714564800.000100',
      });
    });

    it('leaves out fields whose value is empty and flattens numbers and booleans', function () {
      const fields = { targetAppName: '', targetAppTag: 2, gitCloneUrl: null, trigger: true, note: 'x' };
      const value = `deploy-v1-app|${Buffer.from(JSON.stringify(fields)).toString('base64')}`;
      const event = choiceEvent({ decision: decision(value), context: CONTEXT, user: { id: 'U1' } });
      assert.equal('targetAppName' in event.cicdstatemgr, false);
      assert.equal('gitCloneUrl' in event.cicdstatemgr, false);
      assert.equal('note' in event.cicdstatemgr, false, 'only the fields the CEL overlays copied');
      assert.equal(event.cicdstatemgr['targetAppTag'], '2');
      assert.equal(event.cicdstatemgr['trigger'], 'true');
      assert.deepEqual(event.value, fields);
    });

    it('takes the trigger from the label when the value’s dict has none', function () {
      const value = `validate-v1-app|${Buffer.from('{"cicdContextDataId": "x"}').toString('base64')}`;
      const event = choiceEvent({ decision: decision(value), context: CONTEXT, user: { id: 'U1' } });
      assert.equal(event.cicdstatemgr['trigger'], 'validate');
      assert.deepEqual(event.value, { cicdContextDataId: 'x' });
    });

    it('takes what applyClick decided and the recorded choice as they are', function () {
      const offered = offeredChoice({
        pipeline: 'build',
        event: 'success',
        handler: 'default',
        title: 'Ship it?',
        choices: { deploy: { header: 'Deploy to', options: [{ text: 'Dev', value: DEPLOY_BUTTON_VALUE }] } },
        config: {},
        initiator: null,
        answer: { ok: true, channel: 'C0DEPLOYS', ts: '1714564800.000100', message: { thread_ts: '1.2' } },
        now: new Date('2024-05-01T12:00:00.000Z'),
      });
      const doc = { state: { cicdContextDataId: CONTEXT.id, offeredChoices: { [offered.id]: offered } } };
      const outcome = applyClick(doc, {
        userId: 'U0BOB',
        channelId: 'C0DEPLOYS',
        messageTs: '1714564800.000100',
        value: DEPLOY_BUTTON_VALUE,
        at: new Date('2024-05-01T12:01:00.000Z'),
      });
      assert.equal(outcome.kind, 'decided');
      if (outcome.kind !== 'decided') return;
      const choice = findChoiceByMessage(doc, 'C0DEPLOYS', '1714564800.000100');
      const event = choiceEvent({
        decision: outcome.decision,
        choice,
        context: CONTEXT,
        user: { id: 'U0BOB' },
      });
      assert.deepEqual(event.choice, {
        id: offered.id,
        pipeline: 'build',
        event: 'success',
        title: 'Ship it?',
      });
      assert.deepEqual(event.option, {
        group: 'deploy',
        text: 'Dev',
        value: DEPLOY_BUTTON_VALUE,
        style: null,
      });
      assert.equal(event.slack.threadTs, '1.2');
      assert.equal(event.occurredAt, '2024-05-01T12:01:00.000Z');
      assert.equal(event.cicdstatemgr['trigger'], 'deploy');
    });

    it('does not share the decision’s arrays', function () {
      const d = decision('prod');
      const event = choiceEvent({ decision: d, context: CONTEXT, user: BOB });
      event.approvers.push('U0EVE');
      assert.deepEqual(d.approvers, ['U0ALICE', 'U0BOB']);
    });
  });

  describe('commandEvent', function () {
    it('carries the command and the fields of the /start-app-deploy overlays', function () {
      const args = {
        targetCicdContextName: 'dev',
        gitAppName: 'nginx-hello-world',
        gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
        appTag: '1.0.0',
      };
      const event = commandEvent({
        command: {
          name: '/start-app-deploy',
          text: 'dev nginx-hello-world https://github.com/bitsofinfo/nginx-hello-world.git 1.0.0',
          args,
        },
        user: { id: 'U0BOB', username: 'bob.smith', teamId: 'T0TEAM' },
        slack: {
          teamId: 'T0TEAM',
          channelId: 'C0DEPLOYS',
          responseUrl: 'https://hooks.slack.com/commands/T0TEAM/2/def',
          triggerId: '13345224609.738474920.8088930838d88f008e0',
        },
        id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        now: new Date('2024-05-01T13:00:00.000Z'),
      });
      assert.deepEqual(event, {
        schema: FORWARDED_EVENT_SCHEMA,
        id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        kind: 'command',
        occurredAt: '2024-05-01T13:00:00.000Z',
        context: { id: null, name: null },
        value: null,
        command: {
          name: '/start-app-deploy',
          text: 'dev nginx-hello-world https://github.com/bitsofinfo/nginx-hello-world.git 1.0.0',
          args,
        },
        approvers: [],
        user: { id: 'U0BOB', name: null, username: 'bob.smith', teamId: 'T0TEAM' },
        slack: {
          teamId: 'T0TEAM',
          channelId: 'C0DEPLOYS',
          messageTs: null,
          threadTs: null,
          responseUrl: 'https://hooks.slack.com/commands/T0TEAM/2/def',
          triggerId: '13345224609.738474920.8088930838d88f008e0',
        },
        cicdstatemgr: {
          gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
          targetCicdContextName: 'dev',
          gitAppName: 'nginx-hello-world',
          appTag: '1.0.0',
          uniqueString: '8088930838d88f008e0',
          slackUserId: 'U0BOB',
          slackUsername: 'bob.smith',
          slackChannelId: 'C0DEPLOYS',
        },
      });
    });

    it('gives each command a new random id unless one is given, and names a context when it has one', function () {
      const input = { command: { name: '/status', text: 'ctx-1', args: {} }, user: { id: 'U1' } };
      const a = commandEvent(input);
      const b = commandEvent(input);
      assert.match(a.id, UUID_V4);
      assert.notEqual(a.id, b.id);
      const withContext = commandEvent({ ...input, context: { id: 'ctx-1', name: 'dev' } });
      assert.deepEqual(withContext.context, { id: 'ctx-1', name: 'dev' });
      assert.equal(withContext.cicdstatemgr['cicdContextDataId'], 'ctx-1');
      assert.equal(withContext.cicdstatemgr['cicdContextName'], 'dev');
      assert.equal('uniqueString' in withContext.cicdstatemgr, false, 'no trigger id, no unique string');
    });

    it('prefers an argument named uniqueString over the one taken from the trigger id', function () {
      const event = commandEvent({
        command: { name: '/go', text: '', args: { uniqueString: 'mine' } },
        user: { id: 'U1' },
        slack: { triggerId: '1.2.3' },
      });
      assert.equal(event.cicdstatemgr['uniqueString'], 'mine');
    });

    it('copies the arguments rather than sharing them', function () {
      const args: Record<string, string> = { a: '1' };
      const event = commandEvent({ command: { name: '/go', text: '1', args }, user: { id: 'U1' } });
      args['a'] = '2';
      assert.equal(event.command?.args['a'], '1');
    });
  });
});
