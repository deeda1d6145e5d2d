import type { ContextDocument } from '../../core/document';
import type { SetPair } from './set-args';
import { setValue, type SetValueOptions } from '../jsonpath/set-value';

export function applySetPairs(
  doc: ContextDocument,
  pairs: readonly SetPair[],
  options?: SetValueOptions,
): void {
  for (const { path, value } of pairs) setValue(doc, path, value, options);
}
