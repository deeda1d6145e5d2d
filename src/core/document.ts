/** A cicdContextData document: the JSON-like state of one delivery, as cicdstatemgr stores it. */
export type ContextDocument = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python truthiness, which the reference's merge, set and output rules are written in. */
export function isFalsy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** The id a document says it belongs to (`state.cicdContextDataId`), if any. */
export function documentId(doc: ContextDocument): string | undefined {
  const state = doc['state'];
  if (!isPlainObject(state)) return undefined;
  const id = state['cicdContextDataId'];
  return typeof id === 'string' ? id : undefined;
}

export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}
