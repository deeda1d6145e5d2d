import type { ContextDocument } from '../core/document';
import { writeFileAtomic } from './atomic-write';
import { readProjectionFile, type Projection } from './projection';

/**
 * `jsonfile`: `json.dumps(doc, indent=2)` as cicdstatemgr writes it (no trailing newline), except that
 * non-ASCII text stays UTF-8 instead of `\uXXXX` escapes; both read back the same with jq or JSON.parse.
 */
export class JsonFileProjection implements Projection {
  readonly type = 'jsonfile';
  constructor(readonly path: string) {}

  write(_id: string, doc: ContextDocument): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(doc, null, 2));
  }

  read(id: string): Promise<ContextDocument | undefined> {
    return readProjectionFile(this.path, id, JSON.parse);
  }
}
