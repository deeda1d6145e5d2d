import { applySetPairs } from './apply-set-pairs';
import { dictMerge } from '../jsonpath/dict-merge';
import { deepCopy, isPlainObject, keptInInsertionOrder, type ContextDocument } from '../../core/document';
import { ConfigError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { renderTemplate } from '../template/render-template';
import type { SetPair } from './set-args';
import type { SetValueOptions } from '../jsonpath/set-value';

export interface InitializeInput {
  id: string;
  contextName: string;
  /** The app pipeline config (`--init-app-config-file`), as parsed. */
  appConfig: Record<string, unknown>;
  /** The app config's `bases:`, in order, as parsed. */
  bases: ReadonlyArray<Record<string, unknown>>;
  sets: readonly SetPair[];
  setOptions?: SetValueOptions;
  logger?: Logger;
}

/**
 * `--init-new`: the context document built exactly as cicdstatemgr builds it, so both tools produce the same
 * keys in the same order: the chosen cicd-context of bases+app merged, then `appPipelinesConfig`,
 * `jinja2Macros`, `state`, whatever the sets add, and the rendered `variables`.
 */
export function initializeDocument(input: InitializeInput): ContextDocument {
  const { id, contextName, appConfig } = input;
  let merged: Record<string, unknown> = {};
  for (const base of input.bases) merged = dictMerge(merged, base);
  merged = dictMerge(merged, appConfig);

  const contexts = merged['cicd-contexts'];
  const chosen = isPlainObject(contexts) ? contexts[contextName] : undefined;
  if (!isPlainObject(chosen)) {
    const known = isPlainObject(contexts) ? Object.keys(contexts).join(', ') || 'none' : 'none';
    throw new ConfigError(
      `cicd context "${contextName}" is not defined under cicd-contexts (defined: ${known})`,
    );
  }
  // Its top level keeps the order keys are added in, as the original's dict does (see core/document.ts).
  const doc: ContextDocument = keptInInsertionOrder(deepCopy(chosen));
  doc['appPipelinesConfig'] = deepCopy(appConfig);
  doc['jinja2Macros'] = collectMacros(merged['jinja2-macros']);
  doc['state'] = { cicdContextDataId: id, cicdContextName: contextName };
  applySetPairs(doc, input.sets, input.setOptions);
  renderVariables(doc, merged['variables'], input.logger);
  return doc;
}

function collectMacros(macros: unknown): { byName: Record<string, string>; all: string } {
  const byName: Record<string, string> = {};
  let all = '';
  if (!isPlainObject(macros)) return { byName, all };
  for (const [name, text] of Object.entries(macros)) {
    if (typeof text !== 'string') throw new ConfigError(`jinja2-macros.${name} must be macro source text`);
    byName[name] = text;
    all += text.trim();
  }
  return { byName, all };
}

/** Rendered in order against the document itself, so a variable can use the ones before it. */
function renderVariables(doc: ContextDocument, variables: unknown, logger?: Logger): void {
  if (!isPlainObject(variables)) return;
  if (!isPlainObject(doc['variables'])) doc['variables'] = {};
  const target = doc['variables'] as Record<string, unknown>;
  for (const [name, template] of Object.entries(variables)) {
    if (typeof template !== 'string') {
      throw new ConfigError(`variables.${name} must be text (a template), got ${JSON.stringify(template)}`);
    }
    target[name] = renderTemplate(template, doc, { logger });
  }
}
