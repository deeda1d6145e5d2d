import { isPlainObject, type ContextDocument } from './document';

/** The context's name (`state.cicdContextName`, set by cicdstatemgr init), or null when it has none. */
export function contextName(doc: ContextDocument): string | null {
  const state = doc['state'];
  const name = isPlainObject(state) ? state['cicdContextName'] : undefined;
  return typeof name === 'string' ? name : null;
}
