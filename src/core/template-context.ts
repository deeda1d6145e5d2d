import { deepCopy, type ContextDocument } from './document';
import type { Logger } from './logger';
import type { TemplateContext } from './render-template';
import type { SetValueOptions } from './set-value';
import { applyTmplCtxVars, type TmplCtxVar } from './tmpl-ctx-vars';

/** What `--get`, generators and handlers render with: a copy of the document, `configData`, tmpl-ctx-vars. */
export function buildTemplateContext(
  doc: ContextDocument,
  configData: Record<string, unknown>,
  vars: readonly TmplCtxVar[],
  options: SetValueOptions & { logger?: Logger } = {},
): TemplateContext {
  const context: TemplateContext = { ...deepCopy(doc), configData: deepCopy(configData) };
  applyTmplCtxVars(context, doc, vars, options);
  return context;
}
