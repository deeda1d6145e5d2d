import { deepCopy, type ContextDocument } from '../core/document';
import { setValue, type SetValueOptions } from '../compat/jsonpath/set-value';

/**
 * The values an event run set, in order. Handlers run once, on an in-memory document (they post to Slack and
 * cannot be repeated); at the end the same sets are replayed onto the primary's latest document inside its
 * read-modify-write, so a concurrent writer's changes are kept and nothing is posted twice.
 */
export class RecordedChanges {
  private readonly changes: Array<{ path: string; value: unknown; options: SetValueOptions }> = [];

  /** Sets the value on `doc` now and records it for replay. */
  set(doc: ContextDocument, path: string, value: unknown, options: SetValueOptions = {}): void {
    setValue(doc, path, value, options);
    // deepCopy, not structuredClone: a mapping kept in insertion order (core/document.ts) is a Proxy, which
    // structuredClone refuses.
    this.changes.push({ path, value: deepCopy(value), options });
  }

  get size(): number {
    return this.changes.length;
  }

  replay(doc: ContextDocument): void {
    for (const { path, value, options } of this.changes) setValue(doc, path, deepCopy(value), options);
  }
}
