import { deepCopy, isPlainObject } from '../core/document';
import { pythonStr } from '../compat/python/python-str';
import type { EventRun } from './event-run';

/**
 * Stores parts of an HTTP answer in the document: config.yaml's `<handler>.auto-capture-response-data` rules,
 * then the handler's own `capture-response-data`. Each rule renders `from` and `to` against one snapshot of the
 * document with the answer as `body` (no tmpl-ctx-vars, as in cicdstatemgr); a blank `from` sets nothing. This
 * is how the first message's `ts` becomes the thread of later ones.
 */
export function captureResponse(
  run: EventRun,
  handlerType: string,
  config: Record<string, unknown>,
  body: unknown,
): void {
  const section = run.configData[handlerType];
  const rules = [
    ...asRules(isPlainObject(section) ? section['auto-capture-response-data'] : undefined),
    ...asRules(config['capture-response-data']),
  ];
  if (rules.length === 0) return;
  const context = { ...deepCopy(run.doc), configData: deepCopy(run.configData), body };
  for (const rule of rules) {
    const value = run.render(pythonStr(rule['from']), context);
    if (value.trim() === '') continue;
    run.set(run.render(pythonStr(rule['to']), context), value);
  }
}

function asRules(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter(isPlainObject).filter((r) => 'from' in r && 'to' in r) : [];
}
