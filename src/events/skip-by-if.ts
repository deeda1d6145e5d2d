import type { TemplateContext } from '../compat/template/render-template';
import type { EventRun } from './event-run';

/**
 * cicdstatemgr's `if`: the handler is skipped when the condition renders to nothing. notify, manual-choice,
 * trigger-pipeline and respond compare the raw output; set-values and generators strip it first.
 */
export function skippedByIf(
  run: EventRun,
  config: Record<string, unknown>,
  context: TemplateContext,
  purpose: string,
  strip = false,
): boolean {
  if (!('if' in config)) return false;
  const result = run.render(config['if'], context, true);
  const skip = (strip ? result.trim() : result) === '';
  if (skip) run.logger.debug(`${purpose}: "if" rendered blank, skipping`);
  return skip;
}
