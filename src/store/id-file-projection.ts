import type { ContextDocument } from '../core/document';
import { writeFileAtomic } from './atomic-write';
import type { Projection } from './projection';

/** `idfile`: just the context id, without a newline, so it can serve as a Tekton task result. */
export class IdFileProjection implements Projection {
  readonly type = 'idfile';
  constructor(readonly path: string) {}

  write(id: string, _doc: ContextDocument): Promise<void> {
    return writeFileAtomic(this.path, id);
  }
}
