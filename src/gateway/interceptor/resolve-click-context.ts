import type { ChoiceRecord } from '../../core/choice/choice-record';
import { findChoiceByMessage } from '../../core/choice/read-choice';
import { StoreError } from '../../core/errors';
import type { ContextRef } from '../../core/forwarded-event';
import type { Store } from '../../store/store';
import { contextName } from '../../core/context-name';

export interface ClickContext {
  context: ContextRef;
  /** the offered choice recorded for the clicked message, if any */
  choice: ChoiceRecord | undefined;
}

const UNKNOWN: ClickContext = { context: { id: null, name: null }, choice: undefined };

/**
 * The context a clicked message belongs to, as the message index knows it, and the choice recorded for it. An
 * EventListener waits 5 s for a webhook and 10 s for a ClusterInterceptor, so a store that does not answer within
 * `timeoutMs` counts as unavailable rather than holding the trigger up.
 */
export async function resolveClickContext(
  store: Store,
  channel: string,
  messageTs: string,
  timeoutMs: number,
): Promise<ClickContext> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([lookUp(store, channel, messageTs), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function lookUp(store: Store, channel: string, messageTs: string): Promise<ClickContext> {
  const id = await store.findMessage?.(channel, messageTs);
  if (!id) return UNKNOWN;
  const doc = await store.load(id);
  if (!doc) return { context: { id, name: null }, choice: undefined };
  return { context: { id, name: contextName(doc) }, choice: findChoiceByMessage(doc, channel, messageTs) };
}
