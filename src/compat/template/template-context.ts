import { deepCopy, type ContextDocument } from '../../core/document';
import type { Logger } from '../../core/logger';
import type { TemplateContext } from './render-template';
import type { SetValueOptions } from '../jsonpath/set-value';
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
