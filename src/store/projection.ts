import { readFile } from 'node:fs/promises';
import type { ProjectionType } from '../config/datasource-config';
import { documentId, isPlainObject, type ContextDocument } from '../core/document';
import { StoreError } from '../core/errors';
import { fsErrorReason } from './atomic-write';

/** A local file written after every change, for Task steps (`source`, `jq`, Tekton results) and fast reads. */
export interface Projection {
  readonly type: ProjectionType;
  readonly path: string;
  write(id: string, doc: ContextDocument): Promise<void>;
  /** yamlfile/jsonfile only: undefined when the file is absent OR holds another context (state.cicdContextDataId !== id) */
  read?(id: string): Promise<ContextDocument | undefined>;
}

/**
 * Reads a yamlfile/jsonfile projection for `id`. cicdstatemgr used whatever context the local file held,
 * whatever `--id` said; here a file that belongs to another context counts as absent, so the caller goes
 * to the primary instead. An empty file (what an interrupted non-atomic writer leaves) counts as absent too.
 */
export async function readProjectionFile(
  path: string,
  id: string,
  parse: (text: string) => unknown,
): Promise<ContextDocument | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError(`cannot read ${path}: ${fsErrorReason(error)}`, { cause: error });
  }
  if (text.trim() === '') return undefined;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`${path} is not valid: ${reason.split('\n')[0]}`, { cause: error });
  }
  if (!isPlainObject(doc)) throw new StoreError(`${path} does not hold a context document (a mapping)`);
  return documentId(doc) === id ? doc : undefined;
}
