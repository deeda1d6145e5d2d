import type { LegacyButtonsConfig } from './gateway-config';
import type { Raw, SettingReader } from './setting-reader';

export function readLegacyButtons(s: SettingReader, raw: Raw): LegacyButtonsConfig {
  const where = 'slackline.legacyButtons';
  s.checkKeys(raw, where, ['enabled', 'allowedUsers', 'allowedGroups']);
  const ids = (key: string, pattern: RegExp, what: string): string[] => {
    const value = raw[key] ?? [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' && pattern.test(v))) return value;
    s.problem(`${where}.${key} must be a list of ${what}`);
    return [];
  };
  return {
    enabled: s.boolean(s.pick(raw, where, 'enabled', 'SLACKLINE_LEGACY_BUTTONS')) ?? false,
    allowedUsers: ids('allowedUsers', /^[UW][A-Z0-9]+$/, 'Slack user ids (U…)'),
    allowedGroups: ids('allowedGroups', /^S[A-Z0-9]+$/, 'Slack user group ids (S…)'),
  };
}
