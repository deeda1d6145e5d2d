import { isPlainObject, type ContextDocument } from '../../core/document';
import type { RunCardRecord } from './run-card-record';

/** `state.runCards` of a document, created when `create` is set (inside a store update only). */
export function runCardsOf(doc: ContextDocument, create = false): Record<string, RunCardRecord> {
  if (!isPlainObject(doc['state'])) {
    if (!create) return {};
    doc['state'] = {};
  }
  const state = doc['state'] as Record<string, unknown>;
  if (!isPlainObject(state['runCards'])) {
    if (!create) return {};
    state['runCards'] = {};
  }
  return state['runCards'] as Record<string, RunCardRecord>;
}

/** The card of one PipelineRun, if the document holds a readable one. */
export function runCardOf(doc: ContextDocument | undefined, uid: string): RunCardRecord | undefined {
  if (!doc) return undefined;
  const cards = runCardsOf(doc);
  const card = Object.hasOwn(cards, uid) ? cards[uid] : undefined;
  return isPlainObject(card) && isPlainObject(card.tasks) ? card : undefined;
}
