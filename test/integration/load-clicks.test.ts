import assert from 'node:assert/strict';
import { verifyForwardSignature } from '../../src/core/forward-signature';
import { FakeSlack } from '../helpers/fake-slack';
import { seedContext, storedChoice, type SeededChoice } from '../helpers/seed-context';
import { flushTestKeys, uniqueKeyPrefix } from '../helpers/redis';
import { describeOnEachRedis } from '../helpers/redis-backends';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { waitFor } from '../helpers/slack-requests';
import { redisStoreConfig } from '../helpers/store-configs';
import {
  buildTestGateway,
  FORWARD_SECRET,
  testGatewayConfig,
  type TestGateway,
} from '../helpers/test-gateway';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTEXTS = 40;
const CHOICES_PER_CONTEXT = 5; // 200 open choices
const CLICKS_PER_CHOICE = 5; // 1,000 clicks
const CLIENTS = 50;
const USERS = ['U0LOAD1', 'U0LOAD2', 'U0LOAD3', 'U0LOAD4', 'U0LOAD5', 'U0LOAD6'];

/** mulberry32: the same clicks, in the same order, on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PlannedClick {
  tag: string;
  choice: SeededChoice;
  userId: string;
  value: string;
}

/**
 * Five clicks per choice. A choice needing one approval gets clicks on either option from any user (the first
 * to be applied decides); one needing two gets them all on its first option, from at least two distinct users,
 * so that every choice is decided whatever order the clicks arrive in.
 */
function planClicks(choices: SeededChoice[], next: () => number): PlannedClick[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const clicks: PlannedClick[] = [];
  for (const choice of choices) {
    const two = [...USERS].sort(() => next() - 0.5).slice(0, 2);
    for (let k = 0; k < CLICKS_PER_CHOICE; k++) {
      const userId = choice.approvalsNeeded === 2 && k < 2 ? (two[k] as string) : pick(USERS);
      const value = choice.approvalsNeeded === 2 ? (choice.values[0] as string) : pick(choice.values);
      clicks.push({ tag: `load-${clicks.length}`, choice, userId, value });
    }
  }
  for (let i = clicks.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [clicks[i], clicks[j]] = [clicks[j] as PlannedClick, clicks[i] as PlannedClick];
  }
  return clicks;
}

describeOnEachRedis(
  'load: 1,000 signed clicks on 200 open choices from 50 concurrent clients, two gateway replicas',
  function (backend) {
    this.timeout(120_000);
    const slack = new FakeSlack();
    const listener = new FakeEventListener();
    let url: string;
    let prefix: string;
    let replicas: TestGateway[] = [];

    before(async function () {
      await slack.start();
      await listener.start();
      url = await backend.url();
      prefix = uniqueKeyPrefix('load');
      // Two replicas with their own Redis connections behind one "Service": the store's optimistic transactions,
      // not one process's ordering, must keep every decision exactly-once.
      replicas = [0, 1].map(() =>
        buildTestGateway(testGatewayConfig({ store: redisStoreConfig(url, prefix) }, { slack, listener })),
      );
      for (const replica of replicas) await replica.listen();
    });

    after(async function () {
      for (const replica of replicas) await replica.close();
      await flushTestKeys(url, prefix);
      await slack.stop();
      await listener.stop();
    });

    it('records and forwards every decision exactly once, with a consistent decision and audit trail', async function () {
      const store = replicas[0]!.store;
      const choices: SeededChoice[] = [];
      for (let c = 0; c < CONTEXTS; c++) {
        const seeded = await seedContext(store, {
          contextId: `load-ctx-${c}`,
          choices: Array.from({ length: CHOICES_PER_CONTEXT }, (_, k) => {
            const n = c * CHOICES_PER_CONTEXT + k;
            return {
              channel: `C0LOAD${c % 7}`,
              ts: `${1_700_000_000 + n}.${String(n).padStart(6, '0')}`,
              approvalsNeeded: n % 3 === 0 ? 2 : 1,
            };
          }),
        });
        choices.push(...seeded);
      }
      assert.equal(choices.length, 200);
      const clicks = planClicks(choices, random(20240501));
      assert.equal(clicks.length, 1000);

      const statuses: number[] = [];
      let nextClick = 0;
      const client = async (n: number) => {
        for (let i = nextClick++; i < clicks.length; i = nextClick++) {
          const click = clicks[i] as PlannedClick;
          const replica = replicas[(n + i) % replicas.length] as TestGateway;
          const ack = await replica.click({
            channelId: click.choice.channel,
            messageTs: click.choice.ts,
            value: click.value,
            userId: click.userId,
            responseUrl: `${slack.url}/respond/${click.tag}`,
          });
          statuses.push(ack.status);
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
      assert.equal(statuses.length, 1000);
      assert.deepEqual(new Set(statuses), new Set([200]), 'every click acknowledged with 200');

      // Every click is answered once: the deciding click by the message update, every other one ephemerally.
      const answered = () => {
        const ephemeral = new Set(
          slack.requests.filter((r) => r.path.startsWith('/respond/')).map((r) => r.path),
        ).size;
        const updates = slack.requests.filter((r) => r.path === '/api/chat.update').length;
        return ephemeral + updates >= clicks.length && updates >= choices.length;
      };
      await waitFor('an answer to every click', answered, 90_000);
      await waitFor(
        'every delivery recorded',
        async () => {
          for (const choice of choices) {
            if ((await storedChoice(store, choice))?.decision?.delivery?.status !== 'delivered') return false;
          }
          return true;
        },
        30_000,
      );

      // Forwarded exactly once each, and nothing else forwarded.
      assert.equal(listener.requests.length, choices.length, 'one forward per choice in total');
      const updates = slack.requests.filter((r) => r.path === '/api/chat.update');
      for (const choice of choices) {
        const forwards = listener.forwardsOf(choice.choiceId);
        assert.equal(forwards.length, 1, `forwards of ${choice.choiceId}`);
        const forward = forwards[0]!;
        assert.deepEqual(verifyForwardSignature([FORWARD_SECRET], forward.headers, forward.text), {
          ok: true,
        });
        const event = forward.json as Doc;
        const record = (await storedChoice(store, choice)) as Doc;
        const decision = record.decision as Doc;

        assert.equal(record.status, 'decided');
        assert.equal(decision.approvers.length, choice.approvalsNeeded, 'approvers = approvals needed');
        assert.equal(new Set(decision.approvers).size, decision.approvers.length, 'distinct approvers');
        for (const approver of decision.approvers) {
          assert.ok(
            clicks.some(
              (c) => c.choice === choice && c.userId === approver && c.value === decision.option.value,
            ),
            `${approver} clicked ${decision.option.value}`,
          );
        }
        assert.equal(decision.decidedBy, decision.approvers.at(-1));
        assert.deepEqual(event.approvers, decision.approvers);
        assert.equal(event.option.value, decision.option.value);
        assert.equal(event.context.id, choice.contextId);
        assert.equal(decision.delivery.status, 'delivered');
        assert.equal(decision.delivery.eventId, forward.eventId, 'the recorded event id is the one answered');

        const actions = (record.audit as Doc[]).map((a) => a.action);
        assert.equal(actions.filter((a) => a === 'decided').length, 1, `one decided entry: ${actions}`);
        assert.equal(actions.filter((a) => a === 'delivered').length, 1, `one delivered entry: ${actions}`);
        assert.equal(actions.filter((a) => a === 'voted').length, choice.approvalsNeeded - 1);
        assert.ok(!actions.includes('delivery-failed'), `${actions}`);
        const delivered = (record.audit as Doc[]).find((a) => a.action === 'delivered') as Doc;
        assert.equal(delivered.eventId, forward.eventId);

        const shown = updates.filter((u) => (u.json as Doc).ts === choice.ts);
        assert.equal(shown.length, 1, `one chat.update of ${choice.ts}`);
        assert.ok(String((shown[0]!.json as Doc).text).includes(forward.eventId as string));
      }
    });
  },
);
