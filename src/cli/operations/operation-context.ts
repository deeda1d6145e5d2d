import type { CicdstatemgrConfig } from '../../config/cicdstatemgr-config';
import { type ContextDocument } from '../../core/document';
import { StoreError, UsageError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { buildTemplateContext } from '../../core/template-context';
import type { SetValueOptions } from '../../core/set-value';
import type { TmplCtxVar } from '../../core/tmpl-ctx-vars';
import type { Datasources } from '../../store/open-datasources';
import type { Store } from '../../store/store';
import type { CicdstatemgrArgs } from '../parse-cicdstatemgr-args';

/** Everything an operation needs, built once by the runner. */
export interface OperationContext {
  args: CicdstatemgrArgs;
  config: CicdstatemgrConfig;
  datasources: Datasources;
  tmplCtxVars: TmplCtxVar[];
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

export function templateContextFor(ctx: OperationContext, doc: ContextDocument) {
  return buildTemplateContext(doc, ctx.config.configData, ctx.tmplCtxVars, {
    ...ctx.setOptions,
    logger: ctx.logger,
  });
}
