import assert from 'node:assert/strict';
import request from 'supertest';
import { RedisStore } from '../../src/store/redis/redis-store';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import { flushTestKeys, redisEndpoint, uniqueKeyPrefix } from '../helpers/redis';
import { describeOnEachRedis } from '../helpers/redis-backends';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  newTriggerId,
  slackSignature,
  viewClosedPayload,
  viewSubmissionPayload,
  waitFor,
} from '../helpers/slack-requests';
import {
  buildTestGateway,
  SIGNING_SECRET as SECRET,
  testGatewayConfig,
  type TestGateway,
} from '../helpers/test-gateway';
import { Workspace } from '../helpers/workspace';
import { redisStoreConfig } from '../helpers/store-configs';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Options with inputs, end to end: the CLI offers the choice (test/fixtures/workspace/app-events.yaml, event
 * `dialog`), a really signed click opens the option's modal through FakeSlack's views.open within the click's
 * request, and really signed view_submissions are checked, refused in the modal or decided once through the
 * intake log, on a real Redis.
 */
describeOnEachRedis(
  'slackline gateway: dialogs (an option with inputs opens a modal; its submission decides)',
  function (backend) {
    this.timeout(60_000);
    const slack = new FakeSlack();
    const listener = new FakeEventListener();
    let url: string;
    let prefix: string;
    let ws: Workspace;
    let store: RedisStore;
    let app: TestGateway['app'];
    let gateway: TestGateway;

    before(async function () {
      await slack.start();
      await listener.start();
      url = await backend.url();
      prefix = uniqueKeyPrefix('dialogs');
      ws = new Workspace(
        { type: 'redis', ...redisEndpoint(url), keyPrefix: prefix },
        { slackUrl: slack.url, triggerUrl: listener.url },
      );
      const config = testGatewayConfig(
        { store: redisStoreConfig(url, prefix), forwarding: { routes: {} } },
        { slack, listener },
      );
      store = new RedisStore(redisStoreConfig(url, prefix));
      gateway = buildTestGateway(config, { retryBaseDelayMs: 50 });
      ({ app } = gateway);
    });

    after(async function () {
      await gateway?.close();
      await store?.close();
      if (url) await flushTestKeys(url, prefix);
      ws?.remove();
      await slack.stop();
      await listener.stop();
    });

    async function offer() {
      const id = Workspace.uniqueId('dlg');
      await ws.initFrom('app-events.yaml', id);
      await ws.runOk(['--id', id, '--handle-event', 'choose=dialog']);
      const choice = await choiceIn(id);
      return {
        id,
        channel: choice.channel as string,
        ts: choice.messageTs as string,
        choiceId: choice.id as string,
      };
    }
    const choiceIn = async (id: string) =>
      Object.values(((await store.load(id)) as Doc).state.offeredChoices)[0] as Doc;

    function post(payload: object) {
      const body = interactionBody(payload);
      return request(app)
        .post('/slack/events')
        .set('content-type', FORM)
        .set(slackSignature(SECRET, body))
        .send(body);
    }
    let clicks = 0;
    /** A click, answered; and the views.open calls Slack had by the time the click's answer came. */
    async function click(target: { channel: string; ts: string }, value: string, userId: string) {
      const tag = `dialog-click-${++clicks}`;
      const before = opened().length;
      const response = await post(
        blockActionsPayload({
          channelId: target.channel,
          messageTs: target.ts,
          value,
          userId,
          responseUrl: `${slack.url}/respond/${tag}`,
        }),
      );
      assert.equal(response.status, 200);
      return { tag, response, opened: opened().slice(before) };
    }
    const opened = () => slack.requests.filter((r) => r.path === '/api/views.open');
    const ephemerals = (tag: string) =>
      slack.requests.filter((r) => r.path === `/respond/${tag}`).map((r) => (r.json as Doc).text as string);
    const postedEphemerals = (user: string) =>
      slack.requests
        .filter((r) => r.path === '/api/chat.postEphemeral' && (r.json as Doc).user === user)
        .map((r) => (r.json as Doc).text as string);
    const forwardsFor = (id: string) =>
      listener.requests.filter((r) => r.path === '/default' && (r.json as Doc).context?.id === id);
    /** The view Slack answered views.open with, for a views.open request. */
    const viewOf = (call: { json: unknown }) =>
      slack.views.find((v) => v['private_metadata'] === (call.json as Doc).view.private_metadata) as Doc;

    it('opens the modal of an option with inputs within the click, with the declared fields, and decides nothing', async function () {
      const target = await offer();
      const { opened: calls, tag } = await click(target, 'reject', 'U0ANA');
      assert.equal(calls.length, 1, 'views.open was called before the click was answered');
      const call = calls[0]?.json as Doc;
      assert.equal(call.trigger_id.split('.').length, 3);
      assert.equal(calls[0]?.headers['authorization'], 'Bearer xoxb-test');
      const view = call.view;
      assert.equal(view.type, 'modal');
      assert.equal(view.callback_id, 'slackline-choice-inputs');
      assert.deepEqual(view.title, { type: 'plain_text', text: 'Reject' });
      assert.deepEqual(JSON.parse(view.private_metadata), {
        contextId: target.id,
        choiceId: target.choiceId,
        value: 'reject',
        channel: target.channel,
        messageTs: target.ts,
      });
      const inputs = view.blocks.filter((b: Doc) => b.type === 'input');
      assert.deepEqual(inputs, [
        {
          type: 'input',
          block_id: 'input:reason',
          optional: false,
          label: { type: 'plain_text', text: 'Why not?' },
          element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 40 },
        },
      ]);
      const release = (await click(target, 'release', 'U0BOB')).opened[0]?.json as Doc;
      const [window, ticket] = release.view.blocks.filter((b: Doc) => b.type === 'input');
      assert.equal(window.optional, false);
      assert.deepEqual(window.element.options, [
        { text: { type: 'plain_text', text: 'tonight' }, value: 'tonight' },
        { text: { type: 'plain_text', text: 'The weekend' }, value: 'weekend' },
      ]);
      assert.equal(window.element.type, 'static_select');
      assert.equal(ticket.optional, true);
      assert.equal(ticket.element.multiline, false);

      const choice = await choiceIn(target.id);
      assert.equal(choice.status, 'open');
      assert.deepEqual(choice.votes, []);
      assert.equal(await store.intake.backlog(), 0, 'a click that opens a modal is not logged as a decision');
      assert.deepEqual(ephemerals(tag), []);
    });

    it('tells the user when Slack refuses to open the modal, and nothing when Slack retries a click whose modal opened', async function () {
      const target = await offer();
      slack.answerNext({ body: { ok: false, error: 'expired_trigger_id' } });
      const expired = await click(target, 'reject', 'U0ANA');
      assert.equal(expired.opened.length, 1);
      const [told] = await waitFor(
        'the user told',
        () => ephemerals(expired.tag).length > 0 && ephemerals(expired.tag),
      );
      assert.equal(
        told,
        'slackline could not open the form of "Reject" (expired_trigger_id): click it again.',
      );

      const views = slack.views.length;
      const payload = blockActionsPayload({
        channelId: target.channel,
        messageTs: target.ts,
        value: 'reject',
        userId: 'U0ANA',
        responseUrl: `${slack.url}/respond/dialog-retried`,
        triggerId: newTriggerId(),
      });
      assert.equal((await post(payload)).status, 200);
      assert.equal((await post(payload)).status, 200);
      assert.equal(opened().filter((r) => (r.json as Doc).trigger_id === payload.trigger_id).length, 2);
      assert.equal(slack.views.length, views + 1, 'one modal');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(ephemerals('dialog-retried'), []);
      assert.equal((await choiceIn(target.id)).status, 'open');
    });

    it('opens no modal for a user the choice does not allow: the click is refused as any click is', async function () {
      const target = await offer();
      const { opened: calls, tag } = await click(target, 'reject', 'U0EVE');
      assert.equal(calls.length, 0);
      const [told] = await waitFor('the refusal', () => ephemerals(tag).length > 0 && ephemerals(tag));
      assert.match(told ?? '', /Only <@U0ANA> or <@U0BOB> can make this choice/);
      const choice = await choiceIn(target.id);
      assert.equal(choice.status, 'open');
      assert.ok(choice.audit.some((a: Doc) => a.action === 'refused' && a.user === 'U0EVE'));
    });

    it('answers a submission the inputs refuse with response_action errors, and decides nothing', async function () {
      const target = await offer();
      const view = viewOf((await click(target, 'reject', 'U0ANA')).opened[0] as { json: unknown });
      const missing = await post(
        viewSubmissionPayload({ view, userId: 'U0ANA', answers: { 'input:reason': '   ' } }),
      );
      assert.equal(missing.status, 200);
      assert.deepEqual(missing.body, {
        response_action: 'errors',
        errors: { 'input:reason': 'This is required.' },
      });
      const long = await post(
        viewSubmissionPayload({ view, userId: 'U0ANA', answers: { 'input:reason': 'x'.repeat(41) } }),
      );
      assert.deepEqual(long.body, {
        response_action: 'errors',
        errors: { 'input:reason': 'At most 40 characters, please.' },
      });

      const release = viewOf((await click(target, 'release', 'U0ANA')).opened[0] as { json: unknown });
      const badTicket = await post(
        viewSubmissionPayload({
          view: release,
          userId: 'U0ANA',
          answers: { 'input:window': { selected: 'tonight' }, 'input:ticket': 'not a ticket' },
        }),
      );
      assert.deepEqual(Object.keys(badTicket.body.errors), ['input:ticket']);
      assert.match(badTicket.body.errors['input:ticket'], /expected form/);
      const noWindow = await post(viewSubmissionPayload({ view: release, userId: 'U0ANA', answers: {} }));
      assert.deepEqual(noWindow.body.errors, { 'input:window': 'This is required.' });

      // The metadata comes back from Slack: a view naming another context is not taken on its word.
      const forged = {
        ...view,
        private_metadata: JSON.stringify({
          ...JSON.parse(view['private_metadata']),
          contextId: 'someone-else',
        }),
      };
      const refused = await post(
        viewSubmissionPayload({ view: forged, userId: 'U0ANA', answers: { 'input:reason': 'ok' } }),
      );
      assert.deepEqual(refused.body, {
        response_action: 'errors',
        errors: { 'input:reason': 'The choice this form was opened for is no longer on its message.' },
      });

      const choice = await choiceIn(target.id);
      assert.equal(choice.status, 'open');
      assert.deepEqual(choice.votes, []);
      assert.equal(await store.intake.backlog(), 0);
      assert.deepEqual(forwardsFor(target.id), []);
    });

    it('refuses an unsigned submission before anything else', async function () {
      const target = await offer();
      const view = viewOf((await click(target, 'reject', 'U0ANA')).opened[0] as { json: unknown });
      const body = interactionBody(
        viewSubmissionPayload({ view, userId: 'U0ANA', answers: { 'input:reason': 'no' } }),
      );
      const forged = await request(app)
        .post('/slack/events')
        .set('content-type', FORM)
        .set(slackSignature('not-the-secret', body))
        .send(body);
      assert.equal(forged.status, 401);
      assert.equal((await choiceIn(target.id)).status, 'open');
    });

    it('decides a valid submission once, even sent twice at once, and forwards its answers', async function () {
      const target = await offer();
      const view = viewOf((await click(target, 'reject', 'U0ANA')).opened[0] as { json: unknown });
      const answers = { 'input:reason': '  the canary is failing <!here>  ' };
      const [first, second] = await Promise.all([
        post(viewSubmissionPayload({ view, userId: 'U0ANA', answers })),
        post(viewSubmissionPayload({ view, userId: 'U0ANA', answers })),
      ]);
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      // An empty answer closes the modal.
      assert.equal(first.text, '');
      assert.equal(second.text, '');
      const forwarded = await waitFor('the forwarded decision', () => forwardsFor(target.id)[0]);
      const event = forwarded.json as Doc;
      assert.deepEqual(event.inputs, { reason: 'the canary is failing <!here>' });
      assert.equal(event.option.value, 'reject');
      assert.equal(event.user.id, 'U0ANA');
      assert.equal(event.slack.messageTs, target.ts);
      const choice = await waitFor('the delivered decision', async () => {
        const c = await choiceIn(target.id);
        return c.decision?.delivery?.status === 'delivered' && c;
      });
      assert.deepEqual(choice.decision.inputs, { reason: 'the canary is failing <!here>' });
      const decided = choice.audit.filter((a: Doc) => a.action === 'decided');
      assert.deepEqual(
        decided.map((a: Doc) => [a.user, a.value, a.inputs]),
        [['U0ANA', 'reject', { reason: 'the canary is failing <!here>' }]],
      );
      // The message shows the answer, escaped: a reason cannot ping the channel.
      const update = await waitFor('the decided message', () =>
        slack.requests.find((r) => r.path === '/api/chat.update' && (r.json as Doc).ts === target.ts),
      );
      const blocks = (update.json as Doc).blocks as Doc[];
      assert.deepEqual(blocks[1], {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Why not?* the canary is failing &lt;!here&gt;' },
      });
      // The other copy was told, in the channel and to its user alone, that it changed nothing.
      const [told] = await waitFor('the second submission told', () => {
        const texts = postedEphemerals('U0ANA').filter((t) => /already decided|being sent/.test(t));
        return texts.length > 0 && texts;
      });
      assert.match(told ?? '', /"Release dlg-[^"]*\?"/, 'names the choice');
      const call = slack.requests.find(
        (r) => r.path === '/api/chat.postEphemeral' && (r.json as Doc).text === told,
      );
      assert.equal((call?.json as Doc).channel, target.channel);
      await waitFor('the intake log drained', async () => (await store.intake.backlog()) === 0);
      assert.equal(forwardsFor(target.id).length, 1);

      // A click on the decided option opens no modal now: the kernel answers it.
      const late = await click(target, 'reject', 'U0BOB');
      assert.equal(late.opened.length, 0);
      await waitFor('the late click told', () => ephemerals(late.tag).length > 0);
      assert.match(ephemerals(late.tag)[0] ?? '', /already decided|being sent/);
    });

    it("answers a signed submission of a form that is not slackline's, and does nothing with it", async function () {
      const target = await offer();
      const view = viewOf((await click(target, 'reject', 'U0ANA')).opened[0] as { json: unknown });
      const foreign = await post(
        viewSubmissionPayload({
          view: { ...view, callback_id: 'another-apps-form' },
          userId: 'U0ANA',
          answers: { 'input:reason': 'ok' },
        }),
      );
      assert.equal(foreign.status, 200);
      assert.deepEqual(foreign.body, {});
      const choice = await choiceIn(target.id);
      assert.equal(choice.status, 'open');
      assert.deepEqual(choice.votes, []);
      assert.equal(await store.intake.backlog(), 0);
      assert.deepEqual(forwardsFor(target.id), []);
    });

    it('changes nothing when a modal is closed', async function () {
      const target = await offer();
      const view = viewOf((await click(target, 'reject', 'U0ANA')).opened[0] as { json: unknown });
      const closed = await post(viewClosedPayload(view, 'U0ANA'));
      assert.equal(closed.status, 200);
      const choice = await choiceIn(target.id);
      assert.equal(choice.status, 'open');
      assert.deepEqual(choice.votes, []);
      assert.equal(await store.intake.backlog(), 0);
    });
  },
);
