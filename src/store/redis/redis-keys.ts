/**
 * The gateway's own keys, after any key prefix. They share one hash tag, `{slackline}`, so that the scripts that
 * touch several of them (acknowledging an intake entry and scheduling its delivery) stay in one slot.
 */
export const INTAKE_STREAM = 'slackline:{slackline}:intake';
export const INTAKE_GROUP = 'slackline';
export const OUTBOX = 'slackline:{slackline}:outbox';
/** What left the outbox in the last day, so that a late "unless it is there" does not bring it back. */
export const OUTBOX_DONE = 'slackline:{slackline}:outbox-done';
export const OUTBOX_DONE_MEMORY_MS = 24 * 60 * 60_000;
/** The choices with deadline steps still to do, scored by when the next is due (see deadline-schedule.ts). */
export const DEADLINES = 'slackline:{slackline}:deadlines';

export function seenKey(requestKey: string): string {
  return `slackline:{slackline}:seen:${requestKey}`;
}

/**
 * Where a context's document lives, after the key prefix. On a single Redis (or one Sentinel watches), the bare
 * id: cicdstatemgr's layout, so that the Python cicdstatemgr and slackline read each other's documents. On a
 * Redis Cluster (which cicdstatemgr cannot talk to), `{<id>}`: the braces make the id the key's hash tag, so the
 * keys that go with a document carry it too and land in its slot (see receiptKey).
 */
export function documentKey(id: string, cluster: boolean): string {
  return cluster ? `{${id}}` : id;
}

/**
 * The key of a write's receipt (see RedisStore.update), given its document's full key (`documentKey`, prefix
 * included). The write script sets it beside the document, so on a cluster it must share the document's slot,
 * and it then also moves with the document when a replica takes over that slot: it starts with the document's
 * key, and so carries the same `{<id>}` hash tag. (It cannot be mistaken for a document: those end with `}`.)
 */
export function receiptKey(keyPrefix: string, documentKey: string, txn: string, cluster: boolean): string {
  return cluster ? `${documentKey}:slackline:txn:${txn}` : `${keyPrefix}slackline:txn:${txn}`;
}
