import type { RedisStore } from '../src/store/redis/redis-store';
import type { FakeEventListener } from '../test/helpers/fake-event-listener';
import type { FakeSlack } from '../test/helpers/fake-slack';
import type { Click, Receipts, Server } from './load-generator';

/** What the check needs of the bench: the gateway, what reached the fakes, and the clicks sent. */
export interface Checked {
  gateway: Server;
  forwards: Receipts;
  updates: Receipts;
  drained(batch: Click[]): Promise<unknown>;
  taken(): Click[];
}

/** Correctness: every clicked choice forwarded exactly once, shown once, and recorded as delivered in Redis. */
export async function checkEveryClickOnce(
  bench: Checked,
  store: RedisStore,
  slack: FakeSlack,
  listener: FakeEventListener,
): Promise<void> {
  const { gateway, forwards, updates, drained } = bench;
  const clicked = bench.taken();
  await drained(clicked);
  await new Promise((done) => setTimeout(done, 200)); // a late duplicate would show up here
  forwards.refresh();
  updates.refresh();
  const problems: string[] = [];
  const notOnce = clicked.filter((c) => forwards.at.get(c.ts)?.length !== 1);
  if (notOnce.length) problems.push(`${notOnce.length} choices were not forwarded exactly once`);
  const forwardCount = listener.requests.length;
  if (forwardCount !== clicked.length) {
    problems.push(`the EventListener received ${forwardCount} requests for ${clicked.length} decisions`);
  }
  const ephemerals = slack.requests.filter((r) => r.path.startsWith('/respond/'));
  if (ephemerals.length) {
    problems.push(
      `${ephemerals.length} clicks were answered with an ephemeral message, e.g. ${ephemerals[0]?.text}`,
    );
  }
  const notDelivered = await undelivered(store, clicked.length);
  if (notDelivered)
    problems.push(`${notDelivered} choices are not recorded as decided and delivered in Redis`);
  if (problems.length) {
    throw new Error(`the gateway misbehaved under load:\n- ${problems.join('\n- ')}\n${gateway.output}`);
  }
}

/** How many of the first `count` seeded choices Redis does not show as decided with a delivered decision. */
async function undelivered(store: RedisStore, count: number): Promise<number> {
  let missing = 0;
  for (let start = 0; start < count; start += 200) {
    const ids = Array.from({ length: Math.min(200, count - start) }, (_, i) => `bench-${start + i}`);
    const docs = await Promise.all(ids.map((id) => store.load(id)));
    for (const doc of docs) {
      const choices = Object.values((doc?.['state'] as { offeredChoices?: object })?.offeredChoices ?? {});
      const choice = choices[0] as
        { status?: string; decision?: { delivery?: { status?: string } } } | undefined;
      if (choice?.status !== 'decided' || choice.decision?.delivery?.status !== 'delivered') missing++;
    }
  }
  return missing;
}
