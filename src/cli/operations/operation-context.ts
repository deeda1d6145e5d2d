import type { CicdstatemgrConfig } from '../../config/cicdstatemgr-config';
import { keptInInsertionOrder, type ContextDocument } from '../../core/document';
import { StoreError, UsageError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { buildTemplateContext } from '../../compat/template/template-context';
import type { SetValueOptions } from '../../compat/jsonpath/set-value';
import type { TmplCtxVar } from '../../compat/template/tmpl-ctx-vars';
import type { Datasources } from '../../store/open-datasources';
import type { Store } from '../../store/store';
import type { CicdstatemgrArgs } from '../parse-cicdstatemgr-args';

/** Everything an operation needs, built once by the runner. */
export interface OperationContext {
  args: CicdstatemgrArgs;
  config: CicdstatemgrConfig;
  datasources: Datasources;
  tmplCtxVars: TmplCtxVar[];
  /** `--handle-event PIPELINE=EVENT`, when given. */
  handleEvent?: { pipeline: string; event: string };
  logger: Logger;
  cwd: string;
  /** Resolves `file://` values against the working directory. */
  setOptions: SetValueOptions;
  print(line: string): void;
}

export function requireId(ctx: OperationContext): string {
  const id = ctx.args.id;
  if (!id) throw new UsageError('--id is required (or set CICDSTATEMGR_CONTEXT_DATA_ID)');
  return id;
}

export function contextNotFound(id: string, store: Store): StoreError {
  return new StoreError(`no context "${id}" in ${store.description}`);
}

/**
 * Applies `change` to the existing context `id` on the primary (atomically, retried on a concurrent change)
 * and writes the result to every local file. `change` returns false when it changed nothing, so the primary
 * is not written. A context that does not exist is an error.
 */
export async function changeContext(
  ctx: OperationContext,
  change: (doc: ContextDocument) => boolean,
): Promise<ContextDocument> {
  const id = requireId(ctx);
  const { primary } = ctx.datasources;
  // update() resolves to the document as read when nothing was written, so undefined means there is none.
  const doc = await primary.update(id, (current) => {
    const root = current && keptInInsertionOrder(current);
    return root && change(root) ? root : undefined;
  });
  if (!doc) throw contextNotFound(id, primary);
  await ctx.datasources.project(id, doc);
  return doc;
}

export function templateContextFor(ctx: OperationContext, doc: ContextDocument) {
  return buildTemplateContext(doc, ctx.config.configData, ctx.tmplCtxVars, {
    ...ctx.setOptions,
    logger: ctx.logger,
  });
}
