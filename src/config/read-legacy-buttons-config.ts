import type { LegacyButtonsConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import { keyOf } from './setting-row';
import type { Raw, SettingReader } from './setting-reader';

export function readLegacyButtons(s: SettingReader, raw: Raw): LegacyButtonsConfig {
  const where = 'slackline.legacyButtons';
  s.checkKeys(raw, where, GATEWAY_ROWS);
  const ids = (key: string, pattern: RegExp, what: string): string[] => {
    const value = raw[key] ?? [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' && pattern.test(v))) return value;
    s.problem(`${where}.${key} must be a list of ${what}`);
    return [];
  };
  return {
    enabled: s.read(G.legacyEnabled, raw),
    allowedUsers: ids(keyOf(G.legacyUsers), /^[UW][A-Z0-9]+$/, 'Slack user ids (U…)'),
    allowedGroups: ids(keyOf(G.legacyGroups), /^S[A-Z0-9]+$/, 'Slack user group ids (S…)'),
  };
}
