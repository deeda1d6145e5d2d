import type { ContextDocument } from '../core/document';
import { writeFileAtomic } from './atomic-write';
import type { Projection } from './projection';
import { formatShellFile } from './shell-file-format';

/** `shellfile`: `CICD_…='…'` lines for Task steps to `source` (see formatShellFile). */
export class ShellFileProjection implements Projection {
  readonly type = 'shellfile';
  constructor(
    readonly path: string,
    private readonly excludeKeyNames: readonly string[] = [],
  ) {}

  write(_id: string, doc: ContextDocument): Promise<void> {
    return writeFileAtomic(this.path, formatShellFile(doc, this.excludeKeyNames));
  }
}
