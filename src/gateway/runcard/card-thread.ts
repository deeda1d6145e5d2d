import { isPlainObject, type ContextDocument } from '../../core/document';

export interface CardThread {
  channel: string;
  /** null: a message of its own in the channel (the context has posted nothing yet). */
  threadTs: string | null;
}

/**
 * Where a context's run card goes: into the thread its cicdstatemgr messages started. The thread is
 * `state.slack.thread_ts` (what the example config's capture rules record), else the first offered choice's
 * thread or message; the channel is that choice's (an id, from Slack's answer), else `state.slack.channel`,
 * else the context's configured `channel`, else `fallbackChannel`.
 */
export function cardThread(
  doc: ContextDocument,
  fallbackChannel: string | undefined,
): CardThread | undefined {
  const state = isPlainObject(doc['state']) ? doc['state'] : {};
  const slack = isPlainObject(state['slack']) ? state['slack'] : {};
  const choices = isPlainObject(state['offeredChoices']) ? Object.values(state['offeredChoices']) : [];
  const first = choices
    .filter(isPlainObject)
    .filter((c) => text(c['channel']) && text(c['messageTs']))
    .sort((a, b) => String(a['postedAt']).localeCompare(String(b['postedAt'])))[0];
  const channel =
    text(first?.['channel']) ?? text(slack['channel']) ?? text(doc['channel']) ?? fallbackChannel;
  if (!channel) return undefined;
  const threadTs =
    text(slack['thread_ts']) ?? text(first?.['threadTs']) ?? text(first?.['messageTs']) ?? null;
  return { channel, threadTs };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
