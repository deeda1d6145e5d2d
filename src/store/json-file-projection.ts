import type { ContextDocument } from '../core/document';
import { pythonJsonDumps } from '../compat/python/python-json';
import { parsePythonJson } from '../compat/python/python-json-parse';
import { writeFileAtomic } from './atomic-write';
import { readProjectionFile, type Projection } from './projection';

/**
 * `jsonfile`: `json.dumps(doc, indent=2)` as cicdstatemgr writes it (no trailing newline, `2.0` as a float),
 * except that non-ASCII text stays UTF-8 instead of `\uXXXX` escapes; both read back the same with jq.
 */
export class JsonFileProjection implements Projection {
  readonly type = 'jsonfile';
  constructor(readonly path: string) {}

  write(_id: string, doc: ContextDocument): Promise<void> {
    return writeFileAtomic(this.path, pythonJsonDumps(doc, { indent: 2, ensureAscii: false }));
  }

  read(id: string): Promise<ContextDocument | undefined> {
    return readProjectionFile(this.path, id, (text) => parsePythonJson(text) as ContextDocument);
  }
}
