import type { ContextDocument } from '../core/document';
import { dumpYaml, parseYaml } from '../compat/yaml/yaml';
import { writeFileAtomic } from './atomic-write';
import { readProjectionFile, type Projection } from './projection';

/** `yamlfile`: the document as the same YAML text the primary stores. */
export class YamlFileProjection implements Projection {
  readonly type = 'yamlfile';
  constructor(readonly path: string) {}

  write(_id: string, doc: ContextDocument): Promise<void> {
    return writeFileAtomic(this.path, dumpYaml(doc));
  }

  read(id: string): Promise<ContextDocument | undefined> {
    return readProjectionFile(this.path, id, (text) => parseYaml(text, this.path));
  }
}
