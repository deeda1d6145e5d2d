import { isPlainObject } from '../core/document';
import type { EventHandler } from './event-handler';
import { skippedByIf } from './skip-by-if';

/**
 * Sets rendered values: each `{from, to}` item of `set` stores `from` at `to` when it renders non-blank. Items of
 * one block render against one snapshot (they do not see each other), later blocks see earlier ones.
 */
export const setValues: EventHandler = {
  type: 'set-values',
  markerKey: 'set',
  async run(run, config, name) {
    const purpose = `set-values ${name}`;
    const context = run.templateContext();
    if (skippedByIf(run, config, context, purpose, true)) return;
    const items = Array.isArray(config['set']) ? config['set'].filter(isPlainObject) : [];
    for (const item of items) {
      const value = run.render(item['from'], context);
      if (value.trim() === '') continue;
      run.set(run.render(item['to'], context), value);
    }
  },
};
