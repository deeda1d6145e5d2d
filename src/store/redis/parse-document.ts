import { isPlainObject, type ContextDocument } from '../../core/document';
import { StoreError } from '../../core/errors';
import { parseYaml } from '../../compat/yaml/yaml';

/** What a Redis key holds, as a context document, or the StoreError naming the key. */
export function parseDocument(key: string, text: string): ContextDocument {
  let doc: unknown;
  try {
    doc = parseYaml(text, key);
  } catch (error) {
    throw new StoreError(`Redis key "${key}" does not hold valid YAML: ${(error as Error).message}`, {
      cause: error,
      kind: 'not-a-document',
    });
  }
  if (!isPlainObject(doc))
    throw new StoreError(`Redis key "${key}" does not hold a context document (a YAML mapping)`, {
      kind: 'not-a-document',
    });
  return doc;
}
