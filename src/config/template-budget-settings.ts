import { isPlainObject } from '../core/document';
import { ConfigError } from '../core/errors';
import type { RenderBudget } from '../compat/template/render-budget';

/** `cicdstatemgr.templateBudget` in config.yaml: what one template render may cost (`timeLimitMs`, `loopLimit`).
 * (`cicdstatemgr.templates` already holds cicdstatemgr's body templates.) */
export function templateBudgetSettings(configData: Record<string, unknown>): Partial<RenderBudget> {
  const section = configData['templateBudget'];
  if (section === undefined || section === null) return {};
  if (!isPlainObject(section)) throw new ConfigError('cicdstatemgr.templateBudget must be a mapping');
  const settings: Partial<RenderBudget> = {};
  for (const [key, field] of [
    ['timeLimitMs', 'timeMs'],
    ['loopLimit', 'iterations'],
  ] as const) {
    const value = section[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new ConfigError(`cicdstatemgr.templateBudget.${key} must be a whole number above 0`);
    }
    settings[field] = value;
  }
  return settings;
}
